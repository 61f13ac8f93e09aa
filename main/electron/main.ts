// Electron shell: the entry point (dist/electron/main.js). Before `ready`: the Windows
// AppUserModelID, the userData folder, the single-instance lock and the app:// scheme; then the
// shell (app.ts). Everything it decides comes from main/core.
import { join } from 'node:path'
import { app } from 'electron'
import { APP_ID, HIDDEN_SWITCH, USER_DATA_NAME } from './constants.ts'
import { claimSingleInstance, secondLaunchShows } from './lifecycle.ts'
import { registerAppScheme } from './security.ts'
import { startShell, type Shell } from './app.ts'

const log = (line: string): void => console.error(`scale-tray: ${line}`)

// First thing on Windows: toasts are attributed to this id (the installer's Start Menu shortcut
// carries the same one). An unpackaged run has no such shortcut; Electron's own path works there.
if (process.platform === 'win32') app.setAppUserModelId(app.isPackaged ? APP_ID : process.execPath)

// One fixed folder (shared with the CLI on Linux); SCALE_TRAY_USER_DATA isolates test runs.
app.setPath(
  'userData',
  process.env.SCALE_TRAY_USER_DATA ?? join(app.getPath('appData'), USER_DATA_NAME)
)

let shell: Shell | undefined
let showWhenReady = false
const claimed = claimSingleInstance(app, (argv) => {
  if (!secondLaunchShows(argv)) return
  if (shell) shell.open()
  else showWhenReady = true
})

if (!claimed) {
  // Another instance is running and has been told to show its window.
  app.quit()
} else {
  registerAppScheme()
  app
    .whenReady()
    .then(async () => {
      shell = await startShell({
        hidden: process.argv.includes(HIDDEN_SWITCH) && !showWhenReady,
        log
      })
      if (showWhenReady) shell.open()
    })
    .catch((err: unknown) => {
      log(`could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
      app.exit(1)
    })
}
