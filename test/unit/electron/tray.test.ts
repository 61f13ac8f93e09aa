// The tray with electron mocked: tray state → the right icon (set only when the state changes),
// the monitor's tooltip, and a menu whose items call the right actions.
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions, NativeImage } from 'electron'
import { trayState } from '../../../main/core/monitor/tray.ts'
import type { ClusterView, TrayLevel, TrayState } from '../../../main/core/monitor/types.ts'
import type { Level } from '../../../main/core/types.ts'
import { FakeImage, FakeMenu, FakeTray } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())

const { TrayView, trayMenuTemplate, nextMorning, MAX_MENU_CLUSTERS } =
  await import('../../../main/electron/tray.ts')
const { loadTrayIcons, loadMenuIcons, trayIconFile, TRAY_LEVELS } =
  await import('../../../main/electron/icons.ts')

const ASSETS = join(import.meta.dirname, '../../../assets/tray')
const NOW = new Date(2026, 2, 10, 14, 30).getTime()

function view(id: string, level: Level, reason = ''): ClusterView {
  return {
    id,
    name: id,
    url: `https://${id}.example/api`,
    enabled: true,
    level,
    pending: false,
    unsettled: false,
    rawLevel: level,
    effectiveLevel: level,
    summary: reason || level,
    findings: reason
      ? [
          {
            id: 'f',
            severity: level === 'critical' ? 'critical' : 'warning',
            title: reason,
            message: reason,
            since: 0,
            acked: false
          }
        ]
      : [],
    metrics: {},
    version: '7.2',
    lastPollAt: NOW,
    lastSuccessAt: NOW,
    lastDurationMs: 10,
    failureKind: null,
    nextPollAt: null,
    consecutiveFailures: 0,
    confirmedSince: NOW,
    snoozedUntil: null,
    muted: false,
    hasSecret: false,
    authKind: 'none',
    statusRevision: 1,
    intervalSec: 30
  }
}

function state(
  clusters: ClusterView[],
  extra: Partial<{ offline: boolean; paused: boolean; suspended: boolean }> = {}
): TrayState {
  return trayState({
    clusters,
    now: NOW,
    offline: false,
    paused: false,
    suspended: false,
    ...extra
  })
}

function actions() {
  return {
    openWindow: vi.fn(),
    openCluster: vi.fn(),
    openSettings: vi.fn(),
    refreshAll: vi.fn(),
    snooze: vi.fn(),
    setStartAtLogin: vi.fn(),
    quit: vi.fn()
  }
}

const icons = Object.fromEntries(TRAY_LEVELS.map((l) => [l, { level: l }])) as unknown as Record<
  TrayLevel,
  NativeImage
>
const input = (s: TrayState, extra: Partial<Parameters<typeof trayMenuTemplate>[0]> = {}) => ({
  state: s,
  snoozedUntil: null,
  now: NOW,
  startAtLogin: false,
  missedAlerts: [],
  ...extra
})

function click(item: MenuItemConstructorOptions | undefined): void {
  if (!item?.click) throw new Error(`no click on ${item?.label ?? '(missing item)'}`)
  ;(item.click as () => void)()
}
const byLabel = (items: MenuItemConstructorOptions[], label: string | RegExp) =>
  items.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label ?? '')))

describe('tray icon', () => {
  it('holds one Tray and sets the image only when the state changes', () => {
    const t = new TrayView({ icons, actions: actions(), platform: 'linux' })
    const tray = FakeTray.instances.at(-1) as FakeTray
    expect(t.tray).toBe(tray)
    expect(tray.image).toBe(icons.unknown)
    t.render(input(state([view('a', 'ok')])))
    t.render(input(state([view('a', 'ok')])))
    expect(tray.setImage.mock.calls).toEqual([[icons.ok]])
    t.render(input(state([view('a', 'ok'), view('b', 'critical', 'Scheduler stopped')])))
    t.render(input(state([view('a', 'warning', 'Queue long')])))
    t.render(input(state([view('a', 'warning', 'Queue growing')])))
    t.render(input(state([view('a', 'ok')], { offline: true })))
    t.render(input(state([view('a', 'ok')], { paused: true })))
    t.render(input(state([view('a', 'unknown')])))
    expect(tray.setImage.mock.calls.map((c) => (c[0] as { level: string }).level)).toEqual([
      'ok',
      'critical',
      'warning',
      'offline',
      'paused',
      'unknown'
    ])
  })

  it('shows the monitor tooltip and re-sets the menu on every change', () => {
    const t = new TrayView({ icons, actions: actions(), platform: 'linux' })
    const tray = FakeTray.instances.at(-1) as FakeTray
    const s = state([view('prod', 'critical', 'Scheduler stopped')])
    t.render(input(s))
    t.render(input(s))
    expect(tray.setToolTip.mock.calls).toEqual([[s.tooltip]])
    expect(s.tooltip).toMatch(/prod: Scheduler stopped/)
    expect(tray.setContextMenu).toHaveBeenCalledTimes(2)
    expect(tray.setContextMenu.mock.lastCall?.[0]).toBeInstanceOf(FakeMenu)
  })

  it('opens the window on click except on macOS (where the click opens the menu)', () => {
    const a = actions()
    new TrayView({ icons, actions: a, platform: 'win32' })
    ;(FakeTray.instances.at(-1) as FakeTray).emit('click')
    expect(a.openWindow).toHaveBeenCalledTimes(1)
    new TrayView({ icons, actions: a, platform: 'darwin' })
    expect((FakeTray.instances.at(-1) as FakeTray).listenerCount('click')).toBe(0)
  })

  it('passes the fixed GUID, and falls back to none when Windows refuses it', () => {
    new TrayView({
      icons,
      actions: actions(),
      platform: 'win32',
      guid: '6f4d2a1e-8b3c-4e5f-9a7d-2c1b0e3f4a5d'
    })
    expect(FakeTray.instances.at(-1)?.guid).toBe('6f4d2a1e-8b3c-4e5f-9a7d-2c1b0e3f4a5d')
    const log = vi.fn()
    FakeTray.refuseGuid = true
    const t = new TrayView({ icons, actions: actions(), platform: 'win32', guid: 'x', log })
    FakeTray.refuseGuid = false
    expect((t.tray as unknown as FakeTray).guid).toBeUndefined()
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/GUID refused/))
  })

  it('shows a balloon from the tray on Windows only', () => {
    const onClick = vi.fn()
    const win = new TrayView({ icons, actions: actions(), platform: 'win32' })
    expect(win.balloon('prod is critical', 'Scheduler stopped', onClick)).toBe(true)
    const tray = FakeTray.instances.at(-1) as FakeTray
    expect(tray.displayBalloon).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'prod is critical', content: 'Scheduler stopped' })
    )
    tray.emit('balloon-click')
    expect(onClick).toHaveBeenCalled()
    expect(
      new TrayView({ icons, actions: actions(), platform: 'linux' }).balloon('t', 'b', onClick)
    ).toBe(false)
  })
})

