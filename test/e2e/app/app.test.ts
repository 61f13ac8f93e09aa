// The Electron app end to end: playwright-core's `_electron.launch` on the unpackaged build (the
// real main process, preload, app:// protocol and dashboard) against the simulator. It needs an
// Electron binary and a display; where either is missing it skips itself and says why. On Linux
// without a display it starts Xvfb itself when installed (or run it under `xvfb-run -a`).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { startSim, type RunningSim } from '../../../main/sim/server.ts'
import { defaultSettings, makeCluster } from '../../../main/core/settings/schema.ts'
import { Invoke } from '../../../preload/contract.ts'
import { findElectron } from '../../../scripts/electron-binary.ts'

const ROOT = join(import.meta.dirname, '../../..')

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)))
}

interface Display {
  env: Record<string, string>
  stop(): void
}

/** A display for the window: the session's, or an Xvfb we start (Linux). */
async function display(): Promise<Display | { reason: string }> {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
    return { env: {}, stop: () => undefined }
  if (!onPath('Xvfb'))
    return {
      reason:
        'no display: DISPLAY is unset and Xvfb is not installed (install xvfb, or run under "xvfb-run -a")'
    }
  const xvfb: ChildProcess = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] }
  )
  const n = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('Xvfb did not start in 10 s')), 10_000)
    let out = ''
    ;(xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) {
        clearTimeout(t)
        resolve(out.trim())
      }
    })
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited with ${String(code)}`)))
  })
  return { env: { DISPLAY: `:${n}` }, stop: () => xvfb.kill() }
}

const binary = findElectron(ROOT)
const skipReason = 'reason' in binary ? binary.reason : undefined
if (skipReason) console.warn(`test/e2e/app: skipped — ${skipReason}`)

let shown: Display | undefined
let sim: RunningSim | undefined
let app: ElectronApplication | undefined
let page: Page | undefined
let userData: string | undefined
let displayProblem: string | undefined
const problems: string[] = []

beforeAll(async () => {
  if (skipReason) return
  const d = await display()
  if ('reason' in d) {
    displayProblem = d.reason
    console.warn(`test/e2e/app: skipped — ${d.reason}`)
    return
  }
  shown = d
  // The unpackaged build `electron .` runs: main, preload and the dashboard.
  if (
    !existsSync(join(ROOT, 'dist/electron/main.js')) ||
    !existsSync(join(ROOT, 'dist/renderer/index.html'))
  ) {
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
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: ROOT, stdio: 'inherit' }
    )
  }
  sim = await startSim({ port: 0 })
  userData = mkdtempSync(join(tmpdir(), 'scale-tray-app-e2e-'))
  const settings = {
    ...defaultSettings(),
    clusters: [
      makeCluster({ id: 'prod', name: 'prod', url: sim.urlFor('healthy'), intervalSec: 1 })
    ]
  }
  writeFileSync(join(userData, 'settings.json'), JSON.stringify(settings, null, 2))
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  // Chromium refuses to run its sandbox as root (CI containers); the page sandbox still applies.
  const args = [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])]
  app = await _electron.launch({
    executablePath: (binary as { path: string }).path,
    args,
    cwd: ROOT,
    env: { ...env, ...shown.env, SCALE_TRAY_USER_DATA: userData },
    timeout: 60_000
  })
  page = await app.firstWindow()
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
})

afterAll(async () => {
  await app?.close()
  await sim?.close()
  shown?.stop()
  if (userData) rmSync(userData, { recursive: true, force: true })
})

describe('the Electron app', () => {
  it('opens its window from app://bundle and shows the switcher with the cluster', async (ctx) => {
    if (skipReason ?? displayProblem) ctx.skip(skipReason ?? displayProblem)
    const p = page as Page
    expect(p.url()).toMatch(/^app:\/\/bundle\//)
    await p.waitForSelector('#cluster-list [role="option"][data-cluster="prod"] .word', {
      timeout: 30_000
    })
    await expect
      .poll(() => p.textContent('#cluster-list [role="option"][data-cluster="prod"] .word'), {
        timeout: 30_000
      })
      .toBe('OK')
    expect(problems).toEqual([])
  })

  it('gives the page the bridge and nothing of Node', async (ctx) => {
    if (skipReason ?? displayProblem) ctx.skip(skipReason ?? displayProblem)
    const p = page as Page
    const keys = await p.evaluate('Object.keys(window.api ?? {}).sort()')
    expect(keys).toEqual([...Object.keys(Invoke), 'onEvent'].sort())
    expect(await p.evaluate('[typeof require, typeof process, typeof window.ipcRenderer]')).toEqual(
      ['undefined', 'undefined', 'undefined']
    )
  })

  it('serves the bundle with the CSP header, and stays on it', async (ctx) => {
    if (skipReason ?? displayProblem) ctx.skip(skipReason ?? displayProblem)
    const p = page as Page
    const csp = await p.evaluate(
      "fetch('app://bundle/index.html').then((r) => r.headers.get('content-security-policy'))"
    )
    expect(csp).toMatch(/^default-src 'none'; script-src 'self'/)
    await p.evaluate("location.href = 'https://example.com/'")
    await new Promise((r) => setTimeout(r, 500))
    expect(p.url()).toMatch(/^app:\/\/bundle\//)
  })

  it('hides the window on close instead of quitting', async (ctx) => {
    if (skipReason ?? displayProblem) ctx.skip(skipReason ?? displayProblem)
    const a = app as ElectronApplication
    await a.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close())
    const state = await a.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => ({
        visible: w.isVisible(),
        destroyed: w.isDestroyed()
      }))
    )
    expect(state).toEqual([{ visible: false, destroyed: false }])
  })
})
