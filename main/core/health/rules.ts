// Electron-free: the health rules. A pure function from a client outcome to a verdict
// `{ level, summary, findings, metrics }`. Defaults follow issue #2's table and the server's own
// semantics (scale-status-api.md §5, §10); users can re-weigh any finding id with overrides.
import { applyOverrides, overrideFor, type Overrides } from './overrides.ts'
import type { Dependency, Node, ScaleStatus } from '../scale/schema.ts'
import type {
  Evaluation,
  Failure,
  Finding,
  Level,
  Metrics,
  ReadOutcome,
  Severity
} from '../types.ts'
import { SEVERITY_RANK } from '../types.ts'

export interface EvaluateOptions {
  /** The local clock (ms). `null` skips the clock check (a saved document judged from a file). */
  now?: number | null
  overrides?: Overrides
  /** How far the status timestamp may be from the local clock (default 5 min). */
  maxSkewMs?: number
  /** The request timeout, for the timeout finding's wording. */
  timeoutMs?: number
}

export const DEFAULT_MAX_SKEW_MS = 5 * 60_000
/** The server's own threshold for "too many nodes bad" (dependencies/manager.py: 0.3, not a third). */
const NODES_ERRORED_RATIO = 0.3
/** At most this many names in a message; the rest are counted. */
const NAME_LIMIT = 5

export const KNOWN_NODE_STATES = new Set([
  'DEPRECATED',
  'OFFLINE',
  'PAUSED',
  'SCHEDULER_STOPPED',
  'DEGRADED',
  'INITIAL_CLEANUP',
  'IMAGE_PULL',
  'READY'
])

export const DEPENDENCY_TITLES: Record<string, string> = {
  database: 'Database',
  msg_queue: 'Message queue',
  nodes: 'Nodes',
  logs: 'Logging (fluentd)',
  elasticsearch: 'Elasticsearch',
  idam: 'Identity (GEOAxIS)',
  silo: 'Silo'
}

/** Default severity of a failed dependency (issue #2 table). */
const DEPENDENCY_SEVERITY: Record<string, Severity> = {
  database: 'critical',
  msg_queue: 'critical',
  nodes: 'critical',
  logs: 'warning',
  elasticsearch: 'warning',
  idam: 'warning',
  silo: 'warning'
}

const DEPENDENCY_FIX: Record<string, string> = {
  'elasticsearch.CLUSTER_YELLOW':
    'A single-node Elasticsearch (the DC/OS bootstrap default) is always yellow; if that is your setup, set dependency.elasticsearch.CLUSTER_YELLOW to info in your rules.',
  'logs.NO_LOGGING_HEALTH_DEFINED':
    'LOGGING_HEALTH_ADDRESS is not set on the scheduler; logging may still work. Set it, or override dependency.logs.NO_LOGGING_HEALTH_DEFINED.',
  'msg_queue.RABBITMQ_ERROR':
    'Check the RabbitMQ service and the scheduler logs; jobs cannot be dispatched while it is down.',
  'msg_queue.SQS_ERROR': 'Check the SQS queue, region and credentials, and the scheduler logs.',
  'database.OPERATIONAL_ERROR': 'Check the Scale database (PostgreSQL) service.',
  'nodes.NODES_ERRORED':
    'Look at the Nodes tab for the offline and degraded nodes and their errors.',
  'nodes.NODES_OFFLINE':
    'No Mesos agent is offering resources to Scale; check the agents and the Mesos master.'
}

/** A table lookup that ignores Object.prototype (a dependency may be called "constructor"). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

/** Split a condition name into a stable id part: `CLEANUP_FAILURE 7` → `CLEANUP_FAILURE`, `INVALID_RESOURCESgeo` → `INVALID_RESOURCES.geo`. */
export function conditionKey(name: string): string {
  const counted = /^(\S+) \d+$/.exec(name)
  if (counted) return counted[1] as string
  if (name.startsWith('INVALID_RESOURCES') && name.length > 'INVALID_RESOURCES'.length) {
    return `INVALID_RESOURCES.${name.slice('INVALID_RESOURCES'.length)}`
  }
  return name
}

