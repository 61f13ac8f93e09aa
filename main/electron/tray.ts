// Electron shell: the tray icon and its menu. It draws what the monitor decided (TrayState): one
// image per state, swapped only when the state changes; the monitor's tooltip; and a context menu
// rebuilt and re-set on every change, because Linux desktops may never deliver a click.
import { Menu, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron'
import type { TrayNotification, TrayState, TrayLevel } from '../core/monitor/types.ts'
import type { Level } from '../core/types.ts'

export interface TrayActions {
  openWindow(): void
  openCluster(clusterId: string): void
  openSettings(): void
  refreshAll(): void
  /** Snooze all notifications until a time, or resume (null). */
  snooze(until: number | null): void
  setStartAtLogin(enabled: boolean): void
  quit(): void
}

/** Everything one menu is drawn from. */
export interface TrayMenuInput {
  state: TrayState
  /** The global snooze, if any (settings.notifications.snoozedUntil). */
  snoozedUntil: number | null
  now: number
  /** null where start-at-login cannot be set (an unpackaged build). */
  startAtLogin: boolean | null
  /** Notifications the system could not show (newest first): listed here instead. */
  missedAlerts: readonly Pick<TrayNotification, 'title' | 'body' | 'at' | 'open'>[]
  /** Small icons for the cluster rows. */
  levelIcons?: Partial<Record<Level, NativeImage>>
}

/** Cluster rows in the menu; more open the window. */
export const MAX_MENU_CLUSTERS = 15
const MAX_REASON = 60
const MORNING_HOUR = 8

const LEVEL_WORD: Record<Level, string> = {
  ok: 'ok',
  warning: 'warning',
  critical: 'critical',
  unknown: 'unknown'
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`
}

/** Menus treat `&` as a mnemonic marker on Windows and Linux: names are shown as typed. */
function label(s: string): string {
  return s.replace(/&/g, '&&')
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
}

/** The next 08:00 local time after `now` ("until tomorrow morning"). */
export function nextMorning(now: number): number {
  const d = new Date(now)
  d.setHours(MORNING_HOUR, 0, 0, 0)
  if (d.getTime() <= now) d.setDate(d.getDate() + 1)
  return d.getTime()
}

function sameDay(a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString()
}

function until(now: number, at: number): string {
  if (sameDay(now, at)) return clock(at)
  const day = new Date(at).toLocaleDateString(undefined, { weekday: 'short' })
  return `${day} ${clock(at)}`
}

/** The menu for a state: Open, the clusters, missed alerts, Refresh, Snooze, Start at login, Settings, Quit. */
export function trayMenuTemplate(
  input: TrayMenuInput,
  actions: TrayActions
): MenuItemConstructorOptions[] {
  const { state, now } = input
  const items: MenuItemConstructorOptions[] = [
    { label: 'Open Scale Tray', click: () => actions.openWindow() }
  ]
  items.push({ type: 'separator' })

  if (state.offline) items.push({ label: 'Offline: no cluster reachable', enabled: false })
  else if (state.suspended)
    items.push({ label: 'Paused while the computer sleeps', enabled: false })
  if (state.clusters.length === 0) {
    items.push(
      { label: 'No clusters yet', enabled: false },
      { label: 'Add a cluster…', click: () => actions.openSettings() }
    )
  }
  for (const c of state.clusters.slice(0, MAX_MENU_CLUSTERS)) {
    const why = c.reason
      ? `${LEVEL_WORD[c.level]}: ${clip(c.reason, MAX_REASON)}`
      : LEVEL_WORD[c.level]
    const row: MenuItemConstructorOptions = {
      id: `cluster:${c.id}`,
      label: label(`${c.name} — ${why}`),
      click: () => actions.openCluster(c.id)
    }
    const icon = input.levelIcons?.[c.level]
    if (icon) row.icon = icon
    items.push(row)
  }
  if (state.clusters.length > MAX_MENU_CLUSTERS) {
    items.push({
      label: `${state.clusters.length - MAX_MENU_CLUSTERS} more…`,
      click: () => actions.openWindow()
    })
  }

  if (input.missedAlerts.length > 0) {
    items.push(
      { type: 'separator' },
      { label: 'Alerts (system notifications unavailable)', enabled: false }
    )
    for (const a of input.missedAlerts.slice(0, 3)) {
      const target = a.open.clusterId
      items.push({
        label: label(`${clock(a.at)} ${clip(a.title, MAX_REASON)}`),
        toolTip: a.body,
        click: () => (target ? actions.openCluster(target) : actions.openWindow())
      })
    }
  }

  items.push({ type: 'separator' })
  items.push({
    label: 'Refresh all',
    enabled: state.clusters.length > 0 && !state.suspended,
    click: () => actions.refreshAll()
  })
  const snoozed = input.snoozedUntil !== null && input.snoozedUntil > now
  const morning = nextMorning(now)
  const snoozeMenu: MenuItemConstructorOptions[] = []
  if (snoozed)
    snoozeMenu.push(
      { label: `Snoozed until ${until(now, input.snoozedUntil ?? now)}`, enabled: false },
      { type: 'separator' }
    )
  snoozeMenu.push(
    { label: 'For 1 hour', click: () => actions.snooze(now + 3_600_000) },
    {
      label: `Until ${sameDay(now, morning) ? '' : 'tomorrow '}${clock(morning)}`,
      click: () => actions.snooze(morning)
    },
    { label: 'Resume notifications', enabled: snoozed, click: () => actions.snooze(null) }
  )
  items.push({
    label: snoozed ? 'Notifications snoozed' : 'Snooze notifications',
    submenu: snoozeMenu
  })
  items.push({ type: 'separator' })
  if (input.startAtLogin !== null) {
    const on = input.startAtLogin
    items.push({
      label: 'Start at login',
      type: 'checkbox',
      checked: on,
      click: () => actions.setStartAtLogin(!on)
    })
  }
  items.push({ label: 'Settings…', click: () => actions.openSettings() })
  items.push({ type: 'separator' })
  items.push({ label: 'Quit', click: () => actions.quit() })
  return items
}

export interface TrayViewOptions {
  icons: Record<TrayLevel, NativeImage>
  actions: TrayActions
  platform?: NodeJS.Platform
  /** Windows: the fixed GUID (packaged builds only; see TRAY_GUID). */
  guid?: string
  log?: (line: string) => void
}

/**
 * The app's one tray icon. Hold it for the app's lifetime (a Tray only referenced by a local
 * variable is garbage-collected and disappears from the panel).
 */
export class TrayView {
  readonly tray: Tray
  private level: TrayLevel | undefined
  private tooltip = ''
  private readonly o: TrayViewOptions

  constructor(o: TrayViewOptions) {
    this.o = o
    this.tray = createTray(o.icons.unknown, o.guid, o.log)
    this.level = 'unknown'
    const platform = o.platform ?? process.platform
    // macOS opens the menu on click; Windows (and Linux hosts that send clicks) open the window.
    if (platform !== 'darwin') this.tray.on('click', () => o.actions.openWindow())
  }

  /** Draw a state: image only when the state changed, tooltip when it changed, the menu always. */
  render(input: TrayMenuInput): void {
    const { level, tooltip } = input.state
    if (level !== this.level) {
      this.tray.setImage(this.o.icons[level])
      this.level = level
    }
    if (tooltip !== this.tooltip) {
      this.tray.setToolTip(tooltip)
      this.tooltip = tooltip
    }
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(input, this.o.actions)))
  }

  /** Windows only: a balloon from the tray icon, when toasts fail. */
  balloon(title: string, content: string, onClick: () => void): boolean {
    if ((this.o.platform ?? process.platform) !== 'win32') return false
    this.tray.removeAllListeners('balloon-click')
    this.tray.once('balloon-click', onClick)
    this.tray.displayBalloon({ title, content, iconType: 'warning' })
    return true
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy()
  }
}

function createTray(
  image: NativeImage,
  guid: string | undefined,
  log?: (line: string) => void
): Tray {
  if (guid === undefined) return new Tray(image)
  try {
    return new Tray(image, guid)
  } catch (err) {
    // An unsigned build moved to another folder cannot reuse the GUID: a tray without one beats none.
    log?.(`tray GUID refused (${(err as Error).message}); creating the tray without it`)
    return new Tray(image)
  }
}
