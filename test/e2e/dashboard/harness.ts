// E2E harness for the dashboard: the Scale simulator in-process, the real `scale-tray serve` as a
// child process (its CLI, monitor, HTTP bridge and built renderer), and Debian's Chromium driven
// by playwright-core. Every page records console errors, page errors and CSP violations, and
// each test file asserts there were none.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { startSim, type RunningSim } from '../../../main/sim/server.ts'
import type { MetricSample } from '../../../main/core/monitor/types.ts'
import type { Level } from '../../../main/core/types.ts'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
/**
 * The README's screenshots are refreshed only on request (`npm run screenshots`), so a test run
 * never leaves tracked files changed; otherwise they go to test-results/ (git-ignored) for a look.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? join(REPO_ROOT, 'docs', 'screenshots')
  : join(REPO_ROOT, 'test-results', 'screenshots')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const AXE = join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js')

export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

export interface Serve {
  url: string
  origin: string
  dir: string
  stdout: () => string
  close(): Promise<void>
}

export interface ServeOptions {
  /** `NAME=URL` arguments. */
  clusters: string[]
  /** History to seed (history.json beside the settings file), keyed by cluster id (cli-1, …). */
  history?: Record<string, SeedHistory>
  interval?: number
}

export interface SeedHistory {
  changes: {
    at: number
    level: Level
    previous: Level | null
    previousDurationMs: number | null
    findings: { id: string; severity: 'info' | 'warning' | 'critical'; title: string }[]
  }[]
  samples: MetricSample[]
}

export function assertBuilt(): void {
  if (!existsSync(join(REPO_ROOT, 'dist/renderer/index.html'))) {
    throw new Error(
      'dist/renderer is not built: run "npm run build:renderer" (npm run test:e2e does it)'
    )
  }
}

/** Start `scale-tray serve` on a free port with a settings file in a temp folder. */
export async function startServe(o: ServeOptions): Promise<Serve> {
  assertBuilt()
  const dir = await mkdtemp(join(tmpdir(), 'scale-tray-e2e-'))
  const config = join(dir, 'settings.json')
  if (o.history) {
    const clusters = Object.fromEntries(
      Object.entries(o.history).map(([id, h]) => [
        id,
        { changes: h.changes.map((c) => ({ ...c, clusterId: id })), samples: h.samples, acks: {} }
      ])
    )
    await writeFile(join(dir, 'history.json'), JSON.stringify({ version: 1, clusters }))
  }
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('SCALE_')) env[k] = v
  env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`
  const child: ChildProcess = spawn(
    process.execPath,
    [
      'bin/scale-tray.mjs',
      'serve',
      '--port',
      '0',
      '--interval',
      String(o.interval ?? 1),
      '--access-token',
      'e2e-token',
      '--config',
      config,
      ...o.clusters
    ],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let out = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d))
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`serve did not start in 20 s:\n${out}\n${err}`)),
      20_000
    )
    const check = (): void => {
      const m = /Dashboard: (\S+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(t)
        resolve(m[1])
      }
    }
    child.stdout?.on('data', check)
    child.on('exit', (code) =>
      reject(new Error(`serve exited with ${String(code)}:\n${out}\n${err}`))
    )
  })
  return {
    url,
    origin: new URL(url).origin,
    dir,
    stdout: () => out + err,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      await rm(dir, { recursive: true, force: true })
    }
  }
}

export async function startSimulator(): Promise<RunningSim> {
  return startSim({ port: 0 })
}

/** Create or switch a named sim cluster over its control API (what a test does to make a level change). */
export async function setScenario(sim: RunningSim, key: string, scenario: string): Promise<void> {
  const r = await fetch(`${sim.origin}/_sim/clusters/${key}`, {
    method: 'POST',
    body: JSON.stringify({ scenario }),
    headers: { 'content-type': 'application/json' }
  })
  if (!r.ok) throw new Error(`sim: ${r.status} ${await r.text()}`)
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS })
}

/** What a page must not produce: console errors, uncaught errors, CSP violations. */
export interface Problems {
  list: string[]
}

/** A context whose pages report problems; the CSP listener is installed before any page script. */
export async function newContext(
  browser: Browser,
  problems: Problems,
  opts: { width?: number; height?: number; dark?: boolean } = {}
): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    colorScheme: opts.dark ? 'dark' : 'light',
    acceptDownloads: true
  })
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(
        `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`
      )
    })
  })
  ctx.on('page', (p) => watch(p, problems))
  return ctx
}

function watch(page: Page, problems: Problems): void {
  page.on('console', (m) => {
    if (m.type() === 'error') problems.list.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.list.push(`pageerror: ${e.message}`))
}

/** Open the dashboard through the printed URL (token → cookie redirect) at a hash. */
export async function openDashboard(
  ctx: BrowserContext,
  serve: Serve,
  hash = '#/all'
): Promise<Page> {
  const page = await ctx.newPage()
  await page.goto(`${serve.url}${hash}`)
  await page.waitForSelector('#cluster-list [role="option"]')
  return page
}

/** Wait until a cluster's switcher entry shows a level word. */
export async function waitForLevel(
  page: Page,
  name: string,
  word: string,
  timeout = 20_000
): Promise<void> {
  await page.waitForFunction(
    ([n, w]) =>
      document.querySelector(`#cluster-list [data-cluster="${n}"] .word`)?.textContent === w,
    [name, word] as const,
    { timeout }
  )
}

