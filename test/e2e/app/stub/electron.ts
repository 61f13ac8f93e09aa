// Test stand-in for Electron's main-process API: just enough to start the built shell
// (dist/electron/main.js) in plain Node where no Electron binary exists. It reports what the
// shell asks of Electron as `STUB {json}` lines on stdout, for bundle.test.ts to read.
import { EventEmitter } from 'node:events'
import { existsSync } from 'node:fs'

type Handler = (event: unknown, arg?: unknown) => unknown

export const report = (what: string, data: unknown = null): void => {
  process.stdout.write(`STUB ${JSON.stringify({ what, data })}\n`)
}

class Image {
  readonly path: string
  constructor(path: string) {
    this.path = path
  }
  isEmpty(): boolean {
    return !existsSync(this.path)
  }
  addRepresentation(): void {}
  setTemplateImage(): void {}
}
export const nativeImage = { createFromPath: (p: string) => new Image(p) }

class QuitEvent {
  defaultPrevented = false
  preventDefault(): void {
    this.defaultPrevented = true
  }
}

class App extends EventEmitter {
  isPackaged = false
  readonly paths: Record<string, string> = { appData: process.env.STUB_APP_DATA ?? '/tmp' }
  dock = undefined
  getAppPath(): string {
    return process.env.STUB_APP_PATH ?? process.cwd()
  }
  getPath(name: string): string {
    return this.paths[name] ?? `${this.paths.appData}/${name}`
  }
  setPath(name: string, value: string): void {
    this.paths[name] = value
  }
  getVersion(): string {
    return '0.0.0-stub'
  }
  requestSingleInstanceLock(): boolean {
    return true
  }
  whenReady(): Promise<void> {
    return Promise.resolve()
  }
  setAppUserModelId(): void {}
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin: boolean; status: string } {
    return { openAtLogin: false, wasOpenedAtLogin: false, status: 'not-registered' }
  }
  setLoginItemSettings(): void {}
  quit(): void {
    report('app.quit')
    this.emit('before-quit')
    const e = new QuitEvent()
    this.emit('will-quit', e)
    if (!e.defaultPrevented) {
      report('exit')
      process.exit(0)
    }
  }
  exit(code: number): void {
    report('app.exit', code)
    process.exit(code)
  }
}
export const app = new App()

class IpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>()
  handle(channel: string, fn: Handler): void {
    this.handlers.set(channel, fn)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
}
export const ipcMain = new IpcMain()

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown) =>
    report('protocol.registerSchemesAsPrivileged', schemes),
  handle: () => undefined
}

class Session extends EventEmitter {
  appProtocol: ((r: Request) => Promise<Response>) | undefined
  readonly protocol = {
    handle: (scheme: string, fn: (r: Request) => Promise<Response>) => {
      this.appProtocol = fn
      report('session.protocol.handle', scheme)
    }
  }
  setPermissionRequestHandler(): void {}
  setPermissionCheckHandler(): void {}
  setDevicePermissionHandler(): void {}
  resolveProxy(): Promise<string> {
    return Promise.resolve('DIRECT')
  }
}
export const session = { defaultSession: new Session() }

export const shell = {
  openExternal: (url: string) => Promise.resolve(report('shell.openExternal', url))
}
export const dialog = { showMessageBoxSync: () => 0 }
export const powerMonitor = new EventEmitter()
export const safeStorage = {
  isAsyncEncryptionAvailable: () => Promise.resolve(false),
  getSelectedStorageBackend: () => 'basic_text',
  encryptStringAsync: (s: string) => Promise.resolve(Buffer.from(s)),
  decryptStringAsync: (b: Buffer) =>
    Promise.resolve({ result: b.toString(), shouldReEncrypt: false })
}

interface MenuItem {
  label?: string
  type?: string
}
export const Menu = {
  buildFromTemplate: (template: MenuItem[]) => ({ template }),
  setApplicationMenu: () => undefined
}

export class Tray extends EventEmitter {
  constructor(image: Image) {
    super()
    report('Tray', image.path)
  }
  setImage(image: Image): void {
    report('tray.setImage', image.path)
  }
  setToolTip(text: string): void {
    report('tray.setToolTip', text)
  }
  setContextMenu(menu: { template: MenuItem[] }): void {
    report(
      'tray.setContextMenu',
      menu.template.map((i) => i.label ?? (i.type === 'separator' ? '---' : ''))
    )
  }
  isDestroyed(): boolean {
    return false
  }
  destroy(): void {}
}

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true
  }
  readonly options: Record<string, unknown>
  constructor(options: Record<string, unknown>) {
    super()
    this.options = options
  }
  show(): void {
    report('notification.show', this.options.title)
  }
}

class WebContents extends EventEmitter {
  isDestroyed(): boolean {
    return false
  }
  isLoading(): boolean {
    return false
  }
  send(): void {}
  setWindowOpenHandler(): void {}
}

export class BrowserWindow extends EventEmitter {
  readonly webContents = new WebContents()
  constructor(options: Record<string, unknown>) {
    super()
    report('BrowserWindow', options)
    app.emit('web-contents-created', {}, this.webContents)
  }
  loadURL(url: string): Promise<void> {
    report('loadURL', url)
    return Promise.resolve()
  }
  isDestroyed(): boolean {
    return false
  }
  isVisible(): boolean {
    return false
  }
  isMinimized(): boolean {
    return false
  }
  show(): void {}
  hide(): void {}
  focus(): void {}
}

export const contextBridge = {}
export const ipcRenderer = {}

export default {
  app,
  ipcMain,
  protocol,
  session,
  shell,
  dialog,
  powerMonitor,
  safeStorage,
  Menu,
  Tray,
  Notification,
  BrowserWindow,
  nativeImage,
  contextBridge,
  ipcRenderer
}
