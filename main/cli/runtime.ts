// Electron-free: what `watch` and `serve` share — settings (a file, or clusters given on the
// command line), secrets, the reader, the monitor, and history that survives restarts.
import { dirname, join } from 'node:path'
import { Monitor, type ClusterReader } from '../core/monitor/monitor.ts'
import { makeReader } from '../core/monitor/reader.ts'
import { History } from '../core/monitor/history.ts'
import {
  defaultSettings,
  makeCluster,
  type ClusterConfig,
  type Settings
} from '../core/settings/schema.ts'
import {
  EnvSecretStore,
  envSuffix,
  FileSecretStore,
  layeredSecrets,
  MemorySecretStore,
  secretRef,
  type SecretStore
} from '../core/settings/secrets.ts'
import {
  CONTROL_CHARS,
  describeProblem,
  openSettingsStore,
  secretsPathFor,
  type SettingsStore
} from '../core/settings/store.ts'
import { clusterUrls, type ApiVersion } from '../core/scale/client.ts'
import type { Auth } from '../core/scale/auth.ts'
import { login } from '../core/scale/login.ts'
import { TransportCache } from '../core/scale/transport.ts'
import {
  apiVersion,
  AUTH_OPTIONS,
  authFromFlags,
  checkConfigArg,
  CONNECT_OPTIONS,
  connectFromFlags,
  passwordFor,
  seconds,
  UsageError,
  type ConnectFlags,
  type Io
} from './common.ts'

export interface RuntimeOptions {
  /** `--config FILE`; undefined with no clusters on the command line = the default settings file. */
  config?: string
  /** `serve` starts with no cluster at all (the first is added in the dashboard); `watch` cannot. */
  allowEmpty?: boolean
  /** `auth` came from a flag (else from SCALE_TOKEN & co., which rank below a cluster's own variable). */
  authFromFlag?: boolean
  /** `NAME=URL` or `URL` arguments. */
  clusters: string[]
  intervalSec?: number
  timeoutSec?: number
  api?: ApiVersion
  /** Credentials from the flags, for the clusters on the command line. */
  auth: Auth
  env: Record<string, string | undefined>
  /** TLS/proxy flags (clusters on the command line only) and `--username`. */
  connect?: ConnectFlags
  /** The password for `connect.username` (never stored). */
  password?: string
}

export interface CliRuntime {
  settings: Settings
  /**
   * Undefined when nothing is saved: the run is command-line clusters only, or the settings file
   * is read-only for this run (`readOnly`).
   */
  store?: SettingsStore
  /** Set when the settings file was read but must not be written (a notice says why). */
  readOnly?: { path: string; reason: string }
  secrets: SecretStore
  readerFor: (secrets: Pick<SecretStore, 'get'>) => ClusterReader
  /** One dispatcher per cluster (TLS, client certificate, proxy). */
  transports: TransportCache
  monitor: Monitor
  /** Messages for the user: repaired settings, migrations, history problems. */
  notices: string[]
  historyFile?: string
  saveHistory(): Promise<void>
  /** Close every connection (the run ends). */
  close(): Promise<void>
}

/** The longest cluster name the settings accept. */
const MAX_NAME = 80

/** `prod=https://…/api` or a bare URL (named after its host). */
export function parseClusterArg(arg: string, index: number): { name: string; url: string } {
  const eq = arg.indexOf('=')
  const looksNamed = eq >= 0 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(arg.slice(0, eq + 3))
  const name = looksNamed ? arg.slice(0, eq).trim() : ''
  const url = looksNamed ? arg.slice(eq + 1).trim() : arg.trim()
  if (looksNamed && name === '')
    throw new UsageError(
      `cluster ${index + 1}: the name before "=" is empty; give NAME=URL, or the URL alone (named after its host)`
    )
  if (CONTROL_CHARS.test(name))
    throw new UsageError(
      `cluster ${index + 1}: the name holds control characters (escape sequences, line breaks); use plain text`
    )
  const u = clusterUrls(url)
  if ('error' in u) throw new UsageError(`cluster ${index + 1}: ${u.error}`)
  const final = name || new URL(url).host
  // Counted as the settings schema counts (UTF-16 units): an emoji counts as two.
  if (final.length > MAX_NAME)
    throw new UsageError(
      `cluster ${index + 1}: the name "${[...final].slice(0, 20).join('')}…" is too long: the most is ${MAX_NAME} characters (an emoji counts as two); give a shorter NAME=URL`
    )
  return { name: final, url }
}

