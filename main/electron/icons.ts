// Electron shell: which generated icon (assets/tray, from scripts/make-icons.ts) each tray state
// uses on each platform, loaded into one nativeImage per state, once.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { nativeImage, type NativeImage } from 'electron'
import type { TrayLevel } from '../core/monitor/types.ts'
import type { Level } from '../core/types.ts'

export const TRAY_LEVELS = [
  'ok',
  'warning',
  'critical',
  'unknown',
  'offline',
  'paused'
] as const satisfies readonly TrayLevel[]

/** macOS menu-bar states drawn as template images (black + alpha; the system tints them). */
export const TEMPLATE_LEVELS: ReadonlySet<TrayLevel> = new Set(['ok', 'offline', 'paused'])

/** Tray icon base sizes per platform, in points: macOS menu bar 16, Windows 16 (from the .ico), Linux panels 22. */
const LINUX_BASE = 22
const MAC_BASE = 16

export interface TrayIconFile {
  /** The 1× file (or the multi-size .ico on Windows). */
  path: string
  /** The 2× file, added as a second representation. */
  hiDpi?: string
  template: boolean
}

/** The files of a state on a platform, in `dir` (assets/tray). */
export function trayIconFile(
  level: TrayLevel,
  platform: NodeJS.Platform,
  dir: string
): TrayIconFile {
  if (platform === 'win32') return { path: join(dir, `${level}.ico`), template: false }
  if (platform === 'darwin') {
    // The "Template" suffix is also how macOS itself recognises a template image.
    const name = TEMPLATE_LEVELS.has(level) ? `${level}Template` : `${level}-${MAC_BASE}`
    return {
      path: join(dir, `${name}.png`),
      hiDpi: join(dir, `${name}@2x.png`),
      template: TEMPLATE_LEVELS.has(level)
    }
  }
  return {
    path: join(dir, `${level}-${LINUX_BASE}.png`),
    hiDpi: join(dir, `${level}-${LINUX_BASE}@2x.png`),
    template: false
  }
}

/** A larger icon of a state, for notifications (Linux and Windows show it beside the text). */
export function notificationIconFile(level: TrayLevel, dir: string): string {
  return join(dir, `${level}-32@2x.png`)
}

/** One nativeImage per tray state (1× and 2× representations), made once at start. */
export function loadTrayIcons(
  dir: string,
  platform: NodeJS.Platform = process.platform
): Record<TrayLevel, NativeImage> {
  const out = {} as Record<TrayLevel, NativeImage>
  for (const level of TRAY_LEVELS) {
    const f = trayIconFile(level, platform, dir)
    const img = nativeImage.createFromPath(f.path)
    if (img.isEmpty())
      throw new Error(`tray icon missing or unreadable: ${f.path} (run "npm run icons")`)
    if (f.hiDpi) img.addRepresentation({ scaleFactor: 2, buffer: readFileSync(f.hiDpi) })
    if (f.template) img.setTemplateImage(true)
    out[level] = img
  }
  return out
}

/** Small coloured icons for the menu's cluster rows (the same shapes as the tray, 16 px). */
export function loadMenuIcons(dir: string): Record<Level, NativeImage> {
  const out = {} as Record<Level, NativeImage>
  for (const level of ['ok', 'warning', 'critical', 'unknown'] as const) {
    const img = nativeImage.createFromPath(join(dir, `${level}-16.png`))
    if (!img.isEmpty())
      img.addRepresentation({
        scaleFactor: 2,
        buffer: readFileSync(join(dir, `${level}-16@2x.png`))
      })
    out[level] = img
  }
  return out
}