describe('tray menu', () => {
  const s = state([
    view('prod', 'critical', 'Scheduler stopped'),
    view('lab', 'ok'),
    view('edge & co', 'warning', 'Queue long')
  ])

  it('starts with Open, then one row per cluster, worst first, then the commands', () => {
    const items = trayMenuTemplate(input(s), actions())
    const labels = items.filter((i) => i.type !== 'separator').map((i) => i.label)
    expect(labels).toEqual([
      'Open Scale Tray',
      'prod — critical: Scheduler stopped',
      'edge && co — warning: Queue long', // & is a mnemonic marker: shown as typed
      'lab — ok',
      'Refresh all',
      'Snooze notifications',
      'Start at login',
      'Settings…',
      'Quit'
    ])
  })

  it('wires every item to its action', () => {
    const a = actions()
    const items = trayMenuTemplate(input(s), a)
    click(items[0])
    expect(a.openWindow).toHaveBeenCalled()
    click(byLabel(items, /^lab/))
    expect(a.openCluster).toHaveBeenCalledWith('lab')
    click(byLabel(items, 'Refresh all'))
    expect(a.refreshAll).toHaveBeenCalled()
    click(byLabel(items, 'Settings…'))
    expect(a.openSettings).toHaveBeenCalled()
    click(byLabel(items, 'Start at login'))
    expect(a.setStartAtLogin).toHaveBeenCalledWith(true)
    click(byLabel(items, 'Quit'))
    expect(a.quit).toHaveBeenCalled()
  })

  it('puts the level icon on each cluster row', () => {
    const levelIcons = {
      ok: new FakeImage('ok'),
      critical: new FakeImage('critical'),
      warning: new FakeImage('warning')
    } as unknown as Record<Level, NativeImage>
    const items = trayMenuTemplate(input(s, { levelIcons }), actions())
    expect(byLabel(items, /^prod/)?.icon).toBe(levelIcons.critical)
    expect(byLabel(items, /^lab/)?.icon).toBe(levelIcons.ok)
  })

  it('snoozes for an hour, until tomorrow morning, and resumes', () => {
    const a = actions()
    const sub = (items: MenuItemConstructorOptions[]) =>
      byLabel(items, /^(Snooze notifications|Notifications snoozed)$/)
        ?.submenu as MenuItemConstructorOptions[]
    const awake = sub(trayMenuTemplate(input(s), a))
    expect(byLabel(awake, 'Resume notifications')?.enabled).toBe(false)
    click(byLabel(awake, 'For 1 hour'))
    expect(a.snooze).toHaveBeenLastCalledWith(NOW + 3_600_000)
    click(byLabel(awake, /^Until tomorrow/))
    const morning = new Date(a.snooze.mock.lastCall?.[0] as number)
    expect([morning.getDate(), morning.getHours(), morning.getMinutes()]).toEqual([11, 8, 0])

    const snoozedUntil = NOW + 3_600_000
    const asleep = trayMenuTemplate(
      input(state([view('a', 'ok')], { paused: true }), { snoozedUntil }),
      a
    )
    expect(byLabel(asleep, 'Notifications snoozed')).toBeDefined()
    const items = sub(asleep)
    expect(items[0]?.label).toMatch(/^Snoozed until /)
    expect(items[0]?.enabled).toBe(false)
    click(byLabel(items, 'Resume notifications'))
    expect(a.snooze).toHaveBeenLastCalledWith(null)
  })

  it('says when there are no clusters, and offers to add one', () => {
    const a = actions()
    const items = trayMenuTemplate(input(state([])), a)
    expect(byLabel(items, 'No clusters yet')?.enabled).toBe(false)
    click(byLabel(items, 'Add a cluster…'))
    expect(a.openSettings).toHaveBeenCalled()
    expect(byLabel(items, 'Refresh all')?.enabled).toBe(false)
  })

  it('says offline and asleep', () => {
    expect(
      byLabel(
        trayMenuTemplate(input(state([view('a', 'ok')], { offline: true })), actions()),
        /^Offline/
      )
    ).toBeDefined()
    const asleep = trayMenuTemplate(input(state([view('a', 'ok')], { suspended: true })), actions())
    expect(byLabel(asleep, /sleeps/)).toBeDefined()
    expect(byLabel(asleep, 'Refresh all')?.enabled).toBe(false)
  })

  it('caps the cluster rows; the rest open the window', () => {
    const many = state(
      Array.from({ length: MAX_MENU_CLUSTERS + 4 }, (_, i) =>
        view(`c${String(i).padStart(2, '0')}`, 'ok')
      )
    )
    const a = actions()
    const items = trayMenuTemplate(input(many), a)
    expect(items.filter((i) => i.id?.startsWith('cluster:'))).toHaveLength(MAX_MENU_CLUSTERS)
    click(byLabel(items, '4 more…'))
    expect(a.openWindow).toHaveBeenCalled()
  })

  it('lists alerts the system could not show; a click opens their cluster', () => {
    const a = actions()
    const missedAlerts = [
      {
        title: 'prod is critical',
        body: 'Scheduler stopped',
        at: NOW,
        open: { clusterId: 'prod' }
      },
      { title: '3 clusters degraded', body: '…', at: NOW, open: { clusterId: null } }
    ]
    const items = trayMenuTemplate(input(s, { missedAlerts }), a)
    expect(byLabel(items, /system notifications unavailable/)?.enabled).toBe(false)
    click(byLabel(items, /prod is critical$/))
    expect(a.openCluster).toHaveBeenCalledWith('prod')
    click(byLabel(items, /3 clusters degraded$/))
    expect(a.openWindow).toHaveBeenCalled()
  })

  it('leaves out Start at login where it cannot be set', () => {
    expect(
      byLabel(trayMenuTemplate(input(s, { startAtLogin: null }), actions()), 'Start at login')
    ).toBeUndefined()
    const on = byLabel(
      trayMenuTemplate(input(s, { startAtLogin: true }), actions()),
      'Start at login'
    )
    expect(on?.checked).toBe(true)
  })

  it('finds the next 08:00', () => {
    const at = (d: number, h: number, m = 0) => new Date(2026, 2, d, h, m).getTime()
    expect(nextMorning(at(10, 14, 30))).toBe(at(11, 8))
    expect(nextMorning(at(10, 2))).toBe(at(10, 8))
    expect(nextMorning(at(10, 8))).toBe(at(11, 8))
  })
})