/** Build everything `watch`/`serve` need; throws UsageError for the user's mistakes. */
export async function buildRuntime(o: RuntimeOptions): Promise<CliRuntime> {
  // What loading the settings, secrets and history said: also put ahead of any usage error that
  // stops the run, so a repair (and where the original went) is never left unsaid.
  const loadNotices: string[] = []
  try {
    return await build(o, loadNotices)
  } catch (err) {
    if (err instanceof UsageError && loadNotices.length > 0)
      throw new UsageError([...loadNotices, err.message].join('\n'), { cause: err })
    throw err
  }
}

async function build(o: RuntimeOptions, loadNotices: string[]): Promise<CliRuntime> {
  const notices: string[] = []
  checkConfigArg(o.config)
  const connect: ConnectFlags = o.connect ?? { tls: {}, transport: false }
  const adhoc = o.clusters.map(parseClusterArg)
  if (connect.transport && adhoc.length === 0)
    throw new UsageError(
      '--ca, --cert, --key, --pfx, --insecure and --proxy apply to clusters given on the command line (NAME=URL); for clusters in a settings file, set them in the cluster settings (scale-tray serve)'
    )
  const names = new Set<string>()
  for (const c of adhoc) {
    if (names.has(c.name.toLowerCase()))
      throw new UsageError(`two clusters are called "${c.name}"; name them: NAME=URL`)
    names.add(c.name.toLowerCase())
  }

  // Secrets, first found wins: credentials from flags (memory), a cluster's own
  // SCALE_TOKEN_<NAME>, the secrets file, then the catch-all SCALE_TOKEN.
  const memory = new MemorySecretStore()
  let file: FileSecretStore | undefined
  let settings: Settings = defaultSettings()
  let store: SettingsStore | undefined
  const nameOf = (id: string): string | undefined =>
    settings.clusters.find((c) => c.id === id)?.name
  const fileOrNothing: SecretStore = {
    kind: 'file',
    get: (r) => file?.get(r),
    has: (r) => file?.has(r) ?? false,
    set: (r, v) => {
      if (!file) throw new Error('no secrets file: start with --config FILE to store credentials')
      file.set(r, v)
    },
    delete: (r) => file?.delete(r)
  }
  // Writes go to memory for a run of command-line clusters only, and for a run whose settings are
  // read-only (nothing of it is saved); a secret deleted in memory is then masked, so the secrets
  // file cannot supply it (e.g. to a cluster an import pointed at another server).
  let inMemory = adhoc.length > 0 && o.config === undefined
  const masked = new Set<string>()
  const readOrder = layeredSecrets(
    memory,
    new EnvSecretStore(nameOf, o.env, 'named'),
    fileOrNothing,
    new EnvSecretStore(nameOf, o.env, 'global')
  )
  const secrets: SecretStore = {
    kind: readOrder.kind,
    get: (r) => (masked.has(r) ? undefined : readOrder.get(r)),
    has: (r) => !masked.has(r) && readOrder.has(r),
    set: (r, v) => {
      if (inMemory) {
        memory.set(r, v)
        masked.delete(r)
      } else fileOrNothing.set(r, v)
    },
    delete: (r) => {
      if (inMemory) {
        memory.delete(r)
        masked.add(r)
      } else fileOrNothing.delete(r)
    }
  }

  let settingsPath: string | undefined
  let readOnly: CliRuntime['readOnly']
  if (o.config !== undefined || adhoc.length === 0) {
    const inner = openSettingsStore({ file: o.config, secrets: fileOrNothing })
    settingsPath = inner.path
    file = new FileSecretStore(secretsPathFor(inner.path))
    const loaded = inner.load()
    settings = loaded.settings
    for (const p of loaded.problems) loadNotices.push(`settings: ${describeProblem(p)}`)
    if (loaded.backupPath)
      loadNotices.push(`settings: the original file was copied to ${loaded.backupPath}`)
    for (const n of loaded.migrated?.notes ?? []) loadNotices.push(`settings: ${n}`)
    // Read now, so a damaged secrets file is reported at start, not at the first poll.
    for (const w of file.check()) loadNotices.push(`secrets: ${w}`)
    // A read-only file is used for this run but never saved to (its problem says so).
    if (loaded.readOnly) {
      readOnly = { path: inner.path, reason: loaded.readOnly }
      inMemory = true
    } else store = inner
    notices.push(...loadNotices)
  }

  // Clusters from the command line: this run only, never written to the settings file.
  const adhocIds = new Set<string>()
  const added: ClusterConfig[] = adhoc.map((c, i) => {
    const id = `cli-${i + 1}`
    adhocIds.add(id)
    // A flag's credential is this cluster's; SCALE_TOKEN(_<NAME>) is found in the environment
    // layers above, so a cluster's own variable beats the catch-all.
    const ownToken = o.env[`SCALE_TOKEN_${envSuffix(c.name)}`]
    const auth: Auth = o.authFromFlag || !ownToken ? o.auth : { kind: 'token', secret: ownToken }
    if (auth.kind !== 'none' && (o.authFromFlag || auth.kind !== 'token'))
      memory.set(secretRef(id), auth.secret)
    return makeCluster({
      id,
      name: c.name,
      url: c.url,
      api: o.api,
      intervalSec: o.intervalSec,
      timeoutSec: o.timeoutSec,
      tls: connect.tls,
      ...(connect.proxy ? { proxy: connect.proxy } : {}),
      auth:
        auth.kind === 'none'
          ? { kind: 'none' }
          : {
              kind: auth.kind,
              username: auth.kind === 'basic' ? auth.username : undefined,
              secretRef: secretRef(id)
            }
    })
  })
  // --interval also applies to stored clusters for this run; their saved interval is kept.
  const savedInterval = new Map(settings.clusters.map((c) => [c.id, c.intervalSec]))
  settings = {
    ...settings,
    clusters: [
      ...settings.clusters.map((c) => (o.intervalSec ? { ...c, intervalSec: o.intervalSec } : c)),
      ...added
    ]
  }
  const enabled = settings.clusters.filter((c) => c.enabled).length
  if (settings.clusters.length > 0 && enabled === 0 && !o.allowEmpty) {
    throw new UsageError(
      `all ${settings.clusters.length} cluster(s) in ${settingsPath ?? 'the settings'} are disabled: enable one in the dashboard (scale-tray serve${o.config ? ` --config ${o.config}` : ''}), or give NAME=URL arguments`
    )
  }
  if (settings.clusters.length === 0 && !o.allowEmpty) {
    throw new UsageError(
      settingsPath
        ? `no clusters in ${settingsPath}: give NAME=URL arguments, or add clusters in the dashboard first (scale-tray serve${o.config ? ` --config ${o.config}` : ''})`
        : 'no clusters: give NAME=URL arguments or --config FILE'
    )
  }
  const persisted = store
  const effectiveStore: SettingsStore | undefined = persisted && {
    path: persisted.path,
    load: () => persisted.load(),
    save: (s) =>
      persisted.save({
        ...s,
        clusters: s.clusters
          .filter((c) => !adhocIds.has(c.id))
          .map((c) =>
            o.intervalSec && c.intervalSec === o.intervalSec && savedInterval.has(c.id)
              ? { ...c, intervalSec: savedInterval.get(c.id) as number }
              : c
          )
      })
  }
  if (!settingsPath && adhoc.length > 0)
    notices.push(
      'settings: clusters from the command line are not saved; use --config FILE to keep changes'
    )

  const historyFile = settingsPath ? join(dirname(settingsPath), 'history.json') : undefined
  let history = new History()
  if (historyFile) {
    const h = await History.load(historyFile)
    history = h.history
    if (h.problem) {
      notices.push(h.problem)
      loadNotices.push(h.problem)
    }
  }
  const transports = new TransportCache({ secrets, env: o.env })
  if (connect.tls.insecure)
    notices.push(
      `WARNING: --insecure: TLS certificates are NOT verified for ${added.map((c) => c.name).join(', ')}; their credentials can be read by anyone on the path`
    )
  if (connect.username) {
    if (o.password === undefined) throw new UsageError('--username needs a password')
    settings = await logIn(settings, connect.username, o.password, {
      adhocIds,
      transports,
      notices,
      memory,
      file: fileOrNothing,
      store: effectiveStore
    })
  }

  const readerFor = (s: Pick<SecretStore, 'get'>): ClusterReader =>
    makeReader({ secrets: s, transportFor: (c) => transports.get(c, s) })
  const monitor = new Monitor({
    settings,
    read: readerFor(secrets),
    history,
    hasSecret: (c) => secrets.has(c.auth.secretRef ?? secretRef(c.id))
  })
  return {
    settings,
    store: effectiveStore,
    ...(readOnly ? { readOnly } : {}),
    secrets,
    readerFor,
    transports,
    monitor,
    notices,
    historyFile,
    saveHistory: async () => {
      if (historyFile) await history.save(historyFile, Date.now())
    },
    close: () => transports.close()
  }
}

