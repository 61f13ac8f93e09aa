// Electron shell: wiring, after `ready`. The same pieces as `scale-tray serve` (main/cli/serve.ts):
// settings + secrets + reader + monitor + controller + history, with the platform's faces
// attached — tray, notifications, the window over IPC, start at login, sleep and wake.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, dialog, ipcMain, Menu, powerMonitor, safeStorage, session, shell } from 'electron'
import { Controller, type Platform } from '../core/app/controller.ts'
import { History } from '../core/monitor/history.ts'
import { Monitor, type ClusterReader } from '../core/monitor/monitor.ts'
import { makeReader } from '../core/monitor/reader.ts'
import type { TrayLevel, TrayNotification } from '../core/monitor/types.ts'
import { closeDefaultDispatcher } from '../core/scale/client.ts'
import { TransportCache } from '../core/scale/transport.ts'
import { secretRef, type SecretStore } from '../core/settings/secrets.ts'
import { describeProblem } from '../core/settings/store.ts'
import type { Result } from '../core/types.ts'
import { StartAtLogin } from './autostart.ts'
import { PRODUCT_NAME, TRAY_GUID } from './constants.ts'
import { loadMenuIcons, loadTrayIcons, notificationIconFile } from './icons.ts'
import { registerIpc, relayPushes } from './ipc.ts'
import { holdQuitFor, wirePower } from './lifecycle.ts'
import { linuxTrayPresence, NO_TRAY_NOTICE } from './linux-tray.ts'
import { appMenuTemplate } from './menu.ts'
import { Notifier } from './notifications.ts'
import { openAppSecrets } from './secrets.ts'
import { hardenContents, hardenSession, serveBundle, type LinkPolicy } from './security.ts'
import { openAppSettings } from './settings.ts'
import { TrayView, type TrayActions } from './tray.ts'
import { MainWindow, type Destination } from './window.ts'

/** Save history this often (and on quit), so a crash loses little. */
const HISTORY_SAVE_MS = 5 * 60_000
/** Alerts the system could not show, kept for the tray menu. */
const MAX_MISSED = 5

export interface ShellOptions {
  /** Started by the login item, or with --hidden: stay in the tray. */
  hidden: boolean
  log: (line: string) => void
}

/** The running app, for main.ts (a second launch opens the window). */
export interface Shell {
  open(to?: Destination): void
}

function here(): string {
  return dirname(fileURLToPath(import.meta.url))
}

