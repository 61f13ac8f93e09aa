// The whole shell wired up (app.ts) with electron and electron-store mocked, over the real core:
// first run opens the window on settings; the tray, IPC, notifications, sleep and quit reach the
// right places; a keyring-less system is told, and keeps running.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { Invoke, Push, type Snapshot } from '../../../preload/contract.ts'
import { defaultSettings, makeCluster } from '../../../main/core/settings/schema.ts'
import {
  FakeBrowserWindow,
  FakeEvent,
  FakeNotification,
  FakeTray,
  type FakeElectron,
  type FakeMenu
} from './fake-electron.ts'
import type * as LinuxTray from '../../../main/electron/linux-tray.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())
vi.mock('electron-store', async () => {
  const Conf = (await import('conf')).default
  class Store extends Conf<Record<string, unknown>> {
    constructor(o: Record<string, unknown> & { name?: string }) {
      const { name, ...rest } = o
      super({ ...rest, configName: name ?? 'config', projectVersion: '0.1.0' })
    }
  }
  return { default: Store }
})
// Whether this desktop has a tray is the machine's business, not the test's.
vi.mock('../../../main/electron/linux-tray.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof LinuxTray>()),
  linuxTrayPresence: () => Promise.resolve('present')
}))

const electron = (await import('electron')) as unknown as FakeElectron
const { startShell } = await import('../../../main/electron/app.ts')

const APP = { url: 'app://bundle/index.html', parent: null }
let userData: string
const log = vi.fn()

beforeEach(() => {
  userData = mkdtempSync(join(tmpdir(), 'scale-tray-app-'))
  electron.app.paths.userData = userData
  electron.safeStorage.available = true
  FakeNotification.supported = true
})

afterEach(async () => {
  // Quit (unless the test did): the shell stops polling, saves, and removes its IPC handlers.
  if (electron.ipcMain.handlers.size > 0) {
    electron.app.quit.mockClear()
    electron.app.emit('will-quit', new FakeEvent())
    await vi.waitFor(() => expect(electron.ipcMain.handlers.size).toBe(0))
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled())
  }
  electron.app.removeAllListeners()
  electron.powerMonitor.removeAllListeners()
  rmSync(userData, { recursive: true, force: true })
})

function withClusters(): void {
  const s = {
    ...defaultSettings(),
    clusters: [
      makeCluster({ id: 'prod', name: 'prod', url: 'http://127.0.0.1:9/api', intervalSec: 3600 })
    ]
  }
  writeFileSync(join(userData, 'settings.json'), JSON.stringify(s))
}

const snapshot = async () =>
  (await electron.ipcMain.invoke(Invoke.getSnapshot, undefined, APP)) as Snapshot
const trayMenu = () =>
  ((FakeTray.instances.at(-1) as FakeTray).setContextMenu.mock.lastCall?.[0] as FakeMenu)
    .template as MenuItemConstructorOptions[]

describe('the shell', () => {
  it('on first run: a tray, every IPC channel, and the window opening on settings', async () => {
    const windows = FakeBrowserWindow.instances.length
    await startShell({ hidden: false, log })
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(Object.values(Invoke).sort())
    const tray = FakeTray.instances.at(-1) as FakeTray
    expect(tray.setToolTip).toHaveBeenCalledWith('Scale Tray: no clusters')
    expect(trayMenu()[0]?.label).toBe('Open Scale Tray')
    expect(FakeBrowserWindow.instances.length).toBe(windows + 1)
    const win = FakeBrowserWindow.instances.at(-1) as FakeBrowserWindow
    expect((win.options.webPreferences as { preload: string }).preload).toMatch(/preload\.cjs$/)

    const snap = (await electron.ipcMain.invoke(
      Invoke.getSnapshot,
      undefined,
      APP,
      win.webContents
    )) as Snapshot
    expect(snap.app).toMatchObject({
      mode: 'electron',
      secretsBacking: 'safeStorage',
      notificationsSupported: true
    })
    await vi.waitFor(() =>
      expect(win.webContents.send).toHaveBeenCalledWith(Push.event, {
        type: 'navigate',
        clusterId: null,
        view: 'settings'
      })
    )
    expect(electron.session.defaultSession.protocol.handle).toHaveBeenCalledWith(
      'app',
      expect.any(Function)
    )
  })

  it('starts hidden in the tray when asked, with clusters configured', async () => {
    withClusters()
    const windows = FakeBrowserWindow.instances.length
    await startShell({ hidden: true, log })
    expect(FakeBrowserWindow.instances.length).toBe(windows)
    const rows = trayMenu().filter((i) => i.id?.startsWith('cluster:'))
    expect(rows.map((r) => r.label)).toEqual(['prod — unknown: not confirmed yet'])
    ;(rows[0]?.click as () => void)()
    expect(FakeBrowserWindow.instances.length).toBe(windows + 1) // the row opened the window
  })

  it('shows the test notification for real and reports it; a click opens the window', async () => {
    withClusters()
    await startShell({ hidden: true, log })
    const result = electron.ipcMain.invoke(Invoke.testNotification, undefined, APP)
    await vi.waitFor(() =>
      expect(FakeNotification.instances.at(-1)?.options.title).toBe('Scale Tray test notification')
    )
    const n = FakeNotification.instances.at(-1) as FakeNotification
    n.emit('show', {})
    expect(await result).toEqual({
      ok: true,
      value: { shown: true, detail: 'The system showed the notification.' }
    })
    const windows = FakeBrowserWindow.instances.length
    n.emit('click', {})
    expect(FakeBrowserWindow.instances.length).toBe(windows + 1)
  })

  it('pauses polling while the computer sleeps', async () => {
    withClusters()
    await startShell({ hidden: true, log })
    electron.powerMonitor.emit('suspend')
    expect((await snapshot()).tray.suspended).toBe(true)
    electron.powerMonitor.emit('resume')
    expect((await snapshot()).tray.suspended).toBe(false)
  })

  it('refuses a foreign page', async () => {
    await startShell({ hidden: true, log })
    await expect(
      electron.ipcMain.invoke(Invoke.getSnapshot, undefined, {
        url: 'https://evil.example/',
        parent: null
      })
    ).rejects.toThrow(/rejected/)
  })

  it('without a keyring: keeps running and says so in the notices', async () => {
    electron.safeStorage.available = false
    await startShell({ hidden: true, log })
    const snap = await snapshot()
    expect(snap.app.secretsBacking).toBe('memory')
    expect(snap.notices.join('\n')).toMatch(/no system keyring .* kept in memory/)
  })

  it('saves history when quitting', async () => {
    withClusters()
    await startShell({ hidden: true, log })
    electron.app.emit('will-quit', new FakeEvent())
    await vi.waitFor(() => expect(existsSync(join(userData, 'history.json'))).toBe(true))
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled())
    const again = new FakeEvent()
    electron.app.emit('will-quit', again) // what the real app.quit does next: let through
    expect(again.defaultPrevented).toBe(false)
  })

  it('quits from the tray menu through app.quit (which runs the save)', async () => {
    await startShell({ hidden: true, log })
    const quit = trayMenu().find((i) => i.label === 'Quit')
    ;(quit?.click as () => void)()
    expect(electron.app.quit).toHaveBeenCalled()
  })
})