/**
 * `--username`: log in to every enabled cluster that uses no credentials or a token, at once.
 * Tokens for clusters on the command line stay in memory; for the settings file's clusters they
 * go to its secret store (the password never does) and the cluster is switched to token auth.
 * When every login fails the run stops with the servers' messages.
 */
async function logIn(
  settings: Settings,
  username: string,
  password: string,
  x: {
    adhocIds: Set<string>
    transports: TransportCache
    notices: string[]
    memory: SecretStore
    file: SecretStore
    store: SettingsStore | undefined
  }
): Promise<Settings> {
  const targets = settings.clusters.filter(
    (c) => c.enabled && (c.auth.kind === 'none' || c.auth.kind === 'token')
  )
  for (const c of settings.clusters)
    if (c.enabled && !targets.includes(c))
      x.notices.push(`login: ${c.name} uses ${c.auth.kind} credentials; not logged in`)
  if (targets.length === 0) throw new UsageError('--username: no cluster to log in to')
  const results = await Promise.all(
    targets.map(async (c) => {
      const t = await x.transports.get(c)
      if (t.blocked) return { c, r: { ok: false as const, message: t.blocked.message } }
      const r = await login({
        url: c.url,
        username,
        password,
        dispatcher: t.dispatcher,
        route: t.route,
        timeoutMs: c.timeoutSec * 1000
      })
      return { c, r }
    })
  )
  const ok = new Map<string, string>()
  for (const { c, r } of results) {
    if (r.ok) ok.set(c.id, r.token)
    else x.notices.push(`login: ${c.name} as ${username} failed: ${r.message}`)
  }
  if (ok.size === 0)
    throw new UsageError(
      results
        .map(({ c, r }) => `login to ${c.name} as ${username} failed: ${r.ok ? '' : r.message}`)
        .join('\n')
    )
  let savedAny = false
  const clusters = settings.clusters.map((c) => {
    const token = ok.get(c.id)
    if (token === undefined) return c
    const ref = secretRef(c.id)
    // Nothing is saved for a run whose settings are read-only (no store): the token lives in memory.
    if (x.adhocIds.has(c.id) || !x.store) x.memory.set(ref, token)
    else {
      try {
        x.file.set(ref, token)
        savedAny = true
      } catch (err) {
        x.memory.set(ref, token)
        x.notices.push(
          `login: ${c.name}: ${(err as Error).message}; the token is used for this run only`
        )
      }
    }
    return { ...c, auth: { kind: 'token' as const, username, secretRef: ref } }
  })
  const next = { ...settings, clusters }
  if (savedAny && x.store) {
    try {
      x.store.save(next)
      x.notices.push(
        `login: saved tokens for ${[...ok.keys()].filter((id) => !x.adhocIds.has(id)).length} cluster(s) in the secret store (the password is not kept)`
      )
    } catch (err) {
      x.notices.push(
        `login: the tokens are stored, but the settings could not be saved (${(err as Error).message}): they are used for this run only`
      )
    }
  }
  return next
}