/**
 * axe-core on the current page; returns serious and critical violations. The source is evaluated
 * through the DevTools protocol, which the page's CSP does not govern (an injected <script> with
 * inline content would be blocked by script-src 'self', as it should be).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const source = await readFile(AXE, 'utf8')
  await page.evaluate(source)
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object
          ) => Promise<{
            violations: {
              id: string
              impact: string
              help: string
              nodes: { target: string[] }[]
            }[]
          }>
        }
      }
    ).axe
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' '))
    }))
  })
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`)
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  // From the top, so sticky parts (the switcher) sit where a reader expects them.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0))
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage,
    animations: 'disabled'
  })
}

/** 24 hours of believable history for one cluster: samples every 10 min, then every minute for 2 h. */
export function demoHistory(now: number): SeedHistory {
  const samples: MetricSample[] = []
  const H = 3600_000
  const push = (t: number): void => {
    const h = (t - (now - 24 * H)) / H // 0…24
    const wave = Math.sin((h / 24) * Math.PI * 4)
    const incident = h > 6 && h < 9 // the seeded incident: 18 h to 15 h ago
    const ready = incident ? 9 : 12
    samples.push({
      t,
      cpuUsed: Math.round(220 + 120 * wave),
      cpuTotal: 480,
      memUsed: Math.round(1_300_000 + 500_000 * wave),
      memTotal: 3_014_656,
      diskUsed: Math.round(1_800_000 + 200_000 * (h / 24)),
      diskTotal: 13_725_696,
      gpuUsed: 0,
      gpuTotal: 0,
      queue: incident ? Math.round(180 - (h - 6) * 50) : Math.round(6 + 4 * wave),
      nodesTotal: 12,
      nodesReady: ready,
      nodesDegraded: incident ? 2 : 0,
      nodesOffline: incident ? 1 : 0,
      nodesOther: 0,
      running: Math.round(30 + 12 * wave),
      failed: incident ? 25 : 6,
      failedAlgorithm: incident ? 8 : 4,
      failedData: incident ? 2 : 0,
      failedSystem: incident ? 15 : 2
    })
  }
  for (let t = now - 24 * H; t < now - 2 * H; t += 10 * 60_000) push(t)
  for (let t = now - 2 * H; t < now - 60_000; t += 60_000) push(t)
  const f = (id: string, severity: 'warning' | 'critical', title: string) => ({
    id,
    severity,
    title
  })
  return {
    samples,
    changes: [
      { at: now - 23 * H, level: 'ok', previous: null, previousDurationMs: null, findings: [] },
      {
        at: now - 18 * H,
        level: 'warning',
        previous: 'ok',
        previousDurationMs: 5 * H,
        findings: [f('nodes.degraded', 'warning', '2 of 12 nodes degraded')]
      },
      {
        at: now - 17.5 * H,
        level: 'critical',
        previous: 'warning',
        previousDurationMs: 0.5 * H,
        findings: [
          f(
            'dependency.msg_queue.RABBITMQ_ERROR',
            'critical',
            'Message queue failing (RABBITMQ_ERROR)'
          )
        ]
      },
      {
        at: now - 15 * H,
        level: 'ok',
        previous: 'critical',
        previousDurationMs: 2.5 * H,
        findings: []
      },
      {
        at: now - 6 * H,
        level: 'warning',
        previous: 'ok',
        previousDurationMs: 9 * H,
        findings: [
          f(
            'scheduler.warning.INVALID_RESOURCES.geo-ingest',
            'warning',
            'Invalid Resources for geo-ingest'
          )
        ]
      },
      { at: now - 5 * H, level: 'ok', previous: 'warning', previousDurationMs: 1 * H, findings: [] }
    ]
  }
}
