// Start at login with electron mocked: an XDG autostart entry written and removed on Linux (in a
// temporary XDG_CONFIG_HOME / HOME), login items on macOS and Windows.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { App } from 'electron'
import { FakeApp } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())

const { StartAtLogin, desktopEntry, desktopExecArg, linuxAutostartFile, launchCommand } =
  await import('../../../main/electron/autostart.ts')

let home: string
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'scale-tray-home-'))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

function linux(env: NodeJS.ProcessEnv, packaged = true, execPath = '/opt/Scale Tray/scale-tray') {
  const app = new FakeApp()
  app.isPackaged = packaged
  return new StartAtLogin({ platform: 'linux', env, app: app as unknown as App, execPath })
}

describe('Linux autostart', () => {
  it('writes and removes ~/.config/autostart/scale-tray.desktop under XDG_CONFIG_HOME', () => {
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') }
    const s = linux(env)
    const file = join(home, 'xdg', 'autostart', 'scale-tray.desktop')
    expect(linuxAutostartFile(env)).toBe(file)
    expect(s.supported()).toBe(true)
    expect(s.isEnabled()).toBe(false)
    s.set(true)
    expect(s.isEnabled()).toBe(true)
    const text = readFileSync(file, 'utf8')
    expect(text).toMatch(/^\[Desktop Entry\]\n/)
    expect(text).toContain('Type=Application\n')
    expect(text).toContain('Name=Scale Tray\n')
    expect(text).toContain('Exec="/opt/Scale Tray/scale-tray" --hidden\n')
    expect(text).toContain('X-GNOME-Autostart-enabled=true\n')
    expect(statSync(file).mode & 0o777).toBe(0o644)
    s.set(false)
    expect(existsSync(file)).toBe(false)
    expect(s.isEnabled()).toBe(false)
    s.set(false) // already gone: fine
  })

  it('falls back to $HOME/.config when XDG_CONFIG_HOME is unset or relative', () => {
    expect(linuxAutostartFile({ HOME: home })).toBe(
      join(home, '.config', 'autostart', 'scale-tray.desktop')
    )
    expect(linuxAutostartFile({ HOME: home, XDG_CONFIG_HOME: 'relative/dir' })).toBe(
      join(home, '.config', 'autostart', 'scale-tray.desktop')
    )
    const s = linux({ HOME: home })
    s.set(true)
    expect(existsSync(join(home, '.config', 'autostart', 'scale-tray.desktop'))).toBe(true)
  })

  it('starts the AppImage file itself, not its temporary mount', () => {
    const env = { HOME: home, APPIMAGE: '/home/u/Apps/Scale Tray-0.1.0-x86_64.AppImage' }
    const s = linux(env, true, '/tmp/.mount_ScaleXYZ/scale-tray')
    s.set(true)
    expect(readFileSync(linuxAutostartFile(env), 'utf8')).toContain(
      'Exec="/home/u/Apps/Scale Tray-0.1.0-x86_64.AppImage" --hidden\n'
    )
  })

  it('starts electron with the app folder when unpackaged', () => {
    const app = new FakeApp()
    expect(
      launchCommand({
        platform: 'linux',
        env: {},
        app: app as unknown as App,
        execPath: '/x/electron'
      })
    ).toEqual(['/x/electron', process.cwd(), '--hidden'])
  })

  it('quotes and escapes Exec arguments as the Desktop Entry spec says', () => {
    expect(desktopExecArg('/usr/bin/scale-tray')).toBe('/usr/bin/scale-tray')
    expect(desktopExecArg('/opt/My App/run')).toBe('"/opt/My App/run"')
    expect(desktopExecArg('/opt/a"b$c`d\\e')).toBe('"/opt/a\\\\"b\\\\$c\\\\`d\\\\\\\\e"')
    expect(desktopExecArg('/opt/100%/app')).toBe('"/opt/100%%/app"')
    expect(desktopEntry(['/a b/c', '--hidden'])).toContain('Exec="/a b/c" --hidden\n')
  })
})

describe('macOS and Windows login items', () => {
  it('uses a login item on macOS, and reads whether it started the app', () => {
    const app = new FakeApp()
    app.isPackaged = true
    const s = new StartAtLogin({
      platform: 'darwin',
      env: {},
      app: app as unknown as App,
      execPath: '/Applications/Scale Tray.app/Contents/MacOS/Scale Tray'
    })
    s.set(true)
    expect(app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true })
    expect(s.isEnabled()).toBe(true)
    app.loginItem.wasOpenedAtLogin = true
    expect(s.wasOpenedAtLogin()).toBe(true)
    app.loginItem.status = 'requires-approval'
    expect(s.needsApproval()).toBe(true)
  })

  it('registers the executable with --hidden on Windows', () => {
    const app = new FakeApp()
    app.isPackaged = true
    const exe = 'C:\\Users\\u\\AppData\\Local\\Programs\\scale-tray\\scale-tray.exe'
    const s = new StartAtLogin({
      platform: 'win32',
      env: {},
      app: app as unknown as App,
      execPath: exe
    })
    s.set(true)
    expect(app.setLoginItemSettings).toHaveBeenCalledWith({
      openAtLogin: true,
      path: exe,
      args: ['--hidden']
    })
    s.isEnabled()
    expect(app.getLoginItemSettings).toHaveBeenCalledWith({ path: exe, args: ['--hidden'] })
    s.set(false)
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({
      openAtLogin: false,
      path: exe,
      args: ['--hidden']
    })
  })

  it('is not offered for an unpackaged macOS or Windows build (it would register Electron itself)', () => {
    const app = new FakeApp()
    expect(
      new StartAtLogin({
        platform: 'darwin',
        env: {},
        app: app as unknown as App,
        execPath: '/x'
      }).supported()
    ).toBe(false)
    expect(
      new StartAtLogin({
        platform: 'win32',
        env: {},
        app: app as unknown as App,
        execPath: '/x'
      }).supported()
    ).toBe(false)
  })
})
