// Test helper: a fake `electron` module for vi.mock('electron', …). The real one downloads the
// Electron binary on import, which our machines cannot; these fakes record what the shell asks of
// Electron and let tests fire the events Electron would (clicks, IPC, sleep, navigation).
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'
import { vi } from 'vitest'

/** A recorded Electron event object: `preventDefault` and whether it was called. */
export class FakeEvent {
  defaultPrevented = false
  constructor(extra: Record<string, unknown> = {}) {
    Object.assign(this, extra)
  }
  preventDefault(): void {
    this.defaultPrevented = true
  }
}

export class FakeImage {
  readonly path: string
  readonly reps: { scaleFactor: number; bytes: number }[] = []
  template = false
  constructor(path: string) {
    this.path = path
  }
  isEmpty(): boolean {
    return !existsSync(this.path)
  }
  addRepresentation(o: { scaleFactor: number; buffer?: Buffer }): void {
    this.reps.push({ scaleFactor: o.scaleFactor, bytes: o.buffer?.length ?? 0 })
  }
  setTemplateImage(on: boolean): void {
    this.template = on
  }
}

export class FakeMenu {
  readonly template: unknown[]
  constructor(template: unknown[]) {
    this.template = template
  }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = []
  /** Windows refuses a GUID registered to another executable path (unsigned builds). */
  static refuseGuid = false
  readonly guid: string | undefined
  image: unknown
  readonly setImage = vi.fn((img: unknown) => {
    this.image = img
  })
  readonly setToolTip = vi.fn()
  readonly setContextMenu = vi.fn()
  readonly displayBalloon = vi.fn()
  private destroyed = false
  constructor(image: unknown, guid?: string) {
    super()
    if (guid !== undefined && FakeTray.refuseGuid) throw new Error('Failed to create tray icon')
    this.image = image
    this.guid = guid
    FakeTray.instances.push(this)
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  destroy(): void {
    this.destroyed = true
  }
}

export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = []
  static supported = true
  static isSupported(): boolean {
    return FakeNotification.supported
  }
  readonly options: Record<string, unknown>
  readonly show = vi.fn()
  readonly close = vi.fn()
  constructor(options: Record<string, unknown>) {
    super()
    this.options = options
    FakeNotification.instances.push(this)
  }
}

export class FakeWebContents extends EventEmitter {
  url = 'app://bundle/index.html'
  destroyed = false
  loading = false
  readonly send = vi.fn()
  windowOpenHandler: ((d: { url: string }) => { action: string }) | undefined
  readonly mainFrame = { url: this.url, parent: null }
  isDestroyed(): boolean {
    return this.destroyed
  }
  isLoading(): boolean {
    return this.loading
  }
  getURL(): string {
    return this.url
  }
  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = fn
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = []
  readonly options: Record<string, unknown>
  readonly webContents = new FakeWebContents()
  visible = false
  minimized = false
  destroyed = false
  readonly loadURL = vi.fn(() => Promise.resolve())
  readonly focus = vi.fn()
  readonly restore = vi.fn(() => {
    this.minimized = false
  })
  constructor(options: Record<string, unknown>) {
    super()
    this.options = options
    FakeBrowserWindow.instances.push(this)
  }
  show(): void {
    this.visible = true
  }
  hide(): void {
    this.visible = false
  }
  isVisible(): boolean {
    return this.visible
  }
  isMinimized(): boolean {
    return this.minimized
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  destroy(): void {
    this.destroyed = true
    this.emit('closed')
  }
  /** What the user closing the window does: `close`, and `closed` unless prevented. */
  userClose(): FakeEvent {
    const e = new FakeEvent()
    this.emit('close', e)
    if (!e.defaultPrevented) this.destroy()
    return e
  }
}

export class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, fn)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  /** Call a channel as a page at `url` would (top frame unless `parent` is given). */
  async invoke(
    channel: string,
    arg: unknown,
    frame: { url: string; parent: unknown } | null = {
      url: 'app://bundle/index.html',
      parent: null
    },
    sender: unknown = {}
  ): Promise<unknown> {
    const fn = this.handlers.get(channel)
    if (!fn) throw new Error(`no handler for ${channel}`)
    return await fn({ senderFrame: frame, sender }, arg)
  }
}

