// The window and lifecycle with electron mocked: one window, created on demand with the security
// settings written out, hidden on close; a second launch focuses it; sleep and wake reach the
// monitor; quitting stops and saves first.
import { describe, expect, it, vi } from 'vitest'
import type { App, PowerMonitor, WebContents } from 'electron'
import { FakeClock } from '../../../main/core/monitor/clock.ts'
import { Monitor } from '../../../main/core/monitor/monitor.ts'
import { scripted, settingsWith } from '../../helpers/scripted.ts'
import { FakeApp, FakeBrowserWindow, FakeEvent } from './fake-electron.ts'
import { EventEmitter } from 'node:events'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())

const { MainWindow } = await import('../../../main/electron/window.ts')
const { claimSingleInstance, holdQuitFor, secondLaunchShows, wirePower } =
  await import('../../../main/electron/lifecycle.ts')

function setup() {
  const navigate = vi.fn()
  const onVisibility = vi.fn()
  const w = new MainWindow({
    preload: '/app/dist/electron/preload.cjs',
    navigate,
    onVisibility,
    icon: '/app/icon.png'
  })
  return { w, navigate, onVisibility }
}
const last = () => FakeBrowserWindow.instances.at(-1) as FakeBrowserWindow

describe('the window', () => {
  it('is created on demand, sandboxed, and loads only app://bundle', () => {
    const { w } = setup()
    const before = FakeBrowserWindow.instances.length
    expect(w.exists()).toBe(false)
    w.open()
    expect(FakeBrowserWindow.instances.length).toBe(before + 1)
    const win = last()
    expect(win.options.show).toBe(false)
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false
    })
    expect(win.loadURL).toHaveBeenCalledWith('app://bundle/index.html')
    win.emit('ready-to-show')
    expect(win.isVisible()).toBe(true)
  })

  it('is one window: opening again shows and focuses it', () => {
    const { w } = setup()
    w.open()
    const win = last()
    win.emit('ready-to-show')
    win.hide()
    win.minimized = true
    w.open()
    expect(last()).toBe(win)
    expect(win.restore).toHaveBeenCalled()
    expect(win.isVisible()).toBe(true)
    expect(win.focus).toHaveBeenCalled()
  })

  it('hides instead of closing, until the app quits', () => {
    const { w, onVisibility } = setup()
    w.open()
    const win = last()
    win.emit('ready-to-show')
    const e = win.userClose()
    expect(e.defaultPrevented).toBe(true)
    expect(win.isDestroyed()).toBe(false)
    expect(win.isVisible()).toBe(false)
    expect(onVisibility).toHaveBeenLastCalledWith(false)
    w.setQuitting()
    expect(win.userClose().defaultPrevented).toBe(false)
    expect(w.exists()).toBe(false)
  })

  it('sends a destination once the page has fetched its snapshot', async () => {
    const { w, navigate } = setup()
    w.open({ clusterId: 'prod' })
    expect(navigate).not.toHaveBeenCalled()
    const wc = last().webContents as unknown as WebContents
    w.pageLoaded({} as WebContents) // another page: ignored
    w.pageLoaded(wc)
    await new Promise((r) => setImmediate(r))
    expect(navigate).toHaveBeenCalledWith({ clusterId: 'prod' })
    w.open({ clusterId: 'lab', view: 'overview' })
    expect(navigate).toHaveBeenLastCalledWith({ clusterId: 'lab', view: 'overview' })
  })

  it('forgets the page is ready when it reloads, and reloads after a crash (a few times)', async () => {
    const { w, navigate } = setup()
    w.open()
    const win = last()
    w.pageLoaded(win.webContents as unknown as WebContents)
    win.webContents.emit('did-start-loading')
    w.open({ clusterId: 'prod' })
    expect(navigate).not.toHaveBeenCalled()
    for (let i = 0; i < 5; i++)
      win.webContents.emit('render-process-gone', {}, { reason: 'crashed' })
    await Promise.resolve()
    expect(win.loadURL).toHaveBeenCalledTimes(1 + 3)
  })
})

describe('single instance', () => {
  it('quits a second instance', () => {
    const app = new FakeApp()
    app.requestSingleInstanceLock.mockReturnValue(false)
    expect(claimSingleInstance(app as unknown as App, vi.fn())).toBe(false)
  })

  it('focuses the window when launched again', () => {
    const app = new FakeApp()
    const { w } = setup()
    expect(
      claimSingleInstance(app as unknown as App, (argv) => secondLaunchShows(argv) && w.open())
    ).toBe(true)
    w.open()
    const win = last()
    win.emit('ready-to-show')
    win.hide()
    app.emit('second-instance', new FakeEvent(), ['/opt/Scale Tray/scale-tray'], '/home/u')
    expect(win.isVisible()).toBe(true)
    expect(win.focus).toHaveBeenCalled()
    win.hide()
    app.emit(
      'second-instance',
      new FakeEvent(),
      ['/opt/Scale Tray/scale-tray', '--hidden'],
      '/home/u'
    )
    expect(win.isVisible()).toBe(false) // the login item starting again stays in the tray
  })
})

describe('sleep and wake', () => {
  it('suspends the monitor on suspend and resumes it on resume', async () => {
    const clock = new FakeClock()
    const script = scripted(clock, { prod: 'ok' })
    const monitor = new Monitor({
      settings: settingsWith(['prod']),
      read: script.reader,
      clock,
      random: () => 0.5
    })
    monitor.start()
    await clock.advance(2_000)
    const power = new EventEmitter()
    const unwire = wirePower(power as unknown as PowerMonitor, monitor)
    power.emit('suspend')
    expect(monitor.isSuspended()).toBe(true)
    const polls = script.calls.get('prod')?.length ?? 0
    await clock.advance(10 * 60_000)
    expect(script.calls.get('prod')?.length).toBe(polls) // no polls while asleep
    power.emit('resume')
    expect(monitor.isSuspended()).toBe(false)
    await clock.advance(5_000)
    expect(script.calls.get('prod')?.length).toBeGreaterThan(polls)
    unwire()
    power.emit('suspend')
    expect(monitor.isSuspended()).toBe(false)
    monitor.stop()
  })
})

describe('quit', () => {
  it('holds the first will-quit until cleanup is done, then quits', async () => {
    const app = new FakeApp()
    let finish: () => void = () => undefined
    const cleanup = vi.fn(() => new Promise<void>((r) => (finish = r)))
    holdQuitFor(app as unknown as App, cleanup)
    const first = new FakeEvent()
    app.emit('will-quit', first)
    expect(first.defaultPrevented).toBe(true)
    const again = new FakeEvent()
    app.emit('will-quit', again) // a second Quit while saving: still held, cleanup not rerun
    expect(again.defaultPrevented).toBe(true)
    expect(cleanup).toHaveBeenCalledTimes(1)
    expect(app.quit).not.toHaveBeenCalled()
    finish()
    await new Promise((r) => setImmediate(r))
    expect(app.quit).toHaveBeenCalledTimes(1)
    const last = new FakeEvent()
    app.emit('will-quit', last)
    expect(last.defaultPrevented).toBe(false)
  })

  it('quits anyway when saving hangs', async () => {
    const app = new FakeApp()
    const log = vi.fn()
    holdQuitFor(app as unknown as App, () => new Promise<void>(() => undefined), log, 20)
    app.emit('will-quit', new FakeEvent())
    await new Promise((r) => setTimeout(r, 40))
    expect(app.quit).toHaveBeenCalled()
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/quitting anyway/))
  })
})
