// Timeline tests: scripted statuses in, exact notifications and tray states out, on a fake clock.
import { describe, expect, it } from 'vitest'
import { FakeClock } from '../../../main/core/monitor/clock.ts'
import { Monitor } from '../../../main/core/monitor/monitor.ts'
import type {
  MonitorEvents,
  TrayNotification,
  TrayState
} from '../../../main/core/monitor/types.ts'
import type { Settings } from '../../../main/core/settings/schema.ts'
import { scripted, settingsWith, type Step } from '../../helpers/scripted.ts'

const MIN = 60_000

function setup(initial: Record<string, Step>, patch: Partial<Settings> = {}, intervalSec = 30) {
  const clock = new FakeClock()
  const script = scripted(clock, initial)
  const settings = settingsWith(Object.keys(initial), intervalSec, patch)
  const monitor = new Monitor({ settings, read: script.reader, clock, random: () => 0.5 })
  const notes: TrayNotification[] = []
  const trays: TrayState[] = []
  const levels: MonitorEvents['level'][] = []
  const suppressed: MonitorEvents['suppressed'][] = []
  monitor.on('notification', (n) => notes.push(n))
  monitor.on('tray', (t) => trays.push(t))
  monitor.on('level', (l) => levels.push(l))
  monitor.on('suppressed', (s) => suppressed.push(s))
  monitor.start()
  return { clock, script, monitor, notes, trays, levels, suppressed, settings }
}

describe('hysteresis', () => {
  it('shows a cluster as pending with its raw level until two polls agree', async () => {
    const t = setup({ a: 'warning' })
    await t.clock.advance(1_000) // first poll at 0.5 s
    const v = t.monitor.view('a')
    expect(v.pending).toBe(true)
    expect(v.rawLevel).toBe('warning')
    expect(t.notes).toHaveLength(0)
    await t.clock.advance(6_000) // the confirming poll comes 5 s later
    expect(t.monitor.view('a').pending).toBe(false)
    expect(t.monitor.view('a').level).toBe('warning')
  })

  it('ignores a one-poll blip: no level change, no notification', async () => {
    const t = setup({ a: 'ok' })
    await t.clock.advance(10_000)
    expect(t.monitor.view('a').level).toBe('ok')
    t.script.set('a', 'critical')
    await t.clock.advance(30_000) // one critical poll
    expect(t.monitor.view('a').rawLevel).toBe('critical')
    t.script.set('a', 'ok')
    await t.clock.advance(20 * MIN)
    expect(t.levels.filter((l) => l.previous !== null)).toHaveLength(0)
    expect(t.notes).toHaveLength(0)
    expect(t.monitor.view('a').level).toBe('ok')
  })

  it('never confirms a cluster flapping every poll, and never notifies', async () => {
    const t = setup({ a: 'ok' })
    await t.clock.advance(10_000)
    let bad = false
    for (let i = 0; i < 40; i++) {
      bad = !bad
      t.script.set('a', bad ? 'critical' : 'ok')
      await t.clock.advance((t.monitor.view('a').nextPollAt ?? 0) - t.clock.now() + 1)
    }
    expect(t.notes).toHaveLength(0)
    expect(t.monitor.view('a').level).toBe('ok')
  })

  it('marks a cluster that flaps from the start as unsettled, not as a level', async () => {
    const t = setup({ a: 'critical' })
    await t.clock.advance(1_000) // first poll: critical
    let bad = true
    for (let i = 0; i < 10; i++) {
      bad = !bad
      t.script.set('a', bad ? 'critical' : 'ok')
      await t.clock.advance((t.monitor.view('a').nextPollAt ?? 0) - t.clock.now() + 1)
    }
    const v = t.monitor.view('a')
    expect(v.pending).toBe(true)
    expect(v.unsettled).toBe(true)
    expect(t.monitor.trayState().clusters[0]?.reason).toBe('level keeps changing')
    expect(t.notes).toHaveLength(0)
  })

  it('confirms a worsening that alternates warning/critical at the milder level', async () => {
    const t = setup({ a: 'ok' })
    await t.clock.advance(10_000)
    t.script.set('a', 'critical')
    await t.clock.advance(30_000)
    t.script.set('a', 'warning')
    await t.clock.advance(6_000)
    expect(t.monitor.view('a').level).toBe('warning')
    expect(t.notes.map((n) => n.title)).toEqual(['a now warning'])
  })
})

