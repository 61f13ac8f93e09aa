// Electron-free: the monitor — polls every enabled cluster, confirms level changes, decides the
// tray state and the notifications, and keeps history. The Electron shell, `watch` and `serve`
// only draw what it decides.
import { applyOverrides } from '../health/overrides.ts'
import { evaluate } from '../health/rules.ts'
import {
  LEVEL_RANK,
  type Evaluation,
  type FailureKind,
  type Finding,
  type Level,
  type ReadOutcome,
  type Severity
} from '../types.ts'
import type { ScaleStatus } from '../scale/schema.ts'
import { scaleUiUrl, type ClusterConfig, type Settings } from '../settings/schema.ts'
import { systemClock, type Clock, type TimerHandle } from './clock.ts'
import { History, sampleFrom } from './history.ts'
import { NotificationPolicy } from './notify.ts'
import { sameTray, trayState } from './tray.ts'
import type {
  ClusterFinding,
  ClusterView,
  MonitorEvents,
  NotificationCluster,
  TrayNotification,
  TrayState
} from './types.ts'

/** Failures that mean "could not connect" (what offline and back-off are about). */
export const CONNECTION_FAILURES: ReadonlySet<FailureKind> = new Set([
  'dns',
  'refused',
  'reset',
  'timeout',
  'network',
  // The proxy in the way is down or refuses: back off the same way.
  'proxy'
])
/** Back-off ceiling for an unreachable cluster. */
export const MAX_BACKOFF_MS = 5 * 60_000
/** While everything is unreachable, probe at least this often, so coming back is noticed. */
const OFFLINE_PROBE_MS = 60_000
/** A level change seen once is re-checked this soon (Scale refreshes its status every 5 s). */
const CONFIRM_DELAY_MS = 5_000
/** Ask `/version/` again after this long. */
const VERSION_EVERY_MS = 15 * 60_000
const HOUSEKEEPING_MS = 5_000
/**
 * Full status documents are kept only for clusters a window looked at recently: a 1,000-node
 * document is ~4 MB of heap, and 50 of them held at once cost more in GC than reading them.
 */
const DETAIL_INTEREST_MS = 10 * 60_000

export interface ReadContext {
  signal: AbortSignal
  /** The monitor already knows the version and does not need it on every poll. */
  skipVersion: boolean
}
/** Reads one cluster (the real one wraps the Scale client with the cluster's auth, TLS and proxy). */
export type ClusterReader = (cluster: ClusterConfig, ctx: ReadContext) => Promise<ReadOutcome>

export interface MonitorOptions {
  settings: Settings
  read: ClusterReader
  clock?: Clock
  /** For jitter; tests pass a constant. */
  random?: () => number
  history?: History
  /** Whether the secret store holds this cluster's secret (views say so; never the secret). */
  hasSecret?: (cluster: ClusterConfig) => boolean
}

interface Runtime {
  config: ClusterConfig
  timer?: TimerHandle
  inFlight?: AbortController
  queued: boolean
  refreshAfter: boolean
  nextPollAt: number | null
  lastPollAt: number | null
  lastSuccessAt: number | null
  lastDurationMs: number | null
  failureKind: FailureKind | null
  connFailures: number
  version: string | null
  versionAt: number | null
  raw: Evaluation | null
  confirmedLevel: Level | null
  /** The confirmed level after acknowledgements, as of the last settled poll (tray, notifications). */
  effective: Level | null
  confirmedSince: number | null
  /** Counted polls since start without a confirmed level (a cluster that keeps flapping). */
  pendingPolls: number
  /** Recent raw levels on one side of the confirmed level (or of ok while pending). */
  streak: { side: 'worse' | 'better' | 'pending'; levels: Level[] }
  findingSince: Map<string, number>
  acks: Map<string, Severity>
  /** The last status document, held only while a window is interested (see DETAIL_INTEREST_MS). */
  status: ScaleStatus | null
  detailUntil: number
  statusRevision: number
  graceUntil: number
  startedAt: number
}

type Listener<K extends keyof MonitorEvents> = (v: MonitorEvents[K]) => void