function listNames(names: string[], total = names.length): string {
  const shown = names.slice(0, NAME_LIMIT).join(', ')
  return total > NAME_LIMIT ? `${shown} (+${total - NAME_LIMIT} more)` : shown
}

function entryPairs(entries: Record<string, string>[]): [string, string][] {
  const out: [string, string][] = []
  for (const e of entries) for (const k in e) out.push([k, String(e[k])])
  return out
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000)
  if (m < 120) return `${m} min`
  const h = Math.round(m / 60)
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} days`
}

// ---------------------------------------------------------------- failures (could not read)

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

function proxyFinding(failure: Failure, host: string): Finding {
  const via = failure.proxy ?? 'the proxy'
  const base = { severity: 'warning' as const, message: failure.message }
  switch (failure.proxyReason) {
    case 'auth':
      return {
        ...base,
        id: 'proxy.auth',
        title: `Proxy ${via} wants credentials (407)`,
        fix: 'Put the proxy user in its URL (HTTPS_PROXY=http://user:pass@proxy:3128, or --proxy), or ask for this host to be let through without a login.'
      }
    case 'refused':
      return {
        ...base,
        id: 'proxy.refused',
        title: `Proxy ${via} refused to connect to ${host}`,
        fix: `Ask the proxy's administrators to allow ${host}, or, if the cluster is reachable directly, bypass the proxy (NO_PROXY=${host.replace(/:\d+$/, '')} or --proxy none).`
      }
    case 'upstream':
      return {
        ...base,
        id: 'proxy.upstream',
        title: `Proxy ${via} could not reach ${host}`,
        fix: `The proxy cannot resolve or connect to ${host}: check the URL; an internal cluster may need to bypass the proxy (NO_PROXY or --proxy none).`
      }
    case 'config':
      return {
        ...base,
        id: 'proxy.config',
        title: 'Bad proxy setting',
        fix: "Give the proxy as http://host:port (--proxy URL, or the cluster's proxy setting), or use --proxy none."
      }
    default:
      return {
        ...base,
        id: 'proxy.unreachable',
        title: `Cannot reach proxy ${via}`,
        fix: 'Check the proxy address and port (HTTPS_PROXY / HTTP_PROXY, or --proxy URL), or bypass it with NO_PROXY or --proxy none.'
      }
  }
}

