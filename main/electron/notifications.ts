// Electron shell: the monitor's notifications as system notifications. Shown ones stay referenced
// until closed (a collected Notification loses its click handler); a click opens the window on the
// cluster concerned. Where the system has no notifications, or refuses one, the shell falls back
// to the tray menu (and the window lists recent notifications anyway, from the monitor).
import { Notification, type NativeImage, type NotificationConstructorOptions } from 'electron'
import type { TrayLevel, TrayNotification } from '../core/monitor/types.ts'

/** Shown notifications kept referenced; the oldest is let go beyond this. */
export const MAX_LIVE_NOTIFICATIONS = 20
/** How long "Send a test notification" waits for the system to confirm. */
export const TEST_TIMEOUT_MS = 5_000

export interface NotifierOptions {
  /** What a click opens: the window on a cluster, or the overview. */
  onClick(open: TrayNotification['open']): void
  /** The system could not show `n` (unsupported, or `failed`): show it another way. */
  onFallback(n: TrayNotification, reason: string): void
  iconFor?(level: TrayLevel): string | NativeImage | undefined
  log?(line: string): void
  testTimeoutMs?: number
}

export class Notifier {
  private readonly live = new Set<Notification>()
  private readonly o: NotifierOptions

  constructor(o: NotifierOptions) {
    this.o = o
  }

  /** Whether the system can show notifications at all. */
  isSupported(): boolean {
    return Notification.isSupported()
  }

  /** Notifications currently referenced (for tests and leak checks). */
  liveCount(): number {
    return this.live.size
  }

  /** Show a monitor notification; returns whether it was handed to the system. */
  show(n: TrayNotification): boolean {
    if (!this.isSupported()) {
      this.o.onFallback(n, 'notifications are not supported on this system')
      return false
    }
    const note = this.create(n)
    note.on('failed', (_e, error) => {
      this.release(note)
      this.o.log?.(`notification failed: ${error}`)
      this.o.onFallback(n, `the system refused the notification (${error})`)
    })
    note.show()
    return true
  }

  /** "Send a test notification": show it and report what the system said. */
  test(n: TrayNotification): Promise<{ shown: boolean; detail: string }> {
    if (!this.isSupported()) {
      this.o.onFallback(n, 'notifications are not supported on this system')
      return Promise.resolve({
        shown: false,
        detail:
          'This system does not support notifications; alerts are listed in the tray menu and in this window.'
      })
    }
    return new Promise((resolve) => {
      const note = this.create(n)
      let settled = false
      const settle = (r: { shown: boolean; detail: string }): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(r)
      }
      const timer = setTimeout(
        () =>
          settle({
            shown: false,
            detail:
              'Sent, but the system did not confirm it. If nothing appeared, check that notifications for Scale Tray are allowed and Do Not Disturb / Focus is off.'
          }),
        this.o.testTimeoutMs ?? TEST_TIMEOUT_MS
      )
      note.on('show', () => settle({ shown: true, detail: 'The system showed the notification.' }))
      note.on('failed', (_e, error) => {
        this.release(note)
        this.o.onFallback(n, `the system refused the notification (${error})`)
        settle({ shown: false, detail: `The system refused it: ${error}` })
      })
      note.show()
    })
  }

  private create(n: TrayNotification): Notification {
    const opts: NotificationConstructorOptions = {
      id: n.id,
      title: n.title,
      body: n.body,
      // Critical stays on screen until dismissed (Linux); the rest follow the system's defaults.
      urgency: n.level === 'critical' ? 'critical' : 'normal',
      timeoutType: 'default'
    }
    const icon = this.o.iconFor?.(n.level)
    if (icon) opts.icon = icon
    const note = new Notification(opts)
    this.keep(note)
    note.on('click', () => {
      this.release(note)
      this.o.onClick(n.open)
    })
    note.on('close', () => this.release(note))
    return note
  }

  private keep(note: Notification): void {
    this.live.add(note)
    if (this.live.size > MAX_LIVE_NOTIFICATIONS) {
      const oldest = this.live.values().next().value
      if (oldest) this.live.delete(oldest)
    }
  }

  private release(note: Notification): void {
    this.live.delete(note)
  }
}
