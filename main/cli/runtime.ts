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
  FileSecretStore,
  layeredSecrets,
  MemorySecretStore,
  secretRef,
  type SecretStore
} from '../core/settings/secrets.ts'
import {
  describeProblem,
  openSettingsStore,
  secretsPathFor,
  type SettingsStore
} from '../core/settings/store.ts'
import { clusterUrls, type ApiVersion } from '../core/scale/client.ts'
import type { Auth } from '../core/scale/auth.ts'
import { UsageError } from './common.ts'

export interface RuntimeOptions {
  /** `--config FILE`; undefined with no clusters on the command line = the default settings file. */
  config?: string
  /** `NAME=URL` or `URL` arguments. */
  clusters: string[]
  intervalSec?: number
  timeoutSec?: number
  api?: ApiVersion
  /** Credentials from the flags, for the clusters on the command line. */
  auth: Auth
  env: Record<string, string | undefined>
}

export interface CliRuntime {
  settings: Settings
  /** Undefined when the run is command-line clusters only (nothing is saved). */
  store?: SettingsStore
  secrets: SecretStore
  readerFor: (secrets: Pick<SecretStore, 'get'>) => ClusterReader
  monitor: Monitor
  /** Messages for the user: repaired settings, migrations, history problems. */
  notices: string[]
  historyFile?: string
  saveHistory(): Promise<void>
}

/** `prod=https://…/api` or a bare URL (named after its host). */
export function parseClusterArg(arg: string, index: number): { name: string; url: string } {
  const eq = arg.indexOf('=')
  const looksNamed = eq > 0 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(arg.slice(0, eq + 3))
  const name = looksNamed ? arg.slice(0, eq).trim() : ''
  const url = looksNamed ? arg.slice(eq + 1).trim() : arg.trim()
  const u = clusterUrls(url)
  if ('error' in u) throw new UsageError(`cluster ${index + 1} ("${arg}"): ${u.error}`)
  return { name: name || new URL(url).host, url }
}

/** Build everything `watch`/`serve` need; throws UsageError for the user's mistakes. */
export async function buildRuntime(o: RuntimeOptions): Promise<CliRuntime> {
  const notices: string[] = []
  const adhoc = o.clusters.map(parseClusterArg)
  const names = new Set<string>()
  for (const c of adhoc) {
    if (names.has(c.name.toLowerCase()))
      throw new UsageError(`two clusters are called "${c.name}"; name them: NAME=URL`)
    names.add(c.name.toLowerCase())
  }

  // Secrets: command-line credentials in memory, then the secrets file, then the environment.
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
  const secrets = layeredSecrets(
    adhoc.length > 0 && o.config === undefined ? memory : fileOrNothing,
    memory,
    fileOrNothing,
    new EnvSecretStore(nameOf, o.env)
  )

  if (o.config !== undefined || adhoc.length === 0) {
    const inner = openSettingsStore({ file: o.config, secrets: fileOrNothing })
    file = new FileSecretStore(secretsPathFor(inner.path))
    const loaded = inner.load()
    settings = loaded.settings
    for (const p of loaded.problems) notices.push(`settings: ${describeProblem(p)}`)
    if (loaded.backupPath)
      notices.push(`settings: the original file was copied to ${loaded.backupPath}`)
    for (const n of loaded.migrated?.notes ?? []) notices.push(`settings: ${n}`)
    for (const w of file.warnings) notices.push(`secrets: ${w}`)
    store = inner
  }

  // Clusters from the command line: this run only, never written to the settings file.
  const adhocIds = new Set<string>()
  const added: ClusterConfig[] = adhoc.map((c, i) => {
    const id = `cli-${i + 1}`
    adhocIds.add(id)
    if (o.auth.kind !== 'none') memory.set(secretRef(id), o.auth.secret)
    return makeCluster({
      id,
      name: c.name,
      url: c.url,
      api: o.api,
      intervalSec: o.intervalSec,
      timeoutSec: o.timeoutSec,
      auth:
        o.auth.kind === 'none'
          ? { kind: 'none' }
          : {
              kind: o.auth.kind,
              username: o.auth.kind === 'basic' ? o.auth.username : undefined,
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
  if (settings.clusters.length === 0) {
    throw new UsageError(
      store
        ? `no clusters in ${store.path}: give NAME=URL arguments, or add clusters in the dashboard (scale-tray serve)`
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
  if (!store && adhoc.length > 0)
    notices.push(
      'settings: clusters from the command line are not saved; use --config FILE to keep changes'
    )

  const historyFile = store ? join(dirname(store.path), 'history.json') : undefined
  let history = new History()
  if (historyFile) {
    const h = await History.load(historyFile)
    history = h.history
    if (h.problem) notices.push(h.problem)
  }
  const readerFor = (s: Pick<SecretStore, 'get'>): ClusterReader => makeReader({ secrets: s })
  const monitor = new Monitor({
    settings,
    read: readerFor(secrets),
    history,
    hasSecret: (c) => secrets.has(c.auth.secretRef ?? secretRef(c.id))
  })
  return {
    settings,
    store: effectiveStore,
    secrets,
    readerFor,
    monitor,
    notices,
    historyFile,
    saveHistory: async () => {
      if (historyFile) await history.save(historyFile, Date.now())
    }
  }
}