/** The one finding that says what went wrong and what to do. */
export function failureFinding(failure: Failure, url: string, opts: EvaluateOptions = {}): Finding {
  const host = hostOf(url)
  const secs = opts.timeoutMs ? `${opts.timeoutMs / 1000} s` : 'the timeout'
  switch (failure.kind) {
    case 'bad-url':
      return {
        id: 'config.bad-url',
        severity: 'warning',
        title: 'Bad cluster URL',
        message: failure.message,
        fix: 'Give the API base URL, e.g. https://scale.example.com/api'
      }
    case 'dns':
      return {
        id: 'connection.dns',
        severity: 'warning',
        title: `Cannot resolve ${host}`,
        message: failure.message,
        fix: 'Check the host name, your VPN and DNS.'
      }
    case 'refused':
      return {
        id: 'connection.refused',
        severity: 'warning',
        title: `Connection refused by ${host}`,
        message: failure.message,
        fix: 'Check the port, and that the Scale web server (the scale-webserver app) is running.'
      }
    case 'reset':
      return {
        id: 'connection.reset',
        severity: 'warning',
        title: `Connection to ${host} dropped`,
        message: failure.message,
        fix: 'A proxy or load balancer may be cutting the connection; if the server demands a client certificate, give --cert/--key or --pfx.'
      }
    case 'timeout':
      return {
        id: 'connection.timeout',
        severity: 'warning',
        title: `No answer from ${host} within ${secs}`,
        message: failure.message,
        fix: 'The server or network is slow, or a firewall drops packets; check the route, or raise the timeout.'
      }
    case 'network':
      return {
        id: 'connection.network',
        severity: 'warning',
        title: `Cannot reach ${host}`,
        message: failure.message,
        fix: 'Check the network connection and VPN.'
      }
    case 'tls': {
      const reason = failure.tlsReason ?? 'handshake'
      const fixes: Record<string, string> = {
        'unknown-issuer':
          "Give your organisation's CA bundle with --ca FILE (or in the cluster's settings).",
        'self-signed':
          "Give the certificate (or its CA) with --ca FILE (or in the cluster's settings); only if you must, skip verification for this one cluster (--insecure).",
        expired: 'The server certificate must be renewed; tell the cluster administrators.',
        'not-yet-valid': "Check this machine's clock, or the certificate's start date.",
        'hostname-mismatch': 'Use the host name the certificate was issued for.',
        'client-cert-required':
          'Give a client certificate with --cert FILE --key FILE, or --pfx FILE.',
        'client-cert-rejected':
          'The server refused the client certificate, or wants one: check --cert/--key/--pfx and that the server trusts its CA.',
        'not-tls': 'Use http:// for this port, or the HTTPS port.',
        handshake:
          'If the server demands a client certificate, give --cert FILE --key FILE or --pfx FILE; otherwise check the TLS versions and ciphers the server accepts.'
      }
      return {
        id: `tls.${reason}`,
        severity: 'warning',
        title: `TLS failed for ${host}`,
        message: failure.message,
        fix: fixes[reason] ?? 'Check the certificate chain and TLS settings.'
      }
    }
    case 'auth': {
      const detail = failure.detail ?? ''
      const missing = /not provided/i.test(detail) || !detail
      const detailText = detail ? ` Scale says: "${detail}"` : ''
      return missing
        ? {
            id: 'http.auth',
            severity: 'warning',
            title: 'Needs credentials: give a token',
            message: `HTTP ${failure.httpStatus ?? 403}: the cluster requires a login.${detailText}`,
            fix: "Give a Scale token (the cluster's settings in the window; --token or SCALE_TOKEN on the command line), or log in with a user name and password to get one (--username)."
          }
        : {
            id: 'http.auth',
            severity: 'warning',
            title: 'Credentials refused',
            message: `HTTP ${failure.httpStatus ?? 403}: the credentials were not accepted.${detailText}`,
            fix: "The token is wrong or was revoked: get a new one (log in again from the cluster's settings, or --username), or ask a Scale administrator."
          }
    }
    case 'not-found': {
      let hint =
        'Give the API base URL (it usually ends in /api, e.g. https://scale.example.com/api), and check --api v6|v7.'
      try {
        const p = new URL(url).pathname
        if (!p.includes('/api/'))
          hint = `Scale's API is usually under /api: try https://${host}/api. ${hint}`
      } catch {
        // The URL was valid enough to request; the generic hint stands.
      }
      return {
        id: 'http.not-found',
        severity: 'warning',
        title: 'No Scale API at this URL (404)',
        message: failure.message + (failure.looksLikeHtml ? ' (an HTML page)' : ''),
        fix: hint
      }
    }
    case 'redirect':
      return {
        id: 'http.redirect',
        severity: 'warning',
        title: `Redirected to ${failure.location ?? 'elsewhere'}`,
        message: `${failure.message}. Scale never redirects an API call: this is a login page, an http→https redirect, or a wrong path.`,
        fix:
          failure.location?.startsWith('https:') && url.startsWith('http:')
            ? 'Use the https:// URL.'
            : 'Use the URL it points to if that is the API; if it is a login page, use a token instead of a browser login.'
      }
    case 'http':
      return {
        id: 'http.error',
        severity: 'warning',
        title: `Server error ${failure.httpStatus ?? ''}`.trim(),
        message: failure.message,
        fix:
          failure.httpStatus && failure.httpStatus >= 500
            ? 'The Scale web server failed; check its logs and its database connection.'
            : 'Check the URL and credentials.'
      }
    case 'too-large':
      return {
        id: 'response.too-large',
        severity: 'warning',
        title: 'Answer too large',
        message: failure.message
      }
    case 'not-json':
      return {
        id: 'response.not-json',
        severity: 'warning',
        title: failure.looksLikeHtml ? 'Got a web page, not the API' : 'Answer is not JSON',
        message: failure.message,
        fix: failure.looksLikeHtml
          ? 'Point at the API base (…/api), not the web UI; a login page means a proxy wants you signed in.'
          : "Check the URL points at Scale's API."
      }
    case 'proxy':
      return proxyFinding(failure, host)
    case 'login': {
      const who = failure.username ? ` as ${failure.username}` : ''
      const refused = [400, 401, 403].includes(failure.httpStatus ?? 0)
      return {
        id: 'auth.login',
        severity: 'warning',
        title: `Login${who} ${refused ? 'refused' : 'failed'}`,
        message: failure.detail
          ? `Scale says: "${failure.detail}"${refused ? '' : ` (HTTP ${failure.httpStatus ?? '?'})`}`
          : failure.message,
        fix: 'Check the user name and the password (SCALE_PASSWORD). Users who sign in through GEOAxIS have no local password: ask an administrator for a token and give it with --token.'
      }
    }
    case 'not-scale':
      return {
        id: 'response.not-scale',
        severity: 'warning',
        title: 'Not a Scale status document',
        message: failure.message,
        fix: 'Check the URL points at a Scale API (…/api/v6/status/).'
      }
  }
}