/** Build and start everything. Call once, after `app.whenReady()`. */
export async function startShell(o: ShellOptions): Promise<Shell> {
  const log = o.log
  const platform = process.platform
  const appPath = app.getAppPath()
  const userData = app.getPath('userData')
  const assets = join(appPath, 'assets')
  const trayDir = join(assets, 'tray')
  const notices: string[] = []
  // Asked now (a D-Bus call), answered by the time the window is decided on.
  const trayPresence =
    platform === 'linux' ? linuxTrayPresence(process.env) : Promise.resolve('present' as const)

  // Pieces made later that earlier callbacks reach (a dialog's parent, the menu's controller).
  const late: { window?: MainWindow; controller?: Controller; tray?: TrayView } = {}

  // Settings and secrets first: the settings store moves v1 plain-text tokens into the secret store.
  const secrets = await openAppSecrets({
    dir: userData,
    safeStorage,
    platform,
    log,
    confirmPlainText: (file) => confirmPlainText(file, late.window)
  })
  notices.push(...secrets.notices)
  const store = openAppSettings(userData, secrets.store)
  const loaded = store.load()
  for (const p of loaded.problems) notices.push(`settings: ${describeProblem(p)}`)
  if (loaded.backupPath)
    notices.push(`settings: the original file was copied to ${loaded.backupPath}`)
  for (const n of loaded.migrated?.notes ?? []) notices.push(`settings: ${n}`)
  const settings = loaded.settings
  const firstRun = settings.clusters.length === 0

  const historyFile = join(userData, 'history.json')
  const h = await History.load(historyFile)
  if (h.problem) notices.push(h.problem)
  const history = h.history
  // Each cluster's TLS and proxy; proxy mode "system" asks Chromium (OS settings, PAC) for the URL.
  const transports = new TransportCache({
    secrets: secrets.store,
    env: process.env,
    resolveSystemProxy: (url) => session.defaultSession.resolveProxy(url)
  })
  const readerFor = (s: Pick<SecretStore, 'get'>): ClusterReader =>
    makeReader({ secrets: s, transportFor: (c) => transports.get(c, s) })
  const hasSecret = (c: { id: string; auth: { secretRef?: string } }): boolean =>
    secrets.store.has(c.auth.secretRef ?? secretRef(c.id))
  const monitor = new Monitor({ settings, read: readerFor(secrets.store), history, hasSecret })

  // Security: every web contents refuses navigation, new windows and webviews; the session
  // refuses permissions; the bundle is served from app:// with its CSP.
  const links: LinkPolicy = {
    clusters: () => late.controller?.currentSettings().clusters ?? settings.clusters,
    openExternal: (url) => void openExternal(url, log)
  }
  hardenSession(session.defaultSession)
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, links))
  serveBundle(session.defaultSession, join(appPath, 'dist', 'renderer'))
  if (!existsSync(join(appPath, 'dist', 'renderer', 'index.html'))) {
    log('the dashboard is not built (dist/renderer/index.html missing): run "npm run build"')
  }

  // Notifications: the system's, or the tray menu (and the window's list) when it has none.
  const missed: TrayNotification[] = []
  const notifier = new Notifier({
    iconFor: (level: TrayLevel) =>
      platform === 'darwin' ? undefined : notificationIconFile(level, trayDir), // macOS shows the app icon
    onClick: (open) =>
      late.window?.open(open.clusterId ? { clusterId: open.clusterId } : undefined),
    onFallback: (n, reason) => {
      log(`notification not shown (${reason}): ${n.title}`)
      missed.unshift(n)
      if (missed.length > MAX_MISSED) missed.length = MAX_MISSED
      late.tray?.balloon(n.title, n.body, () =>
        late.window?.open(n.open.clusterId ? { clusterId: n.open.clusterId } : undefined)
      )
      renderTray()
    },
    log
  })

  const platformFace: Platform = {
    mode: 'electron',
    version: app.getVersion(),
    notificationsSupported: notifier.isSupported(),
    showTestNotification: (n) => notifier.test(n),
    openExternal: (url) => openExternal(url, log)
  }
  const ctl = new Controller({
    monitor,
    store,
    secrets: secrets.store,
    settings,
    readerFor,
    transports,
    platform: platformFace,
    notices
  })
  late.controller = ctl

  const win = new MainWindow({
    preload: join(here(), 'preload.cjs'),
    navigate: (to) => ctl.navigate(to.clusterId, to.view),
    icon: join(assets, 'icons', '256x256.png'),
    devTools: !app.isPackaged,
    onVisibility: (visible) => {
      // A menu-bar app: the Dock icon only while the window is open.
      if (platform === 'darwin') void (visible ? app.dock?.show() : app.dock?.hide())
    },
    log
  })
  late.window = win
  const unregisterIpc = registerIpc({
    ipcMain,
    controller: ctl,
    onSnapshot: (sender) => win.pageLoaded(sender),
    log
  })
  const stopRelay = relayPushes(ctl, () => win.webContents)

  // Start at login: the OS is the truth (the user may change it there); settings can ask for it.
  const autostart = new StartAtLogin({
    platform,
    env: process.env,
    app,
    execPath: process.execPath
  })
  let wantedAtLogin = settings.startAtLogin
  if (autostart.needsApproval())
    notices.push('Start at login needs your approval: System Settings → General → Login Items.')

  function applyStartAtLogin(enabled: boolean): void {
    try {
      autostart.set(enabled)
    } catch (err) {
      log(`could not change start at login: ${(err as Error).message}`)
    }
    renderTray()
  }

  // The tray.
  const actions: TrayActions = {
    openWindow: () => win.open(),
    openCluster: (id) => win.open({ clusterId: id }),
    openSettings: () => win.open({ clusterId: null, view: 'settings' }),
    refreshAll: () => monitor.refresh(),
    snooze: (until) =>
      void ctl.snooze({ until }).then((r) => {
        if (!r.ok) log(`snooze: ${r.error}`)
      }),
    setStartAtLogin: (enabled) => applyStartAtLogin(enabled),
    quit: () => app.quit()
  }
  let levelIcons: ReturnType<typeof loadMenuIcons> | undefined
  try {
    const icons = loadTrayIcons(trayDir, platform)
    levelIcons = loadMenuIcons(trayDir)
    late.tray = new TrayView({
      icons,
      actions,
      platform,
      guid: platform === 'win32' && app.isPackaged ? TRAY_GUID : undefined,
      log
    })
  } catch (err) {
    log(`no tray icon: ${(err as Error).message}`)
  }
  function renderTray(): void {
    late.tray?.render({
      state: monitor.trayState(),
      snoozedUntil: ctl.currentSettings().notifications.snoozedUntil ?? null,
      now: Date.now(),
      startAtLogin: autostart.supported() ? autostart.isEnabled() : null,
      missedAlerts: missed,
      levelIcons
    })
  }
  monitor.on('tray', () => renderTray())
  ctl.onEvent((e) => {
    if (e.type !== 'settings') return
    renderTray()
    if (e.settings.startAtLogin !== wantedAtLogin) {
      wantedAtLogin = e.settings.startAtLogin
      if (autostart.supported()) applyStartAtLogin(wantedAtLogin)
    }
  })
  monitor.on('notification', (n) => {
    if (n.kind !== 'test') notifier.show(n) // the test one is shown (and reported) by showTestNotification
  })

  const menuActions = {
    openSettings: () => actions.openSettings(),
    refreshAll: () => actions.refreshAll(),
    quit: () => actions.quit()
  }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenuTemplate(platform, menuActions, !app.isPackaged))
  )
  const unwirePower = wirePower(powerMonitor, monitor, log)
  // Linux and macOS tell us the session is ending: quit cleanly (save) instead of being killed.
  powerMonitor.on('shutdown', () => app.quit())

  // Quit: stop polling, save history, let pending secret writes finish.
  const saveHistory = (): Promise<void> =>
    history
      .save(historyFile, Date.now())
      .catch((err: Error) => log(`could not save history: ${err.message}`))
  const saver = setInterval(() => void saveHistory(), HISTORY_SAVE_MS)
  saver.unref()
  app.on('before-quit', () => win.setQuitting())
  holdQuitFor(
    app,
    async () => {
      clearInterval(saver)
      monitor.stop()
      unwirePower()
      stopRelay()
      unregisterIpc()
      ctl.dispose()
      await Promise.all([saveHistory(), secrets.flush()])
      await Promise.all([transports.close(), closeDefaultDispatcher()])
      late.tray?.destroy()
    },
    log
  )
  // The app lives in the tray: no window is no reason to quit.
  app.on('window-all-closed', () => undefined)
  app.on('activate', () => win.open()) // macOS: the Dock icon clicked

  // Settings written with startAtLogin (by hand, by an administrator) get the login item.
  if (wantedAtLogin && autostart.supported() && !autostart.isEnabled()) applyStartAtLogin(true)
  monitor.start() // publishes the first tray state, which draws the tray

  // The window at start: asked for, or needed (first run, no tray on this desktop).
  let show = !(o.hidden || autostart.wasOpenedAtLogin()) || firstRun || !late.tray
  if ((await trayPresence) === 'absent') {
    notices.push(NO_TRAY_NOTICE)
    show = true
  }
  if (platform === 'darwin' && !show) app.dock?.hide()
  if (show) win.open(firstRun ? { clusterId: null, view: 'settings' } : undefined)
  log(
    `${PRODUCT_NAME} ${app.getVersion()} started (${settings.clusters.length} clusters, secrets: ${secrets.store.kind}, settings: ${store.path})`
  )
  return { open: (to) => win.open(to) }
}

async function openExternal(url: string, log: (line: string) => void): Promise<Result<null>> {
  try {
    await shell.openExternal(url)
    return { ok: true, value: null }
  } catch (err) {
    log(`could not open ${url}: ${(err as Error).message}`)
    return { ok: false, error: `could not open the link: ${(err as Error).message}` }
  }
}

/** Ask before a token is written in plain text (no keyring). Blocks main until answered: it decides where this token goes. */
function confirmPlainText(file: string, window: MainWindow | undefined): boolean {
  const opts: Electron.MessageBoxSyncOptions = {
    type: 'warning',
    title: PRODUCT_NAME,
    message: 'No keyring: store this token in plain text?',
    detail:
      'Scale Tray cannot encrypt secrets on this system (no keyring is available). ' +
      `It can keep tokens in memory until it quits (you enter them again next time), or store them unencrypted in ${file}, readable only by your user account.`,
    buttons: ['Keep in memory only', 'Store in plain text'],
    defaultId: 0,
    cancelId: 0,
    noLink: true
  }
  const parent = window?.browserWindow()
  return (parent ? dialog.showMessageBoxSync(parent, opts) : dialog.showMessageBoxSync(opts)) === 1
}