describe('tray icon files', () => {
  it('uses a distinct generated image per state on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const paths = TRAY_LEVELS.map((l) => trayIconFile(l, platform, ASSETS).path)
      expect(new Set(paths).size, platform).toBe(TRAY_LEVELS.length)
    }
    expect(trayIconFile('critical', 'win32', ASSETS).path).toMatch(/critical\.ico$/)
    expect(trayIconFile('warning', 'linux', ASSETS)).toEqual({
      path: join(ASSETS, 'warning-22.png'),
      hiDpi: join(ASSETS, 'warning-22@2x.png'),
      template: false
    })
  })

  it('makes one nativeImage per state, with its 2× representation; macOS ok is a template', () => {
    const mac = loadTrayIcons(ASSETS, 'darwin') as unknown as Record<TrayLevel, FakeImage>
    expect(mac.ok.path).toMatch(/okTemplate\.png$/)
    expect(mac.ok.template).toBe(true)
    expect(mac.critical.template).toBe(false)
    expect(mac.critical.path).toMatch(/critical-16\.png$/)
    for (const l of TRAY_LEVELS)
      expect(mac[l].reps).toEqual([{ scaleFactor: 2, bytes: expect.any(Number) as unknown }])
    const linux = loadTrayIcons(ASSETS, 'linux') as unknown as Record<TrayLevel, FakeImage>
    expect(linux.paused.path).toMatch(/paused-22\.png$/)
    const win = loadTrayIcons(ASSETS, 'win32') as unknown as Record<TrayLevel, FakeImage>
    expect(win.offline.reps).toEqual([]) // the .ico holds every size
    const menu = loadMenuIcons(ASSETS) as unknown as Record<Level, FakeImage>
    expect(menu.warning.path).toMatch(/warning-16\.png$/)
  })

  it('fails loudly when the icons were not generated', () => {
    expect(() => loadTrayIcons('/nonexistent', 'linux')).toThrow(/npm run icons/)
  })
})