describe('notifications', () => {
  it('notifies a sustained warning exactly once, then its recovery once', async () => {
    const t = setup({ a: 'ok' })
    await t.clock.advance(10_000)
    t.script.set('a', 'warning')
    await t.clock.advance(45 * MIN)
    expect(t.notes.map((n) => [n.kind, n.title, n.level, n.previous])).toEqual([
      ['degraded', 'a now warning', 'warning', 'ok']
    ])
    expect(t.levels.map((l) => [l.previous, l.level])).toEqual([
      [null, 'ok'],
      ['ok', 'warning']
    ])
    expect(t.notes[0]?.open.clusterId).toBe('a')
    t.script.set('a', 'ok')
    await t.clock.advance(10 * MIN)
    expect(t.notes.map((n) => [n.kind, n.title])).toEqual([
      ['degraded', 'a now warning'],
      ['recovered', 'a recovered']
    ])
    expect(t.notes[1]?.body).toMatch(/was warning/)
  })

  it('notifies the first confirmation after start when it is not ok', async () => {
    const t = setup({ a: 'critical', b: 'ok' })
    await t.clock.advance(10_000)
    expect(t.notes.map((n) => n.title)).toEqual(['a now critical'])
    expect(t.notes[0]?.previous).toBeNull() // nothing was confirmed before
    expect(t.notes[0]?.body).toMatch(/Message queue/)
  })

  it('escalates warning → critical with a second notification, but not critical → warning', async () => {
    const t = setup({ a: 'warning' })
    await t.clock.advance(10_000)
    t.script.set('a', 'critical')
    await t.clock.advance(2 * MIN)
    t.script.set('a', 'warning')
    await t.clock.advance(5 * MIN)
    expect(t.notes.map((n) => n.title)).toEqual(['a now warning', 'a now critical'])
    expect(t.monitor.view('a').level).toBe('warning')
  })

  it('groups clusters that fail together into one notification', async () => {
    const t = setup({ a: 'ok', b: 'ok', c: 'ok' })
    await t.clock.advance(10_000)
    t.script.set('a', 'critical')
    t.script.set('b', 'warning')
    t.script.set('c', 'critical')
    await t.clock.advance(3 * MIN)
    expect(t.notes).toHaveLength(1)
    expect(t.notes[0]?.title).toBe('3 clusters degraded: a, c, b')
    expect(t.notes[0]?.level).toBe('critical')
    expect(t.notes[0]?.clusters.map((c) => c.id)).toEqual(['a', 'c', 'b'])
    expect(t.notes[0]?.open.clusterId).toBeNull()
  })

  it('reminds every renotifyMinutes while a cluster stays bad, and never with 0', async () => {
    const t = setup({ a: 'critical' })
    await t.clock.advance(10_000)
    await t.clock.advance(130 * MIN)
    expect(t.notes.map((n) => n.kind)).toEqual(['degraded', 'reminder', 'reminder'])
    expect(t.notes[1]?.title).toBe('a still critical')

    const quiet = setup(
      { a: 'critical' },
      { notifications: { ...settingsWith([]).notifications, renotifyMinutes: 0 } }
    )
    await quiet.clock.advance(300 * MIN)
    expect(quiet.notes.map((n) => n.kind)).toEqual(['degraded'])
  })

  it('keeps a status that stays stale (503) critical with reminders, never grey', async () => {
    const t = setup({ a: 'stale' })
    await t.clock.advance(125 * MIN)
    const v = t.monitor.view('a')
    expect(v.level).toBe('critical')
    expect(v.findings.map((f) => f.id)).toEqual(['status.stale'])
    expect(t.notes.map((n) => n.kind)).toEqual(['degraded', 'reminder', 'reminder'])
    expect(t.monitor.trayState().level).toBe('critical')
  })

  it('holds everything during quiet hours, then sends one summary if something is still bad', async () => {
    process.env.TZ = 'UTC'
    // FakeClock starts 09:00 UTC; quiet 09:30–10:30.
    const base = settingsWith([]).notifications
    const t = setup(
      { a: 'ok', b: 'ok' },
      {
        notifications: {
          ...base,
          quietHours: { enabled: true, start: '09:30', end: '10:30', days: [0, 1, 2, 3, 4, 5, 6] }
        }
      }
    )
    await t.clock.advance(31 * MIN) // 09:31
    t.script.set('a', 'critical')
    t.script.set('b', 'warning')
    await t.clock.advance(20 * MIN)
    t.script.set('b', 'ok')
    await t.clock.advance(20 * MIN)
    expect(t.notes).toHaveLength(0)
    expect(t.suppressed.filter((s) => s.reason === 'quiet-hours').length).toBeGreaterThan(0)
    await t.clock.advance(30 * MIN) // past 10:30
    expect(t.notes.map((n) => [n.kind, n.title])).toEqual([
      ['summary', '1 cluster needs attention']
    ])
    expect(t.notes[0]?.body).toMatch(/^a: critical/)
  })

  it('snooze all: tray shows paused, nothing is shown, a summary when it ends', async () => {
    const t = setup({ a: 'ok' })
    await t.clock.advance(10_000)
    const s = {
      ...t.settings,
      notifications: { ...t.settings.notifications, snoozedUntil: t.clock.now() + 60 * MIN }
    }
    t.monitor.updateSettings(s)
    expect(t.monitor.trayState().level).toBe('paused')
    t.script.set('a', 'critical')
    await t.clock.advance(30 * MIN)
    expect(t.notes).toHaveLength(0)
    expect(t.monitor.trayState().tooltip).toMatch(/critical/)
    await t.clock.advance(31 * MIN)
    expect(t.notes.map((n) => n.kind)).toEqual(['summary'])
    expect(t.monitor.trayState().level).toBe('critical')
  })

  it('a snoozed or muted cluster still shows but neither notifies nor raises the tray', async () => {
    const t = setup({ a: 'ok', b: 'ok' })
    await t.clock.advance(10_000)
    const s = structuredClone(t.settings)
    s.clusters[0] = { ...s.clusters[0]!, snoozedUntil: t.clock.now() + 2 * 3600_000 }
    s.clusters[1] = { ...s.clusters[1]!, muted: true }
    t.monitor.updateSettings(s)
    t.script.set('a', 'critical')
    t.script.set('b', 'warning')
    await t.clock.advance(10 * MIN)
    expect(t.notes).toHaveLength(0)
    expect(t.monitor.view('a').level).toBe('critical')
    const tray = t.monitor.trayState()
    expect(tray.level).toBe('warning') // b muted still raises the tray; a snoozed does not
    expect(tray.counts.critical).toBe(1)
  })

  it('an acknowledged finding stays visible, stops raising the tray, and returns when its severity changes', async () => {
    const t = setup({ a: 'warning' })
    await t.clock.advance(10_000)
    expect(t.notes).toHaveLength(1)
    const f = t.monitor.view('a').findings.find((x) => x.severity === 'warning')
    expect(f?.id).toBe('scheduler.paused')
    expect(t.monitor.acknowledge('a', 'scheduler.paused')).toEqual({ ok: true })
    const v = t.monitor.view('a')
    expect(v.findings.find((x) => x.id === 'scheduler.paused')?.acked).toBe(true)
    expect(v.level).toBe('warning')
    expect(v.effectiveLevel).toBe('ok')
    expect(t.monitor.trayState().level).toBe('ok')
    await t.clock.advance(3 * 3600_000)
    expect(t.notes).toHaveLength(1) // no "recovered", no reminders while acknowledged
    expect(t.monitor.acknowledge('a', 'no.such.finding').ok).toBe(false)
    // The same finding at another severity is news: the acknowledgement lapses.
    const s = structuredClone(t.settings)
    s.clusters[0] = { ...s.clusters[0]!, overrides: { 'scheduler.paused': 'critical' } }
    t.monitor.updateSettings(s)
    await t.clock.advance(2 * MIN)
    expect(t.monitor.view('a').findings.find((x) => x.id === 'scheduler.paused')?.acked).toBe(false)
    expect(t.monitor.trayState().level).toBe('critical')
    expect(t.notes.map((n) => n.title)).toEqual(['a now warning', 'a now critical'])
  })

  it('a critical cluster with one good poll is not yet recovered: no notification, tray still critical', async () => {
    const t = setup({ a: 'critical' })
    await t.clock.advance(10_000)
    t.script.set('a', 'ok')
    await t.clock.advance(30_000) // exactly one ok poll
    expect(t.monitor.view('a').rawLevel).toBe('ok')
    expect(t.monitor.view('a').effectiveLevel).toBe('critical')
    expect(t.monitor.trayState().level).toBe('critical')
    t.script.set('a', 'critical')
    await t.clock.advance(30 * MIN)
    expect(t.notes.map((n) => n.kind)).toEqual(['degraded'])
  })

  it('rate-limits a storm and says how many were held back', async () => {
    const names = Array.from({ length: 9 }, (_, i) => `c${i}`)
    const t = setup(Object.fromEntries(names.map((n) => [n, 'ok'])), {
      notifications: { ...settingsWith([]).notifications, maxPerMinute: 2 }
    })
    await t.clock.advance(10_000)
    // Each cluster degrades in its own minute-less window: 3 s apart, so none are grouped.
    for (const n of names) {
      t.script.set(n, 'critical')
      t.monitor.refresh(n)
      await t.clock.advance(100)
      t.monitor.refresh(n)
      await t.clock.advance(3_000)
    }
    await t.clock.advance(5_000)
    expect(t.notes.length).toBe(2)
    expect(t.suppressed.filter((s) => s.reason === 'rate-limit').length).toBeGreaterThan(0)
  })
})

