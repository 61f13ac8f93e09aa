// Electron-free: what the monitor tells its faces (tray, window, `watch`, `serve`).
// Types only, so the renderer and preload can import them.
import type { Finding, FailureKind, Level, Metrics, Severity } from '../types.ts'

/** The tray's one state: a level, or offline (nothing reachable), or paused (notifications snoozed). */
export type TrayLevel = Level | 'offline' | 'paused'

export interface ClusterFinding extends Finding {
  /** When this finding was first seen in the current run of polls that had it. */
  since: number
  /** Acknowledged at this severity: still shown, does not raise the tray or notify. */
  acked: boolean
}

/** Everything a face needs to draw one cluster (no secrets; `hasSecret` says one is stored). */
export interface ClusterView {
  id: string
  name: string
  url: string
  uiUrl?: string
  color?: string
  enabled: boolean
  /** The confirmed level, or the raw one while pending. */
  level: Level
  /** No confirmed level yet: `level` is the last poll's, unconfirmed. */
  pending: boolean
  /** Pending for several polls because its level keeps changing (it flaps): no level is agreed. */
  unsettled: boolean
  /** The last poll's own level (may differ from `level` during a blip). */
  rawLevel: Level | null
  /** The level after acknowledgements: what the tray and notifications use. */
  effectiveLevel: Level
  summary: string
  findings: ClusterFinding[]
  metrics: Metrics
  version: string | null
  lastPollAt: number | null
  /** Last time the cluster was read (a status document, or Scale's own 503/204). */
  lastSuccessAt: number | null
  lastDurationMs: number | null
  /** The last poll's failure, if it could not be read. */
  failureKind: FailureKind | null
  nextPollAt: number | null
  consecutiveFailures: number
  confirmedSince: number | null
  snoozedUntil: number | null
  muted: boolean
  hasSecret: boolean
  authKind: string
  /** Bumps whenever a new status document arrives (the window re-fetches details on change). */
  statusRevision: number
  intervalSec: number
}

export interface TrayClusterLine {
  id: string
  name: string
  level: Level
  reason: string
}

export interface TrayState {
  level: TrayLevel
  counts: Record<Level | 'pending', number>
  /** ≤ 127 characters (the Windows limit): the worst clusters and why. */
  tooltip: string
  /** Enabled clusters, worst first, for menus. */
  clusters: TrayClusterLine[]
  offline: boolean
  paused: boolean
  suspended: boolean
}

export type NotificationKind =
  'degraded' | 'recovered' | 'reminder' | 'offline' | 'summary' | 'test'

export interface NotificationCluster {
  id: string
  name: string
  level: Level
  previous: Level | null
  reason: string
}

/** A notification the policy decided on; the shell (or `watch`) shows it. */
export interface TrayNotification {
  id: string
  at: number
  kind: NotificationKind
  title: string
  body: string
  level: TrayLevel
  previous: Level | null
  clusters: NotificationCluster[]
  /** What a click opens: one cluster, or the overview when grouped. */
  open: { clusterId: string | null }
}

export interface LevelChange {
  at: number
  clusterId: string
  level: Level
  previous: Level | null
  /** How long the previous level lasted (null for the first). */
  previousDurationMs: number | null
  findings: { id: string; severity: Severity; title: string }[]
}

export interface MonitorEvents {
  poll: {
    at: number
    clusterId: string
    name: string
    level: Level
    durationMs: number
    outcome: 'ok' | 'stale' | 'failure'
    counted: boolean
  }
  level: LevelChange & { name: string }
  notification: TrayNotification
  tray: TrayState
  /** A cluster's view changed (poll, ack, settings). */
  cluster: ClusterView
  /** Notifications dropped by the rate limit, quiet hours or snooze (for logs). */
  suppressed: {
    at: number
    reason: 'quiet-hours' | 'snoozed' | 'rate-limit' | 'muted' | 'disabled'
    title: string
  }
}

/** One point of the charts. Gauges are the last value seen in the sample's bucket. */
export interface MetricSample {
  t: number
  cpuUsed: number
  cpuTotal: number
  memUsed: number
  memTotal: number
  diskUsed: number
  diskTotal: number
  gpuUsed: number
  gpuTotal: number
  queue: number | null
  nodesTotal: number
  nodesReady: number
  nodesDegraded: number
  nodesOffline: number
  nodesOther: number
  running: number
  failed: number
  failedAlgorithm: number
  failedData: number
  failedSystem: number
}
