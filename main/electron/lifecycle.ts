// Electron shell: app lifecycle adapters — one instance (a second launch shows the window), sleep
// and wake to the monitor, and a quit that stops polling and saves before the process ends.
import type { App, PowerMonitor } from 'electron'
import type { Monitor } from '../core/monitor/monitor.ts'
import { HIDDEN_SWITCH } from './constants.ts'

/**
 * Take the single-instance lock. False: another instance runs (it was told; this one must quit).
 * True: later launches call `onSecondLaunch` with their arguments.
 */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'on'>,
  onSecondLaunch: (argv: string[]) => void
): boolean {
  if (!app.requestSingleInstanceLock()) return false
  app.on('second-instance', (_event, argv) => onSecondLaunch(argv))
  return true
}

/** A second launch shows the window, unless it is the login item starting again (--hidden). */
export function secondLaunchShows(argv: readonly string[]): boolean {
  return !argv.includes(HIDDEN_SWITCH)
}

/** The OS sleeps: no polls (they would fail and count); it wakes: the monitor resumes with a grace period. */
export function wirePower(
  power: Pick<PowerMonitor, 'on' | 'off'>,
  monitor: Pick<Monitor, 'suspend' | 'resume'>,
  log?: (line: string) => void
): () => void {
  const suspend = (): void => {
    log?.('system suspending: polling paused')
    monitor.suspend()
  }
  const resume = (): void => {
    log?.('system resumed: polling again')
    monitor.resume()
  }
  power.on('suspend', suspend)
  power.on('resume', resume)
  return () => {
    power.off('suspend', suspend)
    power.off('resume', resume)
  }
}

/** Longest a quit waits for saving before the process ends anyway. */
export const QUIT_TIMEOUT_MS = 4_000

/**
 * Run `cleanup` (stop polling, save history and secrets) once before the app quits: the first
 * `will-quit` is held until cleanup settles (or times out), then the quit goes on.
 */
export function holdQuitFor(
  app: Pick<App, 'on' | 'quit'>,
  cleanup: () => Promise<void>,
  log?: (line: string) => void,
  timeoutMs = QUIT_TIMEOUT_MS
): void {
  let state: 'running' | 'cleaning' | 'done' = 'running'
  app.on('will-quit', (event) => {
    if (state === 'done') return
    event.preventDefault()
    if (state === 'cleaning') return
    state = 'cleaning'
    let timer: NodeJS.Timeout | undefined
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log?.(`saving took over ${timeoutMs} ms; quitting anyway`)
        resolve()
      }, timeoutMs)
    })
    void Promise.race([
      cleanup().catch((err: unknown) => log?.(`while quitting: ${(err as Error).message}`)),
      limit
    ]).then(() => {
      clearTimeout(timer)
      state = 'done'
      app.quit()
    })
  })
}