export class Monitor {
  private settings: Settings
  private readonly read: ClusterReader
  private readonly clock: Clock
  private readonly random: () => number
  private readonly hasSecret: (c: ClusterConfig) => boolean
  readonly history: History
  private readonly policy: NotificationPolicy
  private readonly rt = new Map<string, Runtime>()
  private readonly queue: Runtime[] = []
  private active = 0
  private running = false
  private suspended = false
  private offline = false
  private housekeeping?: TimerHandle
  private tray?: TrayState
  private listeners = new Map<keyof MonitorEvents, Set<(v: never) => void>>()
  private readonly recent: TrayNotification[] = []

  constructor(opts: MonitorOptions) {
    this.settings = opts.settings
    this.read = opts.read
    this.clock = opts.clock ?? systemClock()
    this.random = opts.random ?? Math.random
    this.hasSecret = opts.hasSecret ?? (() => false)
    this.history = opts.history ?? new History()
    this.policy = new NotificationPolicy(this.clock, this.settings.notifications, (k, v) => {
      if (k === 'notification') {
        const n = v as TrayNotification
        this.recent.unshift(n)
        if (this.recent.length > 50) this.recent.length = 50
      }
      this.emit(k, v)
    })
    for (const c of this.settings.clusters) this.rt.set(c.id, this.newRuntime(c))
  }

  // ------------------------------------------------------------------ events

