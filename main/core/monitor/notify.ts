// Electron-free: the notification policy. It decides; the shell (or `watch`) shows.
//
// Notify when a cluster's confirmed, acknowledgement-adjusted level gets worse (the first
// confirmation after start counts, against an `ok` baseline) and when it recovers to ok;
// escalation only while it stays bad, plus a reminder every `renotifyMinutes`. Changes within
// ~2 s are grouped. Quiet hours and snoozes hold everything back and end with one summary; a
// rate limit is the last guard.
import { LEVEL_RANK, type Level } from '../types.ts'
import type { NotificationSettings, QuietHours } from '../settings/schema.ts'
import type { Clock, TimerHandle } from './clock.ts'
import type {
  MonitorEvents,
  NotificationCluster,
  NotificationKind,
  TrayNotification
} from './types.ts'

/** Changes confirmed within this window go out as one notification. */
export const GROUP_WINDOW_MS = 2_000

const WORD: Record<Level, string> = {
  ok: 'OK',
  warning: 'warning',
  critical: 'critical',
  unknown: 'unreachable'
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** Inside quiet hours at `now` (local time)? `days` are the days a quiet period starts on. */
export function isQuietTime(now: number, q: QuietHours): boolean {
  if (!q.enabled) return false
  const d = new Date(now)
  const t = d.getHours() * 60 + d.getMinutes()
  const start = minutesOf(q.start)
  const end = minutesOf(q.end)
  const today = d.getDay()
  const yesterday = (today + 6) % 7
  if (start === end) return q.days.includes(today)
  if (start < end) return q.days.includes(today) && t >= start && t < end
  return (t >= start && q.days.includes(today)) || (t < end && q.days.includes(yesterday))
}

export interface ClusterObservation {
  id: string
  name: string
  /** Confirmed level after acknowledgements. */
  effective: Level
  reason: string
  muted: boolean
  snoozedUntil: number | null
}

interface ClusterMemory {
  /** Null until the first confirmation (compared as ok: a bad first confirmation is news). */
  last: Level | null
  lastNotifiedAt: number | null
}

interface Candidate {
  kind: NotificationKind
  cluster: NotificationCluster
}

type Emit = <K extends 'notification' | 'suppressed'>(k: K, v: MonitorEvents[K]) => void

export class NotificationPolicy {
  private settings: NotificationSettings
  private memory = new Map<string, ClusterMemory>()
  private batch: Candidate[] = []
  private batchTimer: TimerHandle | undefined
  private shownAt: number[] = []
  private dropped = 0
  private wasHeld = false
  private heldSomething = false
  private offlineNotified = false
  private seq = 0
  private readonly clock: Clock
  private readonly emit: Emit

  constructor(clock: Clock, settings: NotificationSettings, emit: Emit) {
    this.clock = clock
    this.settings = settings
    this.emit = emit
  }

  setSettings(s: NotificationSettings): void {
    this.settings = s
  }

  forget(clusterId: string): void {
    this.memory.delete(clusterId)
  }

  /** Held back by quiet hours or a global snooze right now? */
  isHeld(now = this.clock.now()): boolean {
    const s = this.settings
    return (s.snoozedUntil !== undefined && s.snoozedUntil > now) || isQuietTime(now, s.quietHours)
  }

  /**
   * After every confirmed poll of a cluster: decide whether it deserves a notification.
   * `silent`: the user changed it (acknowledged a finding): remember the level, say nothing.
   */
  observe(o: ClusterObservation, silent = false): void {
    const now = this.clock.now()
    const mem = this.memory.get(o.id) ?? { last: null, lastNotifiedAt: null }
    this.memory.set(o.id, mem)
    const prev = mem.last
    const cur = o.effective
    mem.last = cur
    if (silent) return
    let kind: NotificationKind | undefined
    if (LEVEL_RANK[cur] > LEVEL_RANK[prev ?? 'ok']) kind = 'degraded'
    else if (cur === 'ok' && prev !== 'ok' && prev !== null)
      kind = this.settings.recovery ? 'recovered' : undefined
    else if (
      cur !== 'ok' &&
      this.settings.renotifyMinutes > 0 &&
      mem.lastNotifiedAt !== null &&
      now - mem.lastNotifiedAt >= this.settings.renotifyMinutes * 60_000
    ) {
      kind = 'reminder'
    }
    if (cur === 'ok') mem.lastNotifiedAt = null
    if (!kind) return
    if (kind !== 'recovered') mem.lastNotifiedAt = now
    const cluster: NotificationCluster = {
      id: o.id,
      name: o.name,
      level: cur,
      previous: prev,
      reason: o.reason
    }
    const title = `${o.name} ${kind === 'recovered' ? 'recovered' : WORD[cur]}`
    if (!this.settings.enabled) return this.suppress('disabled', title)
    if (o.muted) return this.suppress('muted', title)
    if (o.snoozedUntil !== null && o.snoozedUntil > now) return this.suppress('snoozed', title)
    if (this.isHeld(now)) {
      this.heldSomething = true
      return this.suppress(
        this.settings.snoozedUntil !== undefined && this.settings.snoozedUntil > now
          ? 'snoozed'
          : 'quiet-hours',
        title
      )
    }
    this.enqueue({ kind, cluster })
  }

  /** The app went offline (nothing reachable) or came back. At most one notification per episode. */
  offline(isOffline: boolean, clusterCount: number): void {
    if (!isOffline) {
      this.offlineNotified = false
      return
    }
    if (this.offlineNotified) return
    this.offlineNotified = true
    const title = 'Scale Tray is offline'
    if (!this.settings.enabled) return this.suppress('disabled', title)
    if (this.isHeld()) {
      this.heldSomething = true
      return this.suppress('quiet-hours', title)
    }
    this.show({
      kind: 'offline',
      title,
      body: `None of ${clusterCount} cluster${clusterCount === 1 ? ' is' : 's are'} reachable: VPN down, network out, or this machine just woke up. Levels are kept until they can be read again.`,
      level: 'offline',
      previous: null,
      clusters: [],
      open: { clusterId: null }
    })
  }

  /**
   * Housekeeping (the monitor calls it every few seconds): when quiet hours or a snooze end,
   * one summary of whatever is still bad.
   */
  tick(stillBad: () => NotificationCluster[]): void {
    const held = this.isHeld()
    if (this.wasHeld && !held) {
      const bad = stillBad()
      if (bad.length > 0 || this.heldSomething) {
        const now = this.clock.now()
        for (const c of bad) {
          const mem = this.memory.get(c.id)
          if (mem) mem.lastNotifiedAt = now
        }
        if (bad.length > 0) {
          const worst = bad.reduce(
            (w, c) => (LEVEL_RANK[c.level] > LEVEL_RANK[w] ? c.level : w),
            'ok' as Level
          )
          this.show({
            kind: 'summary',
            title: `${bad.length} cluster${bad.length === 1 ? ' needs' : 's need'} attention`,
            body: bad
              .map((c) => `${c.name}: ${WORD[c.level]}${c.reason ? ` — ${c.reason}` : ''}`)
              .join('\n'),
            level: worst,
            previous: null,
            clusters: bad,
            open: { clusterId: bad.length === 1 ? (bad[0]?.id ?? null) : null }
          })
        }
      }
      this.heldSomething = false
    }
    this.wasHeld = held
  }

  /** A notification on demand (Settings → "Send a test notification"). Not rate limited. */
  test(): TrayNotification {
    const n = this.make({
      kind: 'test',
      title: 'Scale Tray test notification',
      body: 'Notifications work. Click to open Scale Tray.',
      level: 'ok',
      previous: null,
      clusters: [],
      open: { clusterId: null }
    })
    this.emit('notification', n)
    return n
  }

  /** Stop the grouping timer (monitor stop). Pending grouped notifications are sent now. */
  flushNow(): void {
    this.clock.clearTimeout(this.batchTimer)
    this.batchTimer = undefined
    this.flush()
  }

  private suppress(reason: MonitorEvents['suppressed']['reason'], title: string): void {
    this.emit('suppressed', { at: this.clock.now(), reason, title })
  }

  private enqueue(c: Candidate): void {
    // A later change of the same cluster in the same window replaces the earlier one.
    this.batch = this.batch.filter((b) => b.cluster.id !== c.cluster.id)
    this.batch.push(c)
    this.batchTimer ??= this.clock.setTimeout(() => {
      this.batchTimer = undefined
      this.flush()
    }, GROUP_WINDOW_MS)
  }

  private flush(): void {
    const batch = this.batch
    this.batch = []
    const groups = new Map<NotificationKind, NotificationCluster[]>()
    for (const c of batch) {
      const g = groups.get(c.kind) ?? []
      g.push(c.cluster)
      groups.set(c.kind, g)
    }
    for (const kind of ['degraded', 'reminder', 'recovered'] as const) {
      const list = groups.get(kind)
      if (list && list.length > 0) this.show(this.describe(kind, list))
    }
  }

  private describe(
    kind: 'degraded' | 'reminder' | 'recovered',
    list: NotificationCluster[]
  ): Omit<TrayNotification, 'id' | 'at'> {
    const sorted = [...list].sort(
      (a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || a.name.localeCompare(b.name)
    )
    const first = sorted[0] as NotificationCluster
    const worst = first.level
    const single = sorted.length === 1
    const line = (c: NotificationCluster): string =>
      `${c.name}: ${WORD[c.level]}${c.reason ? ` — ${c.reason}` : ''}`
    if (kind === 'recovered') {
      return {
        kind,
        title: single
          ? `${first.name} recovered`
          : `${sorted.length} clusters recovered: ${sorted.map((c) => c.name).join(', ')}`,
        body: single
          ? `Back to OK (was ${WORD[first.previous ?? 'unknown']}).`
          : sorted.map((c) => `${c.name} (was ${WORD[c.previous ?? 'unknown']})`).join('\n'),
        level: 'ok',
        previous: single ? first.previous : null,
        clusters: sorted,
        open: { clusterId: single ? first.id : null }
      }
    }
    const verb = kind === 'reminder' ? 'still' : 'now'
    return {
      kind,
      title: single
        ? `${first.name} ${verb} ${WORD[worst]}`
        : `${sorted.length} clusters ${kind === 'reminder' ? 'still need attention' : 'degraded'}: ${sorted.map((c) => c.name).join(', ')}`,
      body: single ? first.reason || `Level ${WORD[worst]}.` : sorted.map(line).join('\n'),
      level: worst,
      previous: single ? first.previous : null,
      clusters: sorted,
      open: { clusterId: single ? first.id : null }
    }
  }

  private make(n: Omit<TrayNotification, 'id' | 'at'>): TrayNotification {
    return { id: `n${++this.seq}-${this.clock.now()}`, at: this.clock.now(), ...n }
  }

  private show(n: Omit<TrayNotification, 'id' | 'at'>): void {
    const now = this.clock.now()
    this.shownAt = this.shownAt.filter((t) => now - t < 60_000)
    if (this.shownAt.length >= this.settings.maxPerMinute) {
      this.dropped++
      return this.suppress('rate-limit', n.title)
    }
    this.shownAt.push(now)
    const body =
      this.dropped > 0 ? `${n.body}\n(+${this.dropped} more not shown: rate limit)` : n.body
    this.dropped = 0
    this.emit('notification', this.make({ ...n, body }))
  }
}