describe('offline, back-off, suspend', () => {
  it('all clusters unreachable: one offline tray state and one notification, not one per cluster', async () => {
    const t = setup({ a: 'ok', b: 'ok', c: 'ok' })
    await t.clock.advance(10_000)
    for (const n of ['a', 'b', 'c']) t.script.set(n, 'refused')
    await t.clock.advance(30 * MIN)
    expect(t.monitor.trayState().level).toBe('offline')
    expect(t.notes.map((n) => n.kind)).toEqual(['offline'])
    expect(t.trays.filter((s) => s.level === 'offline')).toHaveLength(1)
    // Levels are kept while offline.
    expect(t.monitor.view('a').level).toBe('ok')
    for (const n of ['a', 'b', 'c']) t.script.set(n, 'ok')
    await t.clock.advance(2 * MIN)
    expect(t.monitor.trayState().level).toBe('ok')
    expect(t.notes.map((n) => n.kind)).toEqual(['offline'])
  })

  it('one unreachable cluster among reachable ones is that cluster unknown, notified once', async () => {
    const t = setup({ a: 'ok', b: 'ok' })
    await t.clock.advance(10_000)
    t.script.set('a', 'refused')
    await t.clock.advance(5 * MIN)
    expect(t.monitor.view('a').level).toBe('unknown')
    expect(t.monitor.trayState().level).toBe('unknown')
    expect(t.notes.map((n) => n.title)).toEqual(['a now unreachable'])
    // The watchdog: ten minutes without a good read is a warning, not a quiet grey.
    await t.clock.advance(15 * MIN)
    expect(t.monitor.view('a').level).toBe('warning')
    expect(t.monitor.view('a').findings.map((f) => f.id)).toContain('watchdog.no-data')
    expect(t.notes.map((n) => n.title)).toEqual(['a now unreachable', 'a now warning'])
  })

  it('backs off an unreachable cluster exponentially up to 5 min and returns to its interval on success', async () => {
    const t = setup({ a: 'ok', b: 'ok' })
    await t.clock.advance(10_000)
    t.script.set('a', 'refused')
    await t.clock.advance(40 * MIN)
    const calls = t.script.calls.get('a') ?? []
    const gaps = calls.slice(1).map((c, i) => Math.round((c - (calls[i] ?? 0)) / 1000))
    // ok→first failure 30 s, then 30, 60, 120, 240, capped at 300.
    expect(gaps.slice(1, 10)).toEqual([30, 30, 60, 120, 240, 300, 300, 300, 300])
    t.script.set('a', 'ok')
    const before = calls.length
    await t.clock.advance(10 * MIN)
    const after = (t.script.calls.get('a') ?? []).slice(before - 1)
    const back = after.slice(1).map((c, i) => Math.round((c - (after[i] ?? 0)) / 1000))
    expect(back.at(-1)).toBe(30)
  })

  it('does not poll while suspended, and gives one interval of grace after resume', async () => {
    const t = setup({ a: 'ok' })
    await t.clock.advance(10_000)
    t.monitor.suspend()
    const n = t.script.calls.get('a')?.length ?? 0
    await t.clock.advance(60 * MIN)
    expect(t.script.calls.get('a')?.length).toBe(n)
    // On waking, the network is not back yet: a DNS failure inside the grace does not count.
    t.script.set('a', 'dns')
    t.monitor.resume()
    await t.clock.advance(25_000)
    expect(t.script.calls.get('a')?.length).toBeGreaterThan(n)
    t.script.set('a', 'ok')
    await t.clock.advance(5 * MIN)
    expect(t.notes).toHaveLength(0)
    expect(t.levels.filter((l) => l.previous !== null)).toHaveLength(0)
  })

  it('never runs two polls of one cluster at once, and caps concurrent polls', async () => {
    const clock = new FakeClock()
    const settings = settingsWith(
      Array.from({ length: 10 }, (_, i) => `c${i}`),
      30,
      { maxConcurrentPolls: 3 }
    )
    let inFlight = 0
    let maxInFlight = 0
    const perCluster = new Map<string, number>()
    let maxPerCluster = 0
    const release: (() => void)[] = []
    const monitor = new Monitor({
      settings,
      clock,
      random: () => 0.5,
      read: async (c) => {
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        perCluster.set(c.id, (perCluster.get(c.id) ?? 0) + 1)
        maxPerCluster = Math.max(maxPerCluster, perCluster.get(c.id) ?? 0)
        await new Promise<void>((r) => release.push(r))
        inFlight--
        perCluster.set(c.id, (perCluster.get(c.id) ?? 0) - 1)
        const { outcomeFor } = await import('../../helpers/scripted.ts')
        return outcomeFor('ok', clock.now())
      }
    })
    monitor.start()
    await clock.advance(2_000)
    monitor.refresh()
    monitor.refresh('c0')
    for (let i = 0; i < 200; i++) {
      release.shift()?.()
      await clock.advance(1_000)
    }
    expect(maxInFlight).toBe(3)
    expect(maxPerCluster).toBe(1)
    monitor.stop()
  })

  it('runs 10,000 polls without leaking timers, and keeps history bounded', async () => {
    const t = setup({ a: 'ok', b: 'warning', c: 'stale' }, {}, 1)
    let polls = 0
    t.monitor.on('poll', () => polls++)
    while (polls < 10_000) await t.clock.advance(60_000)
    const act = t.monitor.activity()
    expect(act.timers).toBe(4) // one per cluster + housekeeping
    expect(act.inFlight).toBe(0)
    expect(t.clock.pending()).toBe(4)
    expect(t.monitor.history.samples('a', t.clock.now()).length).toBeLessThanOrEqual(125)
    t.monitor.stop()
    expect(t.clock.pending()).toBe(0)
  })
})

describe('tray', () => {
  it('aggregates critical > warning > unknown > ok with counts and a tooltip within 127 characters', async () => {
    const long = 'a-cluster-with-a-rather-long-operations-name'
    const t = setup({ [long]: 'critical', [`${long}-2`]: 'warning', x: 'forbidden', y: 'ok' })
    await t.clock.advance(10_000)
    const tray = t.monitor.trayState()
    expect(tray.level).toBe('critical')
    expect(tray.counts).toEqual({ ok: 1, warning: 1, critical: 1, unknown: 1, pending: 0 })
    expect(tray.tooltip.length).toBeLessThanOrEqual(127)
    expect(tray.tooltip).toMatch(/^Scale: 1 critical, 1 warning, 1 unknown/)
    expect(tray.clusters.map((c) => c.level)).toEqual(['critical', 'warning', 'unknown', 'ok'])
  })
})