// ---------------------------------------------------------------- a good read

interface NodeScan {
  byState: Record<string, number>
  degraded: Node[]
  offline: string[]
  paused: string[]
  unknownStates: Map<string, number>
  warnings: Map<string, { title: string; hosts: string[] }>
  running: number
  completed: number
  failed: { total: number; algorithm: number; data: number; system: number }
}

function scanNodes(nodes: Node[]): NodeScan {
  const s: NodeScan = {
    // Null prototype: a state named "constructor" or "__proto__" is counted like any other.
    byState: Object.create(null) as Record<string, number>,
    degraded: [],
    offline: [],
    paused: [],
    unknownStates: new Map(),
    warnings: new Map(),
    running: 0,
    completed: 0,
    failed: { total: 0, algorithm: 0, data: 0, system: 0 }
  }
  for (const n of nodes) {
    const st = n.state.name
    s.byState[st] = (s.byState[st] ?? 0) + 1
    if (n.errors.length > 0 || st === 'DEGRADED') s.degraded.push(n)
    if (st === 'OFFLINE') s.offline.push(n.hostname)
    else if (st === 'PAUSED') s.paused.push(n.hostname)
    else if (!KNOWN_NODE_STATES.has(st)) s.unknownStates.set(st, (s.unknownStates.get(st) ?? 0) + 1)
    for (const w of n.warnings) {
      const key = conditionKey(w.name)
      let g = s.warnings.get(key)
      if (!g) s.warnings.set(key, (g = { title: w.title ?? key, hosts: [] }))
      g.hosts.push(n.hostname)
    }
    const je = n.job_executions
    if (je) {
      s.running += je.running.total
      s.completed += je.completed.total
      s.failed.total += je.failed.total
      s.failed.algorithm += je.failed.algorithm.total
      s.failed.data += je.failed.data.total
      s.failed.system += je.failed.system.total
    }
  }
  return s
}

