// Electron-free: the shared vocabulary of Scale Tray (levels, findings, read outcomes, metrics).
// Imported as types by the renderer and the preload, so this file holds types and constants only.
import type { ScaleStatus } from './scale/schema.ts'

/** A cluster's health. `unknown` means it could not be read (or was not read yet). */
export type Level = 'ok' | 'warning' | 'critical' | 'unknown'
/** A finding's weight. `info` never raises the level. */
export type Severity = 'info' | 'warning' | 'critical'
/** What a user may set a finding (by id or id prefix) to. */
export type OverrideSeverity = Severity | 'ignore'

/** Worse first: critical > warning > unknown > ok (the tray's precedence). */
export const LEVEL_RANK: Record<Level, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 }
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 }

export interface Finding {
  /** Stable, dotted, e.g. `dependency.msg_queue.RABBITMQ_ERROR`; what overrides and acks key on. */
  id: string
  severity: Severity
  title: string
  message: string
  /** What the operator can do about it, when we know. */
  fix?: string
  /** Set when a user override changed the default severity. */
  overridden?: { from: Severity }
}

/**
 * Why a cluster could not be read. Every transport and protocol failure maps to one of these.
 * `proxy`: the proxy could not be reached, refused the tunnel, wants credentials, or could not
 * reach the cluster. `login`: `POST /api-token-auth/` refused the user name and password.
 */
export const FAILURE_KINDS = [
  'dns',
  'refused',
  'reset',
  'timeout',
  'tls',
  'network',
  'auth',
  'not-found',
  'redirect',
  'http',
  'too-large',
  'not-json',
  'not-scale',
  'bad-url',
  'proxy',
  'login'
] as const
export type FailureKind = (typeof FAILURE_KINDS)[number]

export interface Failure {
  kind: FailureKind
  /** One sentence for a human: what happened. */
  message: string
  /** HTTP status when there was a response. */
  httpStatus?: number
  /** The server's `{"detail": ...}` text, when it sent one. */
  detail?: string
  /** Redirect target. */
  location?: string
  /** TLS reason: `unknown-issuer`, `self-signed`, `expired`, `not-yet-valid`, `hostname-mismatch`, `handshake`, ... */
  tlsReason?: string
  /** The low-level error code (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, ...). */
  code?: string
  /** not-json: whether the body looked like an HTML page (login page, proxy error page). */
  looksLikeHtml?: boolean
  /** not-scale: the first path that failed validation, e.g. `nodes[3].state.name`. */
  path?: string
  /** proxy: the proxy the request went through, without credentials (`http://proxy:3128`). */
  proxy?: string
  /** proxy: unreachable (no connection to it), refused (it said no), auth (407), upstream (it could not reach the cluster), config (a bad proxy setting). */
  proxyReason?: 'unreachable' | 'refused' | 'auth' | 'upstream' | 'config'
  /** login: the user name that was refused. */
  username?: string
}

interface OutcomeBase {
  /** The `/status/` URL that was requested. */
  url: string
  /** `/version/`'s answer, when it gave one (it is public from 7.0.0 on). */
  version: string | null
  /** Wall time of the status request. */
  durationMs: number
  /** When the read finished (ms since epoch). */
  at: number
  /**
   * Findings about how the cluster was reached rather than what it said (TLS not verified, a
   * client certificate near expiry, a CA file that cannot be read); `evaluate` adds them to the
   * verdict whatever the outcome.
   */
  notes?: Finding[]
}

/** A client outcome: the client never throws, every result is one of these. */
export type ReadOutcome =
  | (OutcomeBase & { kind: 'ok'; status: ScaleStatus; bytes: number })
  /** 503 (7.0.1+) or 204 (earlier): the scheduler is offline or its status is stale. */
  | (OutcomeBase & { kind: 'stale'; httpStatus: 503 | 204; detail: string | null })
  | (OutcomeBase & { kind: 'failure'; failure: Failure })

export interface ResourceSample {
  running: number
  offered: number
  free: number
  unavailable: number
  total: number
}

/** What later issues chart; all optional because old releases and failures lack parts. */
export interface Metrics {
  nodes?: { total: number; byState: Record<string, number> }
  /** Keyed by resource kind (cpus, mem MiB, disk MiB, gpus, custom). */
  resources?: Record<string, ResourceSample>
  queueDepth?: number | null
  scheduler?: Record<string, number>
  jobs?: {
    running: number
    completed: number
    failed: { total: number; algorithm: number; data: number; system: number }
  }
  numOffers?: number
}

/** The verdict on one read. */
export interface Evaluation {
  level: Level
  /** One line, for a tooltip, a notification or the Nagios status line. */
  summary: string
  findings: Finding[]
  metrics: Metrics
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: string }

/** What a settings import did (`scale-tray settings import`, the window's import). */
export interface ImportReport {
  /** Names of the clusters added. */
  added: string[]
  /** Names of existing clusters replaced (only when replacing was asked for). */
  replaced: string[]
  /** Clusters left out, and why (a duplicate id or URL, no usable URL…). */
  skipped: { name: string; reason: string }[]
  /** Clusters (added or replaced) that need credentials entered before they can be read. */
  needCredentials: string[]
  /** Repairs made to the file's contents and other remarks (never a secret). */
  notes: string[]
}
