// Electron shell: start at login. macOS and Windows through app.setLoginItemSettings; Linux through
// an XDG autostart entry (~/.config/autostart/scale-tray.desktop) written and removed here. The
// app starts with --hidden from there, so it comes up in the tray.
import { existsSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { App } from 'electron'
import { writeFileAtomic } from '../core/settings/secrets.ts'
import { HIDDEN_SWITCH, PRODUCT_NAME, USER_DATA_NAME } from './constants.ts'

export interface AutostartEnv {
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings' | 'isPackaged' | 'getAppPath'>
  /** process.execPath: the app's executable (Electron itself when unpackaged). */
  execPath: string
}

/** `$XDG_CONFIG_HOME/autostart/scale-tray.desktop` (XDG_CONFIG_HOME defaults to ~/.config). */
export function linuxAutostartFile(env: NodeJS.ProcessEnv): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/')
      ? env.XDG_CONFIG_HOME
      : join(env.HOME ?? homedir(), '.config')
  return join(base, 'autostart', `${USER_DATA_NAME}.desktop`)
}

/** What to run at login: the AppImage file itself (its mount point changes every run), else the executable. */
export function launchCommand(e: AutostartEnv): string[] {
  if (e.platform === 'linux' && e.env.APPIMAGE) return [e.env.APPIMAGE, HIDDEN_SWITCH]
  if (!e.app.isPackaged) return [e.execPath, e.app.getAppPath(), HIDDEN_SWITCH]
  return [e.execPath, HIDDEN_SWITCH]
}

/** One argument of a desktop entry's Exec key, quoted and escaped as the Desktop Entry spec asks. */
export function desktopExecArg(arg: string): string {
  const quoted = /^[\w\-./+=:,@]+$/.test(arg) ? arg : `"${arg.replace(/[\\"`$]/g, '\\$&')}"`
  // The string-value escape applies on top of the quoting, and % starts a field code.
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%')
}

/** The autostart desktop entry for a command. */
export function desktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${PRODUCT_NAME}`,
    'Comment=Tray monitor for NGA Scale clusters',
    `Exec=${command.map(desktopExecArg).join(' ')}`,
    `Icon=${USER_DATA_NAME}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    // Give the panel's tray host a moment to appear before the icon is registered.
    'X-GNOME-Autostart-Delay=5',
    ''
  ].join('\n')
}

/** Start-at-login for this platform; `supported()` is false for unpackaged macOS/Windows builds. */
export class StartAtLogin {
  private readonly e: AutostartEnv

  constructor(e: AutostartEnv) {
    this.e = e
  }

  supported(): boolean {
    return this.e.platform === 'linux' || this.e.app.isPackaged
  }

  isEnabled(): boolean {
    if (this.e.platform === 'linux') return existsSync(linuxAutostartFile(this.e.env))
    if (this.e.platform === 'win32') {
      return this.e.app.getLoginItemSettings({ path: this.e.execPath, args: [HIDDEN_SWITCH] })
        .openAtLogin
    }
    return this.e.app.getLoginItemSettings().openAtLogin
  }

  set(enabled: boolean): void {
    if (this.e.platform === 'linux') {
      const file = linuxAutostartFile(this.e.env)
      if (enabled) writeFileAtomic(file, desktopEntry(launchCommand(this.e)), 0o644)
      else rmSync(file, { force: true })
      return
    }
    if (this.e.platform === 'win32') {
      this.e.app.setLoginItemSettings({
        openAtLogin: enabled,
        path: this.e.execPath,
        args: [HIDDEN_SWITCH]
      })
      return
    }
    // macOS: a login item (SMAppService); the app tells it was opened at login by wasOpenedAtLogin.
    this.e.app.setLoginItemSettings({ openAtLogin: enabled })
  }

  /** macOS may need the user to approve the login item in System Settings. */
  needsApproval(): boolean {
    return (
      this.e.platform === 'darwin' &&
      this.e.app.getLoginItemSettings().status === 'requires-approval'
    )
  }

  /** This run was started by the login item (macOS says so; elsewhere the --hidden switch does). */
  wasOpenedAtLogin(): boolean {
    return this.e.platform === 'darwin' && this.e.app.getLoginItemSettings().wasOpenedAtLogin
  }
}