function dependencyFindings(key: string, dep: Dependency, covered: Set<string>): Finding[] {
  const out: Finding[] = []
  const title = own(DEPENDENCY_TITLES, key) ?? key
  const detailMsg =
    typeof dep.detail?.msg === 'string' && dep.detail.msg ? dep.detail.msg : undefined
  const errors = entryPairs(dep.errors)
  if (!dep.OK) {
    const onlyNoSilo =
      key === 'silo' && errors.length > 0 && errors.every(([c]) => c === 'NO_SILO_DEFINED')
    const sev: Severity = onlyNoSilo ? 'info' : (own(DEPENDENCY_SEVERITY, key) ?? 'warning')
    if (errors.length === 0) {
      out.push({
        id: `dependency.${key}.NOT_OK`,
        severity: sev,
        title: `${title} not OK`,
        message: detailMsg ?? `Scale reports ${key} as not OK, without an error code.`
      })
    }
    for (const [code, msg] of errors) {
      const f: Finding = {
        id: `dependency.${key}.${code}`,
        severity: sev,
        title: onlyNoSilo ? 'Silo not configured' : `${title} failing (${code})`,
        message: detailMsg && detailMsg !== msg ? `${msg} (${detailMsg})` : msg
      }
      const fix =
        own(DEPENDENCY_FIX, `${key}.${code}`) ??
        (onlyNoSilo
          ? 'SILO_URL is not set on the scheduler; ignore this if you do not use Silo.'
          : undefined)
      if (fix) f.fix = fix
      out.push(f)
    }
  } else {
    // OK with an error entry is not something the server produces, but the docs' own example
    // has one; report it rather than hide it.
    for (const [code, msg] of errors) {
      out.push({
        id: `dependency.${key}.${code}`,
        severity: 'warning',
        title: `${title} reports ${code}`,
        message: `${msg} (while reporting OK)`
      })
    }
  }
  for (const [code, msg] of entryPairs(dep.warnings)) {
    if (key === 'nodes' && covered.has(code)) continue // named node by node in nodes.* findings
    out.push({
      id: `dependency.${key}.warning.${code}`,
      severity: 'warning',
      title: `${title}: ${code}`,
      message: detailMsg && detailMsg !== msg ? `${msg} (${detailMsg})` : msg
    })
  }
  return out
}

