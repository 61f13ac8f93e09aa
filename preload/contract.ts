// The one bridge contract between the app (main) and the dashboard (renderer): channel names,
// request and response types, pushes. Imported by main (IPC handlers, `serve`), the Electron
// preload, and the renderer's two bridges (Electron IPC and HTTP). Types only, plus constants,
// so the sandboxed preload stays tiny.
import type {
  ClusterView,
  LevelChange,
  MetricSample,
  TrayNotification,
  TrayState
} from '../main/core/monitor/types.ts'
import type { ScaleStatus } from '../main/core/scale/schema.ts'
import type { ClusterConfig, NotificationSettings, Settings } from '../main/core/settings/schema.ts'
import type { Finding, ImportReport, Level, Result } from '../main/core/types.ts'

export type { ImportReport, Result }

/** A cluster's settings as the window sees them: everything but secrets, plus whether one is stored. */
export type ClusterSettingsView = ClusterConfig & { hasSecret: boolean; hasPassphrase: boolean }

export type SettingsView = Omit<Settings, 'clusters'> & { clusters: ClusterSettingsView[] }

/** What the window needs to draw everything at once. */
export interface Snapshot {
  clusters: ClusterView[]
  tray: TrayState
  notifications: TrayNotification[]
  settings: SettingsView
  /** Settings problems found at start (a repaired file), shown once as a banner. */
  notices: string[]
  serverTime: number
  app: {
    mode: 'electron' | 'serve'
    version: string
    notificationsSupported: boolean
    secretsBacking: string
  }
}

/**
 * Add or edit a cluster. `secret` is write-only: a string stores it, `null` deletes it, absent
 * keeps what is stored. Everything is validated by the settings schema; errors come back as data.
 */
export interface ClusterEdit {
  name: string
  url: string
  api?: 'v6' | 'v7'
  enabled?: boolean
  intervalSec?: number
  timeoutSec?: number
  auth?: { kind: 'none' | 'token' | 'bearer' | 'basic' | 'dcos'; username?: string }
  secret?: string | null
  /** For a client certificate's key (PKCS#12 or encrypted PEM): write-only like `secret`. */
  passphrase?: string | null
  tls?: {
    caFile?: string
    certFile?: string
    keyFile?: string
    pfxFile?: string
    insecure?: boolean
  }
  proxy?: { mode: 'system' | 'none' | 'explicit'; url?: string }
  overrides?: Record<string, 'ignore' | 'info' | 'warning' | 'critical'>
  color?: string
  uiUrl?: string
  /**
   * Log in for a token (`POST <api>/api-token-auth/`): add/update store the token as the
   * cluster's secret (auth kind `token`, the user name kept; `secret` is then ignored); test
   * connection uses it without storing it. The password is never stored. A refused login comes
   * back as data with the server's message.
   */
  login?: { username: string; password: string }
}

/** Field-level validation errors for a form: `{ url: 'an http:// or https:// URL' }`. */
export type FieldErrors = Record<string, string>
export type EditResult =
  { ok: true; value: ClusterSettingsView } | { ok: false; error: string; fields?: FieldErrors }

/** The exact outcome of "test connection": what `check` would say. */
export interface TestResult {
  level: Level
  summary: string
  findings: Finding[]
  version: string | null
  url: string
  durationMs: number
  httpStatus: number | null
  nodes: number | null
}

export interface ClusterHistoryView {
  changes: LevelChange[]
  samples: MetricSample[]
  episodes: { start: number; end: number | null; level: string; durationMs: number }[]
}

export interface ClusterStatusView {
  status: ScaleStatus
  revision: number
  at: number | null
}

export const Invoke = {
  getSnapshot: 'app:snapshot',
  getClusterStatus: 'cluster:status',
  getHistory: 'cluster:history',
  refresh: 'cluster:refresh',
  addCluster: 'cluster:add',
  updateCluster: 'cluster:update',
  removeCluster: 'cluster:remove',
  setEnabled: 'cluster:enable',
  testConnection: 'cluster:test',
  acknowledge: 'finding:ack',
  snooze: 'notify:snooze',
  mute: 'cluster:mute',
  setNotificationSettings: 'notify:settings',
  testNotification: 'notify:test',
  exportHistory: 'history:export',
  openExternal: 'app:open-external',
  exportSettings: 'settings:export',
  importSettings: 'settings:import',
  setStartAtLogin: 'app:start-at-login'
} as const

export interface InvokeTypes {
  getSnapshot: { req: void; res: Snapshot }
  getClusterStatus: { req: { id: string }; res: ClusterStatusView | null }
  getHistory: { req: { id: string }; res: ClusterHistoryView }
  refresh: { req: { id?: string }; res: Result<null> }
  addCluster: { req: ClusterEdit; res: EditResult }
  updateCluster: { req: { id: string; edit: ClusterEdit }; res: EditResult }
  removeCluster: { req: { id: string }; res: Result<null> }
  setEnabled: { req: { id: string; enabled: boolean }; res: Result<null> }
  testConnection: { req: { edit: ClusterEdit; id?: string }; res: Result<TestResult> }
  acknowledge: { req: { clusterId: string; findingId: string; ack: boolean }; res: Result<null> }
  /** `clusterId` absent: all notifications. `until` null: resume. */
  snooze: { req: { clusterId?: string; until: number | null }; res: Result<null> }
  mute: { req: { id: string; muted: boolean }; res: Result<null> }
  setNotificationSettings: {
    req: Partial<Omit<NotificationSettings, 'snoozedUntil'>>
    res: Result<NotificationSettings>
  }
  testNotification: { req: void; res: Result<{ shown: boolean; detail: string }> }
  exportHistory: {
    req: { id?: string; format: 'json' | 'csv' }
    res: Result<{ filename: string; content: string }>
  }
  openExternal: { req: { url: string }; res: Result<null> }
  /** The settings as a JSON file to save: every secret stripped, with a note of who needs credentials. */
  exportSettings: { req: void; res: { filename: string; content: string } }
  /**
   * Merge an exported settings file. Existing clusters (same id or URL) are skipped unless
   * `replace` (the window asks first). An unreadable file is an error; skips are in the report.
   */
  importSettings: { req: { content: string; replace: boolean }; res: Result<ImportReport> }
  /** The tray app only: start when the user logs in (the shell applies it to the OS). */
  setStartAtLogin: { req: { enabled: boolean }; res: Result<null> }
}

/** Pushes from the app to the window. */
export type PushEvent =
  | { type: 'cluster'; cluster: ClusterView }
  | { type: 'removed'; id: string }
  | { type: 'tray'; tray: TrayState }
  | { type: 'notification'; notification: TrayNotification }
  | { type: 'settings'; settings: SettingsView }
  /** The shell asks the window to show a cluster (tray menu, notification click). */
  | { type: 'navigate'; clusterId: string | null; view?: 'overview' | 'settings' }

export const Push = { event: 'app:event' } as const

export type BridgeApi = {
  [K in keyof InvokeTypes]: InvokeTypes[K]['req'] extends void
    ? () => Promise<InvokeTypes[K]['res']>
    : (req: InvokeTypes[K]['req']) => Promise<InvokeTypes[K]['res']>
} & {
  /** Subscribe to pushes; returns the unsubscribe. */
  onEvent(listener: (e: PushEvent) => void): () => void
}

/** The HTTP bridge of `scale-tray serve`: `POST /api/<channel>` with the request as JSON, SSE at `/api/events`. */
export const HTTP_PREFIX = '/bridge/'
export const SSE_PATH = '/bridge/events'
