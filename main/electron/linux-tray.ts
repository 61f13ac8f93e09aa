// Electron shell: is there a tray on this Linux desktop? Electron's tray is a StatusNotifierItem
// (with an XEmbed fallback); stock GNOME has neither without the AppIndicator extension, and the
// icon silently never appears. Then the window opens at start and the user is told how to get one.
import { execFile } from 'node:child_process'

export type TrayPresence = 'present' | 'absent' | 'unknown'

/** Ask the session bus whether a StatusNotifierWatcher (the tray host) is running. */
export function hasStatusNotifierWatcher(timeoutMs = 1_500): Promise<boolean | undefined> {
  const args = [
    'call',
    '--session',
    '--dest',
    'org.freedesktop.DBus',
    '--object-path',
    '/org/freedesktop/DBus',
    '--method',
    'org.freedesktop.DBus.NameHasOwner',
    'org.kde.StatusNotifierWatcher'
  ]
  return new Promise((resolve) => {
    execFile('gdbus', args, { timeout: timeoutMs }, (err, stdout) => {
      // No gdbus, no session bus: we cannot tell, and assume the tray works.
      if (err) resolve(undefined)
      else resolve(/\btrue\b/.test(stdout))
    })
  })
}

/**
 * 'absent' only when we are fairly sure: no StatusNotifierWatcher on a GNOME session (which has no
 * XEmbed tray either since 3.26). KDE, XFCE, Cinnamon, MATE and others have a tray.
 */
export async function linuxTrayPresence(
  env: NodeJS.ProcessEnv,
  probe: () => Promise<boolean | undefined> = hasStatusNotifierWatcher
): Promise<TrayPresence> {
  const watcher = await probe()
  if (watcher === true) return 'present'
  if (watcher === undefined) return 'unknown'
  const desktop = `${env.XDG_CURRENT_DESKTOP ?? ''}:${env.XDG_SESSION_DESKTOP ?? ''}:${env.DESKTOP_SESSION ?? ''}`
  return /gnome/i.test(desktop) ? 'absent' : 'unknown'
}

export const NO_TRAY_NOTICE =
  'No system tray was found (GNOME without the AppIndicator extension). Scale Tray keeps watching and notifying; ' +
  'launch it again to bring this window back, and quit from its File menu (press Alt). To get the tray icon, install "AppIndicator and KStatusNotifierItem Support" ' +
  '(package gnome-shell-extension-appindicator) and log in again.'