  on<K extends keyof MonitorEvents>(event: K, fn: Listener<K>): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(fn)
    return () => set.delete(fn)
  }

  private emit<K extends keyof MonitorEvents>(event: K, value: MonitorEvents[K]): void {
    const set = this.listeners.get(event) as Set<Listener<K>> | undefined
    if (!set) return
    for (const fn of set) {
      try {
        fn(value)
      } catch (err) {
        // A face's bug must not stop the monitor; report it where it can be seen.
        console.error(`scale-tray: a ${event} listener failed: ${(err as Error).message}`)
      }
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /** Start polling: first polls spread over the first second. */
  start(): void {
    if (this.running) return
    this.running = true
    for (const r of this.rt.values()) if (r.config.enabled) this.schedule(r, this.random() * 1000)
    this.scheduleHousekeeping()
    this.publishTray(true)
  }

  /** Stop polling: timers cleared, polls in flight aborted, grouped notifications sent. */
  stop(): void {
    this.running = false
    this.clock.clearTimeout(this.housekeeping)
    this.housekeeping = undefined
    for (const r of this.rt.values()) this.halt(r)
    this.queue.length = 0
    this.policy.flushNow()
  }

  /** The OS is going to sleep: no polls until `resume()`. */
  suspend(): void {
    if (this.suspended) return
    this.suspended = true
    for (const r of this.rt.values()) this.halt(r)
    this.queue.length = 0
    this.publishTray()
  }

  /** Awake again: poll soon, but give connections one interval before a failure counts. */
  resume(): void {
    if (!this.suspended) return
    this.suspended = false
    const now = this.clock.now()
    for (const r of this.rt.values()) {
      r.graceUntil = now + r.config.intervalSec * 1000
      if (this.running && r.config.enabled) this.schedule(r, 500 + this.random() * 1500)
    }
    this.publishTray()
  }

  /** Poll now: one cluster, or all. A poll already in flight is followed by one more. */
  refresh(clusterId?: string): void {
    for (const r of this.rt.values()) {
      if (clusterId !== undefined && r.config.id !== clusterId) continue
      if (!r.config.enabled || this.suspended) continue
      this.clock.clearTimeout(r.timer)
      r.timer = undefined
      this.enqueue(r)
    }
  }

  /** New settings: clusters added, removed or changed; notification options; counts. */
  updateSettings(next: Settings): void {
    this.settings = next
    this.policy.setSettings(next.notifications)
    const seen = new Set<string>()
    for (const c of next.clusters) {
      seen.add(c.id)
      const r = this.rt.get(c.id)
      if (!r) {
        const nr = this.newRuntime(c)
        this.rt.set(c.id, nr)
        if (this.running && c.enabled && !this.suspended) this.schedule(nr, this.random() * 500)
        continue
      }
      const prev = r.config
      r.config = c
      const reachChanged =
        prev.url !== c.url ||
        prev.api !== c.api ||
        JSON.stringify([prev.auth, prev.tls, prev.proxy]) !==
          JSON.stringify([c.auth, c.tls, c.proxy])
      if (reachChanged) {
        // A different endpoint or credentials: what we knew no longer holds.
        this.halt(r)
        Object.assign(r, this.newRuntime(c), { acks: r.acks })
        this.policy.forget(c.id)
      }
      if (!c.enabled) this.halt(r)
      else if (
        this.running &&
        !this.suspended &&
        (reachChanged || !prev.enabled || prev.intervalSec !== c.intervalSec)
      ) {
        this.halt(r)
        this.schedule(r, reachChanged || !prev.enabled ? this.random() * 500 : c.intervalSec * 1000)
      }
      if (JSON.stringify(prev.overrides) !== JSON.stringify(c.overrides) && r.lastPollAt !== null) {
        // Re-weigh the last read with the new overrides instead of waiting for the next poll.
        this.refresh(c.id)
      }
      this.emit('cluster', this.view(r))
    }
    for (const [id, r] of this.rt) {
      if (seen.has(id)) continue
      this.halt(r)
      this.rt.delete(id)
      this.policy.forget(id)
      this.history.forget(id)
    }
    this.updateOffline()
    this.publishTray()
  }

  // ------------------------------------------------------------------ acknowledgements

  /** Acknowledge a finding at its current severity: it stays visible but stops raising the tray. */
  acknowledge(clusterId: string, findingId: string): { ok: true } | { ok: false; error: string } {
    const r = this.rt.get(clusterId)
    if (!r) return { ok: false, error: `no cluster ${clusterId}` }
    const f = r.raw?.findings.find((x) => x.id === findingId)
    if (!f) return { ok: false, error: `no current finding ${findingId} on ${r.config.name}` }
    r.acks.set(findingId, f.severity)
    this.history.setAcks(clusterId, Object.fromEntries(r.acks))
    this.settle(r)
    this.afterChange(r, 'silent')
    return { ok: true }
  }

  unacknowledge(clusterId: string, findingId: string): { ok: true } | { ok: false; error: string } {
    const r = this.rt.get(clusterId)
    if (!r) return { ok: false, error: `no cluster ${clusterId}` }
    r.acks.delete(findingId)
    this.history.setAcks(clusterId, Object.fromEntries(r.acks))
    this.settle(r)
    this.afterChange(r, 'silent')
    return { ok: true }
  }

  // ------------------------------------------------------------------ reading state

  views(): ClusterView[] {
    return this.settings.clusters
      .map((c) => this.rt.get(c.id))
      .filter((r): r is Runtime => !!r)
      .map((r) => this.view(r))
  }

  view(r: Runtime | string): ClusterView {
    const rr = typeof r === 'string' ? this.rt.get(r) : r
    if (!rr) throw new Error(`no cluster ${typeof r === 'string' ? r : r.config.id}`)
    return this.buildView(rr)
  }

  trayState(): TrayState {
    return this.computeTray()
  }

  /**
   * The latest status document of a cluster (for the detail views). Asking marks the cluster as
   * watched, so later polls keep its document; the first ask after a while waits for a fresh
   * poll (at most the cluster's timeout + 1 s). Null when it has never been read successfully.
   */
  async fetchStatus(
    clusterId: string
  ): Promise<{ status: ScaleStatus; revision: number; at: number | null } | null> {
    const r = this.rt.get(clusterId)
    if (!r) return null
    r.detailUntil = this.clock.now() + DETAIL_INTEREST_MS
    if (!r.status && r.config.enabled && this.running && !this.suspended) {
      const wait = new Promise<void>((resolve) => {
        const done = (): void => {
          off()
          this.clock.clearTimeout(timer)
          resolve()
        }
        const off = this.on('poll', (e) => {
          if (e.clusterId === clusterId) done()
        })
        const timer = this.clock.setTimeout(done, r.config.timeoutSec * 1000 + 1000)
      })
      this.refresh(clusterId)
      await wait
    }
    return r.status ? { status: r.status, revision: r.statusRevision, at: r.lastSuccessAt } : null
  }

  recentNotifications(): TrayNotification[] {
    return [...this.recent]
  }

  /** Show a test notification through the normal path (the shell displays it). */
  testNotification(): TrayNotification {
    return this.policy.test()
  }

  isOffline(): boolean {
    return this.offline
  }

  isSuspended(): boolean {
    return this.suspended
  }

  /** Polls in flight + timers armed: for leak checks. */
  activity(): { inFlight: number; timers: number; queued: number } {
    let timers = this.housekeeping ? 1 : 0
    let inFlight = 0
    for (const r of this.rt.values()) {
      if (r.timer) timers++
      if (r.inFlight) inFlight++
    }
    return { inFlight, timers, queued: this.queue.length }
  }

  // ------------------------------------------------------------------ polling

  private newRuntime(c: ClusterConfig): Runtime {
    const acks = new Map(Object.entries(this.history.acks(c.id)))
    return {
      config: c,
      queued: false,
      refreshAfter: false,
      nextPollAt: null,
      lastPollAt: null,
      lastSuccessAt: null,
      lastDurationMs: null,
      failureKind: null,
      connFailures: 0,
      version: null,
      versionAt: null,
      raw: null,
      confirmedLevel: null,
      effective: null,
      confirmedSince: null,
      streak: { side: 'pending', levels: [] },
      pendingPolls: 0,
      findingSince: new Map(),
      acks,
      status: null,
      detailUntil: 0,
      statusRevision: 0,
      graceUntil: 0,
      startedAt: this.clock.now()
    }
  }

  private halt(r: Runtime): void {
    this.clock.clearTimeout(r.timer)
    r.timer = undefined
    r.nextPollAt = null
    r.inFlight?.abort()
    r.inFlight = undefined
    r.queued = false
    r.refreshAfter = false
    const i = this.queue.indexOf(r)
    if (i >= 0) this.queue.splice(i, 1)
  }

  private schedule(r: Runtime, delayMs: number): void {
    this.clock.clearTimeout(r.timer)
    const ms = Math.max(0, Math.round(delayMs))
    r.nextPollAt = this.clock.now() + ms
    r.timer = this.clock.setTimeout(() => {
      r.timer = undefined
      this.enqueue(r)
    }, ms)
  }

  private enqueue(r: Runtime): void {
    if (!this.running || this.suspended || !r.config.enabled) return
    if (r.inFlight) {
      r.refreshAfter = true // never two polls of one cluster at once
      return
    }
    if (r.queued) return
    r.queued = true
    this.queue.push(r)
    this.pump()
  }

  private pump(): void {
    while (this.active < this.settings.maxConcurrentPolls && this.queue.length > 0) {
      const r = this.queue.shift() as Runtime
      r.queued = false
      void this.poll(r)
    }
  }

  private async poll(r: Runtime): Promise<void> {
    const ctl = new AbortController()
    r.inFlight = ctl
    r.nextPollAt = null
    this.active++
    const now = this.clock.now()
    const skipVersion =
      r.version !== null && r.versionAt !== null && now - r.versionAt < VERSION_EVERY_MS
    let outcome: ReadOutcome
    try {
      outcome = await this.read(r.config, { signal: ctl.signal, skipVersion })
    } catch (err) {
      // The reader should never throw; if it does, it is data like any other failure.
      outcome = {
        kind: 'failure',
        url: r.config.url,
        version: null,
        durationMs: 0,
        at: this.clock.now(),
        failure: {
          kind: 'network',
          message: `internal error while reading: ${(err as Error).message}`
        }
      }
    } finally {
      this.active--
    }
    // Aborted (suspend, stop, settings change): the result belongs to a world that is gone.
    if (r.inFlight !== ctl || ctl.signal.aborted) {
      this.pump()
      return
    }
    r.inFlight = undefined
    try {
      this.ingest(r, outcome, skipVersion)
    } finally {
      if (this.running && !this.suspended && r.config.enabled) {
        if (r.refreshAfter) {
          r.refreshAfter = false
          this.enqueue(r)
        } else this.schedule(r, this.nextDelay(r))
      }
      this.pump()
    }
  }

  private nextDelay(r: Runtime): number {
    const interval = r.config.intervalSec * 1000
    const jitter = 1 + (this.random() - 0.5) * 0.2 // ±10 %, so clusters do not poll in lockstep
    if (r.connFailures > 0) {
      const cap = this.offline
        ? Math.max(interval, OFFLINE_PROBE_MS)
        : Math.max(interval, MAX_BACKOFF_MS)
      return Math.min(interval * 2 ** (r.connFailures - 1), cap) * jitter
    }
    const unsettled =
      r.confirmedLevel === null || (r.raw !== null && r.raw.level !== r.confirmedLevel)
    if (unsettled) return Math.min(interval, CONFIRM_DELAY_MS) * jitter
    return interval * jitter
  }

  private ingest(r: Runtime, outcome: ReadOutcome, skippedVersion: boolean): void {
    const now = this.clock.now()
    const c = r.config
    const readable = outcome.kind !== 'failure'
    const conn = outcome.kind === 'failure' && CONNECTION_FAILURES.has(outcome.failure.kind)

    const evaluation = evaluate(outcome, {
      overrides: c.overrides,
      timeoutMs: c.timeoutSec * 1000,
      maxSkewMs: undefined,
      now: outcome.at
    })

    // Watchdog: no good read for too long is a warning even while the cluster is merely unknown
    // (silent grey is the failure users fear most). Overrides can re-weigh `watchdog.no-data`.
    const wd = this.settings.watchdogMinutes * 60_000
    const since = r.lastSuccessAt ?? r.startedAt
    if (!readable && wd > 0 && now - since >= wd) {
      const [f] = applyOverrides(
        [
          {
            id: 'watchdog.no-data',
            severity: 'warning',
            title: `No good read for ${ago(now - since)}`,
            message: r.lastSuccessAt
              ? `Last read ${new Date(r.lastSuccessAt).toISOString()}; the cluster may be fine or not — nobody can tell.`
              : 'Never read since Scale Tray started.',
            fix: 'See the other finding for why reads fail.'
          }
        ],
        c.overrides
      )
      if (f) {
        evaluation.findings.push(f)
        if (evaluation.level === 'unknown' && f.severity !== 'info') evaluation.level = f.severity
      }
    }

    r.lastPollAt = now
    r.lastDurationMs = outcome.durationMs
    r.failureKind = outcome.kind === 'failure' ? outcome.failure.kind : null
    r.connFailures = conn ? r.connFailures + 1 : 0
    if (outcome.version !== null) {
      r.version = outcome.version
      r.versionAt = now
    } else if (!skippedVersion && readable) r.versionAt = now // asked, no answer: do not ask every poll
    if (readable) r.lastSuccessAt = now
    if (outcome.kind === 'ok') {
      r.status = now < r.detailUntil ? outcome.status : null
      r.statusRevision++
      const s = sampleFrom(now, evaluation.metrics)
      if (s) this.history.recordSample(c.id, s)
    }

    // Findings: remember since when; drop acknowledgements whose finding cleared or changed weight.
    const present = new Set<string>()
    for (const f of evaluation.findings) {
      present.add(f.id)
      if (!r.findingSince.has(f.id)) r.findingSince.set(f.id, now)
    }
    for (const id of r.findingSince.keys()) if (!present.has(id)) r.findingSince.delete(id)
    let acksChanged = false
    for (const [id, sev] of r.acks) {
      const f = evaluation.findings.find((x) => x.id === id)
      if (!f || f.severity !== sev) {
        r.acks.delete(id)
        acksChanged = true
      }
    }
    if (acksChanged) this.history.setAcks(c.id, Object.fromEntries(r.acks))
    r.raw = evaluation

    // A connection failure right after waking, or while everything is unreachable, says nothing
    // about the cluster: it does not count toward a level change.
    this.updateOffline()
    const counted = !(conn && (now < r.graceUntil || this.offline))
    this.emit('poll', {
      at: now,
      clusterId: c.id,
      name: c.name,
      level: evaluation.level,
      durationMs: outcome.durationMs,
      outcome: outcome.kind,
      counted
    })
    if (counted) {
      this.confirm(r, evaluation.level, now)
      this.settle(r)
    }
    this.afterChange(r, counted)
  }

  /**
   * Recompute the acknowledgement-adjusted level, but only when the last poll agrees with the
   * confirmed level: while a change is still being confirmed, the tray and notifications keep
   * the settled value (a first good poll after an incident is not yet a recovery).
   */
  private settle(r: Runtime): void {
    if (r.confirmedLevel === null || !r.raw || r.raw.level !== r.confirmedLevel) return
    r.effective = ackedLevel(r.confirmedLevel, r.raw.findings, r.acks)
  }

  /** Hysteresis: the confirmed level moves only when `confirmPolls` (worse) or `recoverPolls` (better) consecutive polls agree. */
  private confirm(r: Runtime, level: Level, now: number): void {
    const cur = r.confirmedLevel
    if (cur === null) {
      r.pendingPolls++
      // Pending: the first confirmation needs the polls on one side of ok.
      const side = level === 'ok' ? 'better' : 'worse'
      const levels = r.streak.side === side ? [...r.streak.levels, level] : [level]
      r.streak = { side, levels }
      if (levels.length >= this.settings.confirmPolls) this.setLevel(r, agreed(side, levels), now)
      return
    }
    if (level === cur) {
      r.streak = { side: 'pending', levels: [] }
      return
    }
    const side = LEVEL_RANK[level] > LEVEL_RANK[cur] ? 'worse' : 'better'
    const levels = r.streak.side === side ? [...r.streak.levels, level] : [level]
    r.streak = { side, levels }
    const needed = side === 'worse' ? this.settings.confirmPolls : this.settings.recoverPolls
    if (levels.length >= needed) this.setLevel(r, agreed(side, levels.slice(-needed)), now)
  }

  private setLevel(r: Runtime, level: Level, now: number): void {
    const previous = r.confirmedLevel
    const change = {
      at: now,
      clusterId: r.config.id,
      level,
      previous,
      previousDurationMs: r.confirmedSince === null ? null : now - r.confirmedSince,
      findings: (r.raw?.findings ?? [])
        .filter((f) => f.severity !== 'info')
        .map((f) => ({ id: f.id, severity: f.severity, title: f.title }))
    }
    r.confirmedLevel = level
    // The new level, lowered by acknowledgements, never above what was confirmed.
    const acked = ackedLevel(level, r.raw?.findings ?? [], r.acks)
    r.effective = LEVEL_RANK[acked] < LEVEL_RANK[level] ? acked : level
    r.confirmedSince = now
    r.streak = { side: 'pending', levels: [] }
    this.history.recordChange(change)
    this.emit('level', { ...change, name: r.config.name })
  }

  /** After a poll (`counted` or not) or a user action (`silent`): notify, redraw. */
  private afterChange(r: Runtime, mode: boolean | 'silent' = true): void {
    const v = this.buildView(r)
    if (mode !== false && !v.pending && r.config.enabled) {
      this.policy.observe(
        {
          id: v.id,
          name: v.name,
          effective: v.effectiveLevel,
          reason: reasonOf(v),
          muted: v.muted,
          snoozedUntil: v.snoozedUntil
        },
        mode === 'silent'
      )
    }
    this.emit('cluster', v)
    this.publishTray()
  }

  private updateOffline(): void {
    const now = this.clock.now()
    const enabled = [...this.rt.values()].filter((r) => r.config.enabled)
    // Inside the grace after waking, failures are expected (the network is coming back).
    const failing = enabled.filter((r) => r.connFailures > 0 && now >= r.graceUntil)
    // One cluster cannot tell "the cluster is down" from "we are offline" unless the failure is
    // local by nature (no DNS, no route); two or more all failing to connect can.
    const offline =
      enabled.length > 0 &&
      failing.length === enabled.length &&
      (enabled.length >= 2 ||
        failing.every((r) => r.failureKind === 'dns' || r.failureKind === 'network'))
    if (offline === this.offline) return
    this.offline = offline
    this.policy.offline(offline, enabled.length)
  }

  private scheduleHousekeeping(): void {
    this.housekeeping = this.clock.setTimeout(() => {
      this.housekeeping = undefined
      if (!this.running) return
      const now = this.clock.now()
      for (const r of this.rt.values()) if (r.status && now >= r.detailUntil) r.status = null
      this.policy.tick(() => this.stillBad())
      this.publishTray()
      this.scheduleHousekeeping()
    }, HOUSEKEEPING_MS)
  }

  private stillBad(): NotificationCluster[] {
    const now = this.clock.now()
    return this.views()
      .filter(
        (v) =>
          v.enabled &&
          !v.pending &&
          v.effectiveLevel !== 'ok' &&
          !v.muted &&
          !(v.snoozedUntil !== null && v.snoozedUntil > now)
      )
      .map((v) => ({
        id: v.id,
        name: v.name,
        level: v.effectiveLevel,
        previous: null,
        reason: reasonOf(v)
      }))
  }

  private computeTray(): TrayState {
    const now = this.clock.now()
    const s = this.settings.notifications.snoozedUntil
    return trayState({
      clusters: this.views(),
      now,
      offline: this.offline,
      paused: s !== undefined && s > now,
      suspended: this.suspended
    })
  }

  private publishTray(force = false): void {
    const t = this.computeTray()
    if (!force && sameTray(this.tray, t)) return
    this.tray = t
    this.emit('tray', t)
  }

  private buildView(r: Runtime): ClusterView {
    const c = r.config
    const raw = r.raw
    const findings: ClusterFinding[] = (raw?.findings ?? []).map((f) => ({
      ...f,
      since: r.findingSince.get(f.id) ?? r.lastPollAt ?? 0,
      acked: r.acks.get(f.id) === f.severity
    }))
    const pending = r.confirmedLevel === null
    const level: Level = r.confirmedLevel ?? raw?.level ?? 'unknown'
    const effective: Level = pending ? level : (r.effective ?? level)
    return {
      id: c.id,
      name: c.name,
      url: c.url,
      uiUrl: scaleUiUrl(c),
      color: c.color,
      enabled: c.enabled,
      level,
      pending,
      unsettled: pending && r.pendingPolls >= 2 * this.settings.confirmPolls,
      rawLevel: raw?.level ?? null,
      effectiveLevel: effective,
      summary: raw?.summary ?? (c.enabled ? 'not read yet' : 'disabled'),
      findings,
      metrics: raw?.metrics ?? {},
      version: r.version,
      lastPollAt: r.lastPollAt,
      lastSuccessAt: r.lastSuccessAt,
      lastDurationMs: r.lastDurationMs,
      failureKind: r.failureKind,
      nextPollAt: r.nextPollAt,
      consecutiveFailures: r.connFailures,
      confirmedSince: r.confirmedSince,
      snoozedUntil: c.snoozedUntil ?? null,
      muted: c.muted,
      hasSecret: this.hasSecret(c),
      authKind: c.auth.kind,
      statusRevision: r.statusRevision,
      intervalSec: c.intervalSec
    }
  }
}

/** A level with acknowledged findings left out; an unreadable cluster stays unknown unless its failure is acknowledged. */
function ackedLevel(
  level: Level,
  findings: readonly Finding[],
  acks: ReadonlyMap<string, Severity>
): Level {
  const unacked = findings.filter((f) => f.severity !== 'info' && acks.get(f.id) !== f.severity)
  if (level === 'unknown') return unacked.length > 0 ? 'unknown' : 'ok'
  const worst: Level = unacked.some((f) => f.severity === 'critical')
    ? 'critical'
    : unacked.some((f) => f.severity === 'warning')
      ? 'warning'
      : 'ok'
  return LEVEL_RANK[worst] < LEVEL_RANK[level] ? worst : level
}

/** The level the polls agree on: the mildest of a worsening streak, the worst of a recovering one. */
function agreed(side: 'worse' | 'better', levels: Level[]): Level {
  let out = levels[0] as Level
  for (const l of levels) {
    if (side === 'worse' ? LEVEL_RANK[l] < LEVEL_RANK[out] : LEVEL_RANK[l] > LEVEL_RANK[out])
      out = l
  }
  return out
}

function reasonOf(v: ClusterView): string {
  const f = v.findings.find((x) => !x.acked && x.severity !== 'info')
  return f ? f.title : v.effectiveLevel === 'ok' ? '' : v.summary
}

/** `12 min`, `3 h`, `45 s` (the watchdog may be set below a minute). */
function ago(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`
  const m = Math.round(ms / 60_000)
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`
}