export class FakeApp extends EventEmitter {
  isPackaged = false
  paths: Record<string, string> = { appData: '/tmp/appData', userData: '/tmp/userData' }
  loginItem = { openAtLogin: false, wasOpenedAtLogin: false, status: 'not-registered' }
  readonly setLoginItemSettings = vi.fn((s: { openAtLogin?: boolean }) => {
    this.loginItem.openAtLogin = s.openAtLogin ?? false
  })
  readonly getLoginItemSettings = vi.fn(() => ({ ...this.loginItem }))
  readonly requestSingleInstanceLock = vi.fn(() => true)
  readonly quit = vi.fn()
  readonly exit = vi.fn()
  readonly setAppUserModelId = vi.fn()
  readonly dock = { show: vi.fn(() => Promise.resolve()), hide: vi.fn() }
  getAppPath(): string {
    return process.cwd()
  }
  getPath(name: string): string {
    return this.paths[name] ?? `/tmp/${name}`
  }
  setPath(name: string, value: string): void {
    this.paths[name] = value
  }
  getVersion(): string {
    return '0.1.0'
  }
  whenReady(): Promise<void> {
    return Promise.resolve()
  }
}

/** A fresh fake module (one per test file, through vi.mock's factory). */
export function fakeElectron() {
  FakeTray.instances = []
  FakeNotification.instances = []
  FakeNotification.supported = true
  FakeBrowserWindow.instances = []
  const app = new FakeApp()
  const sessionProtocol = { handle: vi.fn() }
  const defaultSession = Object.assign(new EventEmitter(), {
    protocol: sessionProtocol,
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    resolveProxy: vi.fn(() => Promise.resolve('DIRECT'))
  })
  const mod = {
    app,
    ipcMain: new FakeIpcMain(),
    ipcRenderer: Object.assign(new EventEmitter(), {
      invoke: vi.fn((..._args: unknown[]) => Promise.resolve('reply'))
    }),
    contextBridge: { exposeInMainWorld: vi.fn() },
    nativeImage: { createFromPath: (p: string) => new FakeImage(p) },
    Menu: { buildFromTemplate: (t: unknown[]) => new FakeMenu(t), setApplicationMenu: vi.fn() },
    Tray: FakeTray,
    Notification: FakeNotification,
    BrowserWindow: FakeBrowserWindow,
    powerMonitor: new EventEmitter(),
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: { defaultSession },
    shell: { openExternal: vi.fn(() => Promise.resolve()) },
    dialog: { showMessageBoxSync: vi.fn(() => 0) },
    safeStorage: {
      available: true,
      backend: 'gnome_libsecret',
      isAsyncEncryptionAvailable: vi.fn(function (this: { available: boolean }) {
        return Promise.resolve(mod.safeStorage.available)
      }),
      getSelectedStorageBackend: vi.fn(() => mod.safeStorage.backend),
      // Not encryption: a reversible marker, so tests can see that the file holds no plain text.
      encryptStringAsync: vi.fn((s: string) =>
        Promise.resolve(Buffer.from(`sealed:${Buffer.from(s).toString('hex')}`))
      ),
      decryptStringAsync: vi.fn((b: Buffer) => {
        const t = b.toString()
        if (!t.startsWith('sealed:')) return Promise.reject(new Error('not ours'))
        return Promise.resolve({
          result: Buffer.from(t.slice(7), 'hex').toString(),
          shouldReEncrypt: false
        })
      })
    }
  }
  return mod
}

export type FakeElectron = ReturnType<typeof fakeElectron>
