// The built Electron shell (dist/electron/main.js, as `electron .` loads it) started in plain Node
// with a stand-in for Electron's API (stub/electron.ts): no binary needed. It proves the bundle is
// complete and wires up — scheme, protocol with CSP, tray, sandboxed window, every IPC channel
// with the sender check, sleep, and a quit that saves — where the real app cannot run.
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Invoke } from '../../../preload/contract.ts'
import { CSP } from '../../../main/electron/constants.ts'

const ROOT = join(import.meta.dirname, '../../..')
const MAIN = join(ROOT, 'dist/electron/main.js')

interface Line {
  what: string
  data: unknown
}

let dir: string
let lines: Line[] = []
let stderr = ''
let code: number | null = null

beforeAll(async () => {
  // Always the current sources: this is a test of the build.
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '-c',
      'vite.electron.config.ts',
      '--logLevel',
      'warn'
    ],
    { cwd: ROOT, stdio: 'inherit' }
  )
  dir = mkdtempSync(join(tmpdir(), 'scale-tray-bundle-'))
  const env = {
    ...process.env,
    STUB_APP_DATA: dir,
    STUB_APP_PATH: ROOT,
    SCALE_TRAY_USER_DATA: join(dir, 'userData')
  }
  const out = await new Promise<string>((resolve) => {
    const child = execFile(
      process.execPath,
      [join(import.meta.dirname, 'stub/drive.ts'), MAIN],
      { cwd: ROOT, env, timeout: 60_000 },
      (_err, stdout, err) => {
        stderr = err
        resolve(stdout)
      }
    )
    child.on('exit', (c) => (code = c))
  })
  lines = out
    .split('\n')
    .filter((l) => l.startsWith('STUB '))
    .map((l) => JSON.parse(l.slice(5)) as Line)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const find = (what: string): unknown[] => lines.filter((l) => l.what === what).map((l) => l.data)

describe('the built shell with a stand-in Electron', () => {
  it('starts, registers app:// before ready, and serves the bundle with the CSP', () => {
    expect(stderr).toMatch(/Scale Tray .* started/)
    expect(find('protocol.registerSchemesAsPrivileged')[0]).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }) as unknown
      }
    ])
    expect(find('protocol')).toEqual([
      { url: 'app://bundle/', status: 200, csp: CSP },
      { url: 'app://bundle/..%2fpackage.json', status: 403, csp: CSP }
    ])
  })

  it('shows a tray with its menu, and opens the sandboxed window on first run', () => {
    expect(find('Tray')[0]).toMatch(/assets[/\\]tray[/\\]unknown-22\.png$/)
    expect((find('tray.setContextMenu')[0] as string[])[0]).toBe('Open Scale Tray')
    const win = find('BrowserWindow')[0] as { webPreferences: Record<string, unknown> }
    expect(win.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: join(ROOT, 'dist/electron/preload.cjs')
    })
    expect(existsSync(win.webPreferences.preload as string)).toBe(true)
    expect(find('loadURL')).toEqual(['app://bundle/index.html'])
  })

  it('answers every contract channel from the app page only', () => {
    expect((find('ipc.channels')[0] as string[]).sort()).toEqual(Object.values(Invoke).sort())
    expect(find('ipc.snapshot')[0]).toMatchObject({
      app: { mode: 'electron', secretsBacking: 'memory' }
    })
    expect(find('ipc.foreign')[0]).toMatch(/rejected app:snapshot/)
    expect(find('ipc.listeners')[0]).toEqual([]) // electron-store's unchecked channel is gone
  })

  it('pauses on sleep, and saves history when quitting', () => {
    expect(find('suspended')).toEqual([true])
    expect(find('exit')).toHaveLength(1)
    expect(code).toBe(0)
    expect(JSON.parse(readFileSync(join(dir, 'userData', 'history.json'), 'utf8'))).toMatchObject({
      version: 1
    })
  })

  it('bundles a self-contained CommonJS preload that requires only electron', () => {
    const preload = readFileSync(join(ROOT, 'dist/electron/preload.cjs'), 'utf8')
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron'])
    expect(preload).not.toMatch(/^import /m)
    expect(preload).toContain('exposeInMainWorld("api"')
  })
})
