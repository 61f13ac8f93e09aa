// Electron-free: a Scale simulator over real HTTP, for demos and tests.
//
// Serves `/api/v6|v7/status/`, `/api/v6|v7/version/` and `POST /api/api-token-auth/` the way a
// real Scale web server does (scale-status-api.md §2–4, §8), for one default cluster at `/api/…`
// and any number of named clusters at `/<key>/api/…`. A key that names a scenario gets it
// (`/degraded/api/…`); other keys are set up with `POST /_sim/clusters/<key>`, which is also how
// tests script a cluster's story (healthy → dependency-down → healthy).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer, type ServerOptions as HttpsOptions } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { scaleTime } from './generate.ts'
import {
  DJANGO_404,
  DJANGO_500,
  isScenario,
  LEGACY_VERSION,
  SCALE_VERSION,
  SCENARIO_NOTES,
  SCENARIOS,
  scenarioStatus,
  type ScenarioName
} from './scenarios.ts'

export interface SimOptions {
  port?: number
  host?: string
  /** Scenario of the default cluster at `/api/…` (default healthy). */
  scenario?: ScenarioName
  /** Node count for the default cluster (and for scenario-named clusters). */
  nodes?: number
  /** The token auth-required clusters accept, and api-token-auth hands out. */
  token?: string
  username?: string
  password?: string
  /** How long `slow` takes to finish its body (default 20 s). */
  delayMs?: number
  /** How big `huge` is (default 40 MiB). */
  hugeBytes?: number
  /** Serve HTTPS with these options (key, cert, ca, requestCert...). */
  tls?: HttpsOptions
  /** Called for each request, for `sim --verbose`. */
  log?: (line: string) => void
}

export interface ClusterSetup {
  scenario: ScenarioName
  nodes?: number
}

export interface RunningSim {
  /** The default cluster's API base, e.g. `http://127.0.0.1:41234/api`. */
  url: string
  origin: string
  /** API base of a named cluster, e.g. `urlFor('degraded')` → `…/degraded/api`. */
  urlFor(key: string): string
  /** Create or change a named cluster. */
  setCluster(key: string, setup: ClusterSetup): void
  /** Status requests served to a cluster so far (`'_default'` for `/api/…`). */
  requestCount(key?: string): number
  close(): Promise<void>
}

interface ClusterState extends ClusterSetup {
  statusRequests: number
}

export const DEFAULT_SIM_TOKEN = 'sim-token-0123456789abcdef'
const DEFAULT_KEY = '_default'

function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  extra: Record<string, string> = {}
): void {
  const text = JSON.stringify(body)
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    vary: 'Accept, Cookie',
    allow: 'GET, HEAD, OPTIONS',
    ...extra
  })
  res.end(text)
}

function sendBody(res: ServerResponse, text: string): void {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    vary: 'Accept, Cookie',
    allow: 'GET, HEAD, OPTIONS'
  })
  res.end(text)
}

function sendHtml(res: ServerResponse, code: number, html: string): void {
  res.writeHead(code, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html)
  })
  res.end(html)
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = []
  let n = 0
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length
    if (n > limit) throw new Error('request body too large')
    chunks.push(c)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Start the simulator; resolves once it listens. */