/** Judge a status document that was read successfully. */
export function evaluateStatus(
  status: ScaleStatus,
  opts: EvaluateOptions = {},
  notes: readonly Finding[] = []
): Evaluation {
  const findings: Finding[] = [...notes]
  const nodes = status.nodes
  const scan = scanNodes(nodes)
  const total = nodes.length

  // Clock: Scale answers 200 only when its own timestamp is < 12 s old by the web server's clock,
  // so a large gap here is this machine's clock, the scheduler's, or a status frozen by a proxy cache.
  // Scale always writes UTC ("…Z"); a timestamp without a zone is read as UTC, not local time.
  const ts = Date.parse(
    /(Z|[+-]\d{2}:?\d{2})$/.test(status.timestamp) ? status.timestamp : `${status.timestamp}Z`
  )
  if (opts.now !== null && Number.isFinite(ts)) {
    const now = opts.now ?? Date.now()
    const skew = now - ts
    if (Math.abs(skew) > (opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
      findings.push({
        id: 'status.clock-skew',
        severity: 'warning',
        title: `Status time ${minutes(Math.abs(skew))} ${skew > 0 ? 'behind' : 'ahead of'} this machine`,
        message: `The status says ${status.timestamp}: this machine's clock or the scheduler's is off, or the status is frozen (a caching proxy?).`,
        fix: 'Check NTP on this machine and on the Scale hosts.'
      })
    }
  }

  // Scheduler state and warnings.
  const sched = status.scheduler
  if (sched) {
    const name = sched.state.name
    if (name === 'PAUSED') {
      findings.push({
        id: 'scheduler.paused',
        severity: 'warning',
        title: 'Scheduler paused',
        message: sched.state.description ?? 'No new jobs will be scheduled.',
        fix: 'Resume the scheduler in the Scale UI when maintenance is over.'
      })
    } else if (name !== 'READY') {
      findings.push({
        id: `scheduler.state.${name}`,
        severity: 'warning',
        title: `Scheduler ${sched.state.title ?? name}`,
        message: sched.state.description ?? `The scheduler reports state ${name}.`
      })
    }
    for (const w of sched.warnings ?? []) {
      const key = conditionKey(w.name)
      findings.push({
        id: `scheduler.warning.${key}`,
        severity: key === 'WAITING_SYSTEM_TASKS' ? 'info' : 'warning',
        title: w.title ?? w.name,
        message:
          w.description ??
          (key === 'WAITING_SYSTEM_TASKS'
            ? 'The scheduler is waiting for system tasks to run.'
            : w.name)
      })
    }
  }

  // Node-list findings come first so the dependency warnings they cover are not counted twice.
  const covered = new Set<string>()
  if (scan.degraded.length > 0) {
    covered.add('NODES_DEGRADED')
    const named = scan.degraded.slice(0, NAME_LIMIT).map((n) => {
      const errs = n.errors.map((e) => e.title ?? e.name)
      return errs.length > 0 ? `${n.hostname} (${errs.join(', ')})` : n.hostname
    })
    findings.push({
      id: 'nodes.degraded',
      severity: 'warning',
      title: `${scan.degraded.length} of ${total} node${total === 1 ? '' : 's'} degraded`,
      message: listNames(named, scan.degraded.length),
      fix: "New jobs are not scheduled on degraded nodes; see each node's errors in the Nodes tab."
    })
  }
  if (scan.offline.length > 0) {
    covered.add('NODES_OFFLINE')
    findings.push({
      id: 'nodes.offline',
      severity: 'warning',
      title: `${scan.offline.length} of ${total} node${total === 1 ? '' : 's'} offline`,
      message: listNames(scan.offline)
    })
  }
  if (scan.paused.length > 0) {
    findings.push({
      id: 'nodes.paused',
      severity: 'info',
      title: `${scan.paused.length} node${scan.paused.length === 1 ? '' : 's'} paused`,
      message: listNames(scan.paused)
    })
  }
  for (const [key, g] of scan.warnings) {
    findings.push({
      id: `nodes.warning.${key}`,
      severity: 'info',
      title: `${g.title} on ${g.hosts.length} node${g.hosts.length === 1 ? '' : 's'}`,
      message: listNames(g.hosts)
    })
  }
  if (scan.unknownStates.size > 0) {
    const parts = [...scan.unknownStates].map(([s, c]) => `${c} ${s}`)
    findings.push({
      id: 'nodes.unknown-state',
      severity: 'info',
      title: 'Nodes in states this version does not know',
      message: `${parts.join(', ')}: a newer Scale release? They are shown as reported.`
    })
  }

  // Dependencies (7.0.1+), or the server's nodes rule applied here for older releases.
  const deps = status.dependencies
  if (deps) {
    for (const key in deps)
      findings.push(...dependencyFindings(key, deps[key] as Dependency, covered))
  } else if (total === 0) {
    findings.push({
      id: 'dependency.nodes.NODES_OFFLINE',
      severity: 'critical',
      title: 'No nodes reported',
      message:
        'The cluster reports no nodes at all (computed by Scale Tray: this Scale release does not report dependencies).',
      fix: DEPENDENCY_FIX['nodes.NODES_OFFLINE']
    })
  } else {
    const bad = (scan.byState.OFFLINE ?? 0) + (scan.byState.DEGRADED ?? 0)
    if (bad > NODES_ERRORED_RATIO * total) {
      findings.push({
        id: 'dependency.nodes.NODES_ERRORED',
        severity: 'critical',
        title: `Over 30% of nodes offline or degraded (${bad} of ${total})`,
        message:
          "Over a third of the nodes are offline or degraded (computed by Scale Tray with the server's rule: this Scale release does not report dependencies).",
        fix: DEPENDENCY_FIX['nodes.NODES_ERRORED']
      })
    }
  }

  // System services and the database update.
  for (const svc of status.system?.services ?? []) {
    if (svc.actual_count < svc.desired_count) {
      const down = svc.actual_count === 0 && svc.desired_count >= 1
      findings.push({
        id: `service.${svc.name}`,
        severity: down ? 'critical' : 'warning',
        title: `${svc.title ?? svc.name} ${down ? 'down' : 'under strength'} (${svc.actual_count} of ${svc.desired_count})`,
        message: `${svc.description ?? svc.name}: ${svc.actual_count} running, ${svc.desired_count} wanted.`
      })
    }
  }
  const dbu = status.system?.database_update
  if (dbu && !dbu.is_completed) {
    findings.push({
      id: 'system.database-update',
      severity: 'info',
      title: 'Database update not finished',
      message: 'The db-update system task has not completed since the scheduler started.'
    })
  }

  // Vault (5.8+).
  const v = status.vault
  if (v) {
    const msg = v.message ? `: ${v.message}` : ''
    if (v.sealed || v.status === 'Sealed') {
      findings.push({
        id: 'vault.sealed',
        severity: 'critical',
        title: 'Vault sealed',
        message: `Jobs that need secrets cannot run${msg}.`,
        fix: 'Unseal Vault.'
      })
    } else if (
      [
        'Invalid Token',
        'Invalid Credentials',
        'Secret Error',
        'Invalid Secret',
        'Secrets Improperly Configured'
      ].includes(v.status)
    ) {
      findings.push({
        id: 'vault.error',
        severity: 'warning',
        title: `Vault: ${v.status}`,
        message: `Scale reports a secrets problem${msg || '.'}`
      })
    } else if (v.status !== 'Ok' && v.status !== 'Secrets Not Configured') {
      findings.push({
        id: 'vault.unknown-status',
        severity: 'info',
        title: `Vault: ${v.status}`,
        message: `An unfamiliar vault status${msg}.`
      })
    } else if (v.status === 'Ok' && v.message) {
      findings.push({
        id: 'vault.message',
        severity: 'info',
        title: 'Vault message',
        message: v.message
      })
    }
  }

  const metrics: Metrics = {
    nodes: { total, byState: scan.byState },
    jobs: { running: scan.running, completed: scan.completed, failed: scan.failed }
  }
  if (status.resources) metrics.resources = status.resources
  if (sched?.metrics) metrics.scheduler = sched.metrics
  if (status.num_offers !== undefined) metrics.numOffers = status.num_offers
  const qd = deps?.msg_queue?.detail?.queue_depth
  metrics.queueDepth = typeof qd === 'number' ? qd : null

  const judged = applyOverrides(findings, opts.overrides)
  const level = levelOf(judged)
  return {
    level,
    summary: summarize(level, judged, scan, total),
    findings: sortFindings(judged),
    metrics
  }
}

/** The worst non-info severity, or ok. */
export function levelOf(findings: Finding[]): Level {
  let worst: Level = 'ok'
  for (const f of findings) {
    if (f.severity === 'critical') return 'critical'
    if (f.severity === 'warning') worst = 'warning'
  }
  return worst
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] || a.i - b.i)
    .map((x) => x.f)
}

