// Electron shell: identifiers that must match electron-builder.yml and stay fixed across releases.

/**
 * The app id: macOS bundle id, Windows AppUserModelID (toasts are attributed to it, and the NSIS
 * Start Menu shortcut carries it), Linux desktop file name. Same as `appId` in electron-builder.yml.
 */
export const APP_ID = 'io.github.scale-tray'

/** The product name shown to users (window title, notifications, menus). */
export const PRODUCT_NAME = 'Scale Tray'

/**
 * The userData folder name. Fixed (not the product name) so the app and the headless CLI share
 * `settings.json` on Linux (`~/.config/scale-tray`), and a rename never loses settings.
 */
export const USER_DATA_NAME = 'scale-tray'

/**
 * Windows: the tray icon's GUID, so the icon keeps its place (shown / in the overflow) across
 * updates. Windows ties it to the code-signing subject, or to the executable's path when unsigned;
 * never change it once released (a new GUID starts over in the overflow area).
 */
export const TRAY_GUID = '6f4d2a1e-8b3c-4e5f-9a7d-2c1b0e3f4a5d'

/** The renderer is served from `app://bundle/` (a standard, secure scheme), never `file://`. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'bundle'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY = `${APP_ORIGIN}/index.html`

/** Sent as a header with every file of the bundle. No inline script or style, no remote anything. */
export { CSP } from '../core/app/csp.ts'

/** Command-line switch: start in the tray without opening the window (autostart uses it). */
export const HIDDEN_SWITCH = '--hidden'
