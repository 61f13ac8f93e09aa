// Electron shell: the settings document through electron-store — the same file, schema and
// migrations as headless (main/core/settings/store.ts), built with SAFE_CONF_OPTIONS so a damaged
// file is never thrown on or wiped: the core store copies it aside and repairs it.
import { ipcMain } from 'electron'
import Store from 'electron-store'
import { SAFE_CONF_OPTIONS, settingsStoreFrom, type SettingsStore } from '../core/settings/store.ts'
import type { SecretStore } from '../core/settings/secrets.ts'

/** The channel electron-store registers for renderer-side stores. */
export const ELECTRON_STORE_CHANNEL = 'electron-store-get-data'

/** `settings.json` in `dir` (userData: ~/.config/scale-tray on Linux, shared with the CLI). */
export function openAppSettings(dir: string, secrets: SecretStore): SettingsStore {
  const conf = new Store<Record<string, unknown>>({
    ...SAFE_CONF_OPTIONS,
    name: 'settings',
    cwd: dir
  })
  // electron-store answers renderers that ask for its paths over an unchecked sync IPC channel;
  // no page of ours uses it, so it goes (every IPC channel the app keeps checks its sender).
  ipcMain.removeAllListeners(ELECTRON_STORE_CHANNEL)
  return settingsStoreFrom(conf, secrets)
}