/** `watch` and `serve`: the runtime their shared flags describe (--config, clusters, interval, auth, TLS, proxy, login). */
/** The flags runtimeFromFlags reads, for the parseCommand options of `watch` and `serve`. */
export const RUNTIME_OPTIONS = {
  config: { type: 'string' },
  interval: { type: 'string' },
  timeout: { type: 'string' },
  api: { type: 'string' },
  ...AUTH_OPTIONS,
  ...CONNECT_OPTIONS
} as const

export async function runtimeFromFlags(
  values: Record<string, unknown>,
  positionals: string[],
  io: Io,
  opts: { allowEmpty?: boolean } = {}
): Promise<CliRuntime> {
  const intervalMs = seconds('interval', values.interval, 1, 3600)
  const timeoutMs = seconds('timeout', values.timeout, 1, 300)
  const connect = connectFromFlags(values)
  return buildRuntime({
    allowEmpty: opts.allowEmpty,
    authFromFlag: ['token', 'bearer', 'basic', 'dcos-token'].some(
      (k) => typeof values[k] === 'string'
    ),
    config: typeof values.config === 'string' ? values.config : undefined,
    clusters: positionals,
    intervalSec: intervalMs === undefined ? undefined : intervalMs / 1000,
    timeoutSec: timeoutMs === undefined ? undefined : timeoutMs / 1000,
    api: apiVersion(values.api),
    auth: authFromFlags(values, io.env),
    env: io.env,
    connect,
    ...(connect.username ? { password: await passwordFor(connect.username, io) } : {})
  })
}

/** Save history every 5 minutes (and the caller saves on exit), so a crash loses little. */
export function saveHistoryPeriodically(rt: CliRuntime, io: Io, command: string): NodeJS.Timeout {
  return setInterval(
    () =>
      void rt
        .saveHistory()
        .catch((e: Error) =>
          io.err(`scale-tray ${command}: could not save history: ${e.message}\n`)
        ),
    5 * 60_000
  )
}
