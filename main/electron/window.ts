// Electron shell: the one dashboard window — created on demand, hidden (not destroyed) on close,
// sandboxed, loading only app://bundle/. It remembers where to go (a cluster from the tray or a
// notification) until the page has loaded and asked for its snapshot.
import { BrowserWindow, type WebContents } from 'electron'
import { APP_ENTRY, PRODUCT_NAME } from './constants.ts'

export interface Destination {
  clusterId: string | null
  view?: 'overview' | 'settings'
}

export interface MainWindowOptions {
  /** The bundled preload (dist/electron/preload.cjs). */
  preload: string
  /** Tell the page where to go (controller.navigate). */
  navigate(to: Destination): void
  /** Window icon (Linux, Windows). */
  icon?: string
  /** DevTools only in unpackaged builds. */
  devTools?: boolean
  entry?: string
  /** Called when the window is shown or hidden (macOS shows the Dock icon only while it is open). */
  onVisibility?(visible: boolean): void
  log?(line: string): void
}

/** Reloads after a renderer crash before giving up (a crash loop must not spin). */
const MAX_CRASH_RELOADS = 3

export class MainWindow {
  private win: BrowserWindow | undefined
  private quitting = false
  private pageReady = false
  private pending: Destination | undefined
  private crashes = 0
  private readonly o: MainWindowOptions

  constructor(o: MainWindowOptions) {
    this.o = o
  }

  /** The page, for pushes (undefined while there is no window). */
  get webContents(): WebContents | undefined {
    return this.win && !this.win.isDestroyed() ? this.win.webContents : undefined
  }

  /** The window itself, if it exists (a parent for dialogs). */
  browserWindow(): BrowserWindow | undefined {
    return this.win && !this.win.isDestroyed() ? this.win : undefined
  }

  exists(): boolean {
    return this.webContents !== undefined
  }

  isVisible(): boolean {
    return !!this.win && !this.win.isDestroyed() && this.win.isVisible()
  }

  /** Show (creating it if need be) and focus the window, optionally on a cluster or view. */
  open(to?: Destination): void {
    const fresh = !this.exists()
    const win = this.ensure()
    if (to) {
      if (this.pageReady) this.o.navigate(to)
      else this.pending = to // sent once the page has asked for its snapshot
    }
    this.o.onVisibility?.(true)
    if (fresh) return // shown on ready-to-show, without a blank flash
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }

  hide(): void {
    if (this.win && !this.win.isDestroyed() && this.win.isVisible()) this.win.hide()
    this.o.onVisibility?.(false)
  }

  /** From now on, closing the window closes it (the app is quitting). */
  setQuitting(): void {
    this.quitting = true
  }

  /** The page fetched its snapshot: it listens to pushes now, so a pending destination can go. */
  pageLoaded(sender: WebContents): void {
    if (sender !== this.webContents) return
    this.pageReady = true
    this.crashes = 0
    const to = this.pending
    this.pending = undefined
    // After the reply has reached the page, not before.
    if (to) setImmediate(() => this.o.navigate(to))
  }

  destroy(): void {
    this.quitting = true
    if (this.win && !this.win.isDestroyed()) this.win.destroy()
    this.win = undefined
  }

  private ensure(): BrowserWindow {
    if (this.win && !this.win.isDestroyed()) return this.win
    // The security settings are written out here, literally, where reviewers and
    // electronegativity look for them (tests read them back from the constructor call).
    const win = new BrowserWindow({
      title: PRODUCT_NAME,
      width: 1120,
      height: 780,
      minWidth: 720,
      minHeight: 480,
      show: false,
      backgroundColor: '#1b1f24',
      autoHideMenuBar: true,
      ...(this.o.icon ? { icon: this.o.icon } : {}),
      webPreferences: {
        preload: this.o.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        spellcheck: false,
        // Middle-click would open links in new windows behind setWindowOpenHandler's back.
        disableBlinkFeatures: 'Auxclick',
        devTools: this.o.devTools ?? false
      }
    })
    this.win = win
    this.pageReady = false
    // Navigation, new windows and webviews are refused for every web contents (app.ts, security.ts).
    const wc = win.webContents
    win.once('ready-to-show', () => {
      win.show()
      win.focus()
    })
    win.on('close', (event) => {
      if (this.quitting) return
      // The app lives in the tray: closing the window only hides it.
      event.preventDefault()
      this.hide()
    })
    win.on('closed', () => {
      if (this.win === win) this.win = undefined
    })
    wc.on('did-start-loading', () => {
      this.pageReady = false
    })
    wc.on('render-process-gone', (_e, details) => {
      this.pageReady = false
      this.o.log?.(`the window's page ended (${details.reason})`)
      if (details.reason !== 'clean-exit' && this.crashes++ < MAX_CRASH_RELOADS) void this.load(win)
    })
    void this.load(win)
    return win
  }

  private async load(win: BrowserWindow): Promise<void> {
    try {
      await win.loadURL(this.o.entry ?? APP_ENTRY)
    } catch (err) {
      this.o.log?.(`could not load the dashboard: ${(err as Error).message}`)
    }
  }
}