export async function startSim(opts: SimOptions = {}): Promise<RunningSim> {
  const token = opts.token ?? DEFAULT_SIM_TOKEN
  const username = opts.username ?? 'admin'
  const password = opts.password ?? 'admin'
  const delayMs = opts.delayMs ?? 20_000
  const hugeBytes = opts.hugeBytes ?? 40 * 1024 * 1024
  const clusters = new Map<string, ClusterState>()
  clusters.set(DEFAULT_KEY, {
    scenario: opts.scenario ?? 'healthy',
    nodes: opts.nodes,
    statusRequests: 0
  })
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()

  const clusterFor = (key: string): ClusterState | undefined => {
    let c = clusters.get(key)
    if (!c && isScenario(key)) {
      c = { scenario: key, nodes: opts.nodes, statusRequests: 0 }
      clusters.set(key, c)
    }
    return c
  }

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }

  function serveStatus(res: ServerResponse, c: ClusterState, authz: string | undefined): void {
    const now = new Date()
    const n = c.statusRequests++
    switch (c.scenario) {
      case 'stale':
        return sendJson(res, 503, { detail: 'Status is over 12 seconds old' })
      case 'missing':
        return sendJson(res, 503, { detail: 'Status is missing. Scheduler may be down.' })
      case 'legacy-5x-stale':
        res.writeHead(204)
        return void res.end()
      case 'not-found':
        return sendHtml(res, 404, DJANGO_404)
      case 'server-error':
        return sendHtml(res, 500, DJANGO_500)
      case 'redirect-login':
        res.writeHead(302, {
          location: '/accounts/login/?next=/api/v6/status/',
          'content-length': 0
        })
        return void res.end()
      case 'hang':
        return // never answer; the socket stays open until the client gives up
      case 'garbage': {
        const text = JSON.stringify(scenarioStatus('healthy', now, c.nodes))
        const cut = text.slice(0, Math.floor(text.length * 0.6)) // a body cut off mid-document
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(cut)
        })
        return void res.end(cut)
      }
      case 'auth-required': {
        if (!authz)
          return sendJson(res, 403, { detail: 'Authentication credentials were not provided.' })
        if (authz !== `Token ${token}`) return sendJson(res, 403, { detail: 'Invalid token.' })
        return sendJson(res, 200, scenarioStatus('healthy', now, c.nodes))
      }
      case 'slow': {
        const text = JSON.stringify(scenarioStatus('healthy', now, c.nodes))
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text)
        })
        const parts = 10
        const size = Math.ceil(text.length / parts)
        let i = 0
        const next = (): void => {
          if (res.destroyed) return
          res.write(text.slice(i * size, (i + 1) * size))
          i++
          if (i >= parts) res.end()
          else later(delayMs / parts, next)
        }
        return next()
      }
      case 'huge':
        return streamHuge(res, now)
      default:
        return sendBody(res, liveBody(c.scenario, c.nodes, n, now))
    }
  }

  /**
   * Like Scale, which serves a stored JSON blob rather than building one per request, the
   * simulator builds each (scenario, size) document once and then only refreshes its two
   * top-level timestamps. Fifty 1,000-node clusters then cost the simulator almost nothing,
   * so a soak test measures the monitor, not the simulator. Rebuilt every 10 minutes so
   * nested "since" times stay plausible.
   */
  const bodies = new Map<string, { at: number; parts: string[] }>()
  function liveBody(
    scenario: ScenarioName,
    nodes: number | undefined,
    requestNo: number,
    now: Date
  ): string {
    const variant = scenario === 'flapping' ? requestNo % 2 : 0
    const key = `${scenario}|${nodes ?? ''}|${variant}`
    let b = bodies.get(key)
    if (!b || now.getTime() - b.at > 10 * 60_000) {
      const doc = scenarioStatus(scenario, now, nodes, variant)
      const text = JSON.stringify({
        ...doc,
        timestamp: '\u0000TS',
        ...(doc.last_updated ? { last_updated: '\u0000LU' } : {})
      })
      // ["…", "TS", "…", "LU", "…"]: odd entries name the timestamp that goes there.
      b = { at: now.getTime(), parts: text.split(/"\\u0000(TS|LU)"/) }
      bodies.set(key, b)
    }
    const ts = JSON.stringify(scaleTime(now))
    const lu = JSON.stringify(scaleTime(new Date(now.getTime() - 3_000)))
    let out = ''
    b.parts.forEach((p, i) => (out += i % 2 === 0 ? p : p === 'TS' ? ts : lu))
    return out
  }

  function streamHuge(res: ServerResponse, now: Date): void {
    const doc = scenarioStatus('healthy', now, 1)
    const node = JSON.stringify(doc.nodes[0])
    res.writeHead(200, { 'content-type': 'application/json' }) // chunked: no length up front
    let sent = 0
    const head = `{"timestamp":"${scaleTime(now)}","job_types":[],"nodes":[`
    res.write(head)
    sent += head.length
    let first = true
    const pump = (): void => {
      while (!res.destroyed && sent < hugeBytes) {
        const chunk = (first ? '' : ',') + Array.from({ length: 64 }, () => node).join(',')
        first = false
        sent += chunk.length
        if (!res.write(chunk)) return void res.once('drain', pump)
      }
      if (!res.destroyed) res.end(']}')
    }
    pump()
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim')
    const parts = url.pathname.split('/').filter(Boolean)
    opts.log?.(`${req.method ?? 'GET'} ${url.pathname}`)

    // Control API for tests and demos.
    if (parts[0] === '_sim') {
      if (req.method === 'GET' && parts.length === 1) {
        return sendJson(res, 200, {
          scenarios: SCENARIO_NOTES,
          clusters: Object.fromEntries(
            [...clusters].map(([k, v]) => [
              k,
              { scenario: v.scenario, nodes: v.nodes ?? null, statusRequests: v.statusRequests }
            ])
          )
        })
      }
      if (req.method === 'POST' && parts[1] === 'clusters' && parts[2]) {
        let body: unknown
        try {
          body = JSON.parse(await readBody(req))
        } catch {
          return sendJson(res, 400, { detail: 'body must be JSON {"scenario": NAME, "nodes": N}' })
        }
        const b = body as { scenario?: unknown; nodes?: unknown }
        if (typeof b.scenario !== 'string' || !isScenario(b.scenario)) {
          return sendJson(res, 400, { detail: `unknown scenario; one of: ${SCENARIOS.join(', ')}` })
        }
        const prev = clusters.get(parts[2])
        clusters.set(parts[2], {
          scenario: b.scenario,
          nodes: typeof b.nodes === 'number' ? b.nodes : prev?.nodes,
          statusRequests: prev?.statusRequests ?? 0
        })
        return sendJson(res, 200, { key: parts[2], scenario: b.scenario })
      }
      return sendJson(res, 404, { detail: 'Not found.' })
    }

    // /api/… is the default cluster; /<key>/api/… a named one.
    let key = DEFAULT_KEY
    let rest = parts
    if (parts[0] !== 'api') {
      key = parts[0] ?? ''
      rest = parts.slice(1)
    }
    const c = clusterFor(key)
    if (!c || rest[0] !== 'api') return sendHtml(res, 404, DJANGO_404)
    const legacy = c.scenario === 'legacy-5x' || c.scenario === 'legacy-5x-stale'
    const allowed = legacy ? ['v5', 'v6'] : ['v6', 'v7']
    const [, ver, endpoint] = rest

    if (ver === 'api-token-auth' && rest.length === 2) {
      if (req.method !== 'POST')
        return sendJson(res, 405, { detail: `Method "${req.method ?? ''}" not allowed.` })
      let creds: Record<string, unknown>
      try {
        const text = await readBody(req)
        creds = (req.headers['content-type'] ?? '').includes('json')
          ? (JSON.parse(text) as Record<string, unknown>)
          : Object.fromEntries(new URLSearchParams(text))
      } catch {
        return sendJson(res, 400, { detail: 'JSON parse error' })
      }
      if (!creds.username || !creds.password) {
        return sendJson(res, 400, {
          ...(creds.username ? {} : { username: ['This field is required.'] }),
          ...(creds.password ? {} : { password: ['This field is required.'] })
        })
      }
      if (creds.username !== username || creds.password !== password) {
        return sendJson(res, 400, {
          non_field_errors: ['Unable to log in with provided credentials.']
        })
      }
      return sendJson(res, 200, { token })
    }

    if (
      !ver ||
      !allowed.includes(ver) ||
      (endpoint !== 'status' && endpoint !== 'version') ||
      rest.length !== 3
    ) {
      return sendHtml(res, 404, DJANGO_404)
    }
    // Django's CommonMiddleware appends the slash with a permanent redirect.
    if (!url.pathname.endsWith('/')) {
      res.writeHead(301, { location: `${url.pathname}/${url.search}`, 'content-length': 0 })
      return void res.end()
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { detail: `Method "${req.method ?? ''}" not allowed.` })

    const authz = req.headers.authorization
    if (endpoint === 'version') {
      if (c.scenario === 'not-found') return sendHtml(res, 404, DJANGO_404)
      if (c.scenario === 'hang') return
      if (c.scenario === 'server-error') return sendHtml(res, 500, DJANGO_500)
      if (c.scenario === 'redirect-login') {
        res.writeHead(302, {
          location: '/accounts/login/?next=/api/v6/version/',
          'content-length': 0
        })
        return void res.end()
      }
      // Public from 7.0.0, but a bad token is still refused (authentication runs first).
      if (c.scenario === 'auth-required' && authz && authz !== `Token ${token}`)
        return sendJson(res, 403, { detail: 'Invalid token.' })
      return sendJson(res, 200, { version: legacy ? LEGACY_VERSION : SCALE_VERSION })
    }
    serveStatus(res, c, authz)
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      // A simulator bug must show, not hang the client.
      if (!res.headersSent) sendJson(res, 500, { detail: `simulator error: ${String(err)}` })
      else res.destroy()
    })
  }
  const server: Server = opts.tls ? createTlsServer(opts.tls, listener) : createServer(listener)
  server.keepAliveTimeout = 5_000
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const origin = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    url: `${origin}/api`,
    origin,
    urlFor: (key) => `${origin}/${key}/api`,
    setCluster(key, setup) {
      const prev = clusters.get(key)
      clusters.set(key, { ...setup, statusRequests: prev?.statusRequests ?? 0 })
    },
    requestCount: (key = DEFAULT_KEY) => clusters.get(key)?.statusRequests ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t)
        timers.clear()
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}