function summarize(level: Level, findings: Finding[], scan: NodeScan, total: number): string {
  if (level === 'ok') {
    const ready = scan.byState.READY ?? 0
    return `healthy: ${ready} of ${total} node${total === 1 ? '' : 's'} ready, ${scan.running} job${scan.running === 1 ? '' : 's'} running`
  }
  const bad = sortFindings(findings.filter((f) => f.severity !== 'info'))
  const head = bad.slice(0, 3).map((f) => f.title)
  return bad.length > 3 ? `${head.join('; ')} (+${bad.length - 3} more)` : head.join('; ')
}

/** Judge any client outcome. Never throws. */
export function evaluate(outcome: ReadOutcome, opts: EvaluateOptions = {}): Evaluation {
  // Transport notes (TLS not verified, a client certificate near expiry…) count whatever was read.
  const notes = outcome.notes ?? []
  if (outcome.kind === 'ok')
    return evaluateStatus(outcome.status, { now: outcome.at, ...opts }, notes)
  if (outcome.kind === 'stale') {
    const detail = outcome.detail
    const f: Finding =
      outcome.httpStatus === 204
        ? {
            id: 'status.stale',
            severity: 'critical',
            title: 'Scheduler offline or status stale',
            message:
              'HTTP 204 with no status: this Scale release (before 7.0.1) answers so when the scheduler is down or its status is over 12 s old.',
            fix: 'Check the scale-scheduler app; a status that stays stale may need a scheduler restart (Scale issue #1845).'
          }
        : detail && /missing/i.test(detail)
          ? {
              id: 'status.missing',
              severity: 'critical',
              title: 'Scheduler down: no status',
              message: `HTTP 503. Scale says: "${detail}"`,
              fix: 'Check that the scale-scheduler app is running.'
            }
          : detail
            ? {
                id: 'status.stale',
                severity: 'critical',
                title: 'Scheduler offline or status stale',
                message: `HTTP 503. Scale says: "${detail}"`,
                fix: 'Check the scale-scheduler app; a status that stays stale may need a scheduler restart (Scale issue #1845).'
              }
            : {
                id: 'status.unavailable',
                severity: 'critical',
                title: 'Service unavailable (503)',
                message:
                  "HTTP 503 without Scale's detail: the web server, or a proxy in front of it, is unavailable.",
                fix: 'Check the scale-webserver app and the proxy in front of it.'
              }
    const findings = applyOverrides([f, ...notes], opts.overrides)
    // Overridden down to info or ignored, it still is not "ok": nothing was seen.
    const judged = levelOf(findings)
    const level: Level = judged === 'ok' ? 'unknown' : judged
    return { level, summary: findings[0]?.title ?? 'status unavailable', findings, metrics: {} }
  }
  const f = failureFinding(outcome.failure, outcome.url, opts)
  const judgedNotes = applyOverrides([...notes], opts.overrides)
  const findings = [...applyOverrides([f], opts.overrides), ...judgedNotes]
  // Unreadable means unknown, unless the user explicitly re-weighed this failure. Notes (an
  // expired client certificate…) are listed and named in the summary but do not turn "could not
  // read" into a verdict on the cluster (Nagios: UNKNOWN, not CRITICAL).
  const o = opts.overrides ? overrideFor(f.id, opts.overrides) : undefined
  const level: Level = o === 'warning' || o === 'critical' ? o : 'unknown'
  let summary = failureSummary(f, outcome.failure)
  const loud = judgedNotes.filter((n) => n.severity !== 'info').map((n) => n.title)
  if (loud.length > 0) summary = `${summary}; ${loud.join('; ')}`
  return { level, summary, findings, metrics: {} }
}

/** Short enough for a status line: the title, plus the server's words or the error code. */
function failureSummary(f: Finding, failure: Failure): string {
  if (failure.detail) return `${f.title} (HTTP ${failure.httpStatus ?? '?'}: "${failure.detail}")`
  if (failure.kind === 'not-json' || failure.kind === 'not-scale' || failure.kind === 'too-large') {
    const m = failure.message.length > 120 ? `${failure.message.slice(0, 117)}...` : failure.message
    return `${f.title}: ${m}`
  }
  if (failure.httpStatus) return `${f.title} (HTTP ${failure.httpStatus})`
  if (failure.code) return `${f.title} (${failure.code})`
  return f.title
}
