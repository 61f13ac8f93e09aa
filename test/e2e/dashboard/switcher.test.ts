// The switcher, the All-clusters grid, a level change pushed live, a 403 cluster, acknowledging,
// themes and widths, axe — against the real `scale-tray serve` fed by the simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningSim } from '../../../main/sim/server.ts'
import {
  axeViolations,
  launch,
  newContext,
  openDashboard,
  screenshot,
  setScenario,
  startServe,
  startSimulator,
  waitForLevel,
  type Problems,
  type Serve
} from './harness.ts'

let sim: RunningSim
let serve: Serve
let browser: Browser
let ctx: BrowserContext
let page: Page
const problems: Problems = { list: [] }

beforeAll(async () => {
  sim = await startSimulator()
  await setScenario(sim, 'live', 'healthy')
  serve = await startServe({
    clusters: [
      `prod=${sim.urlFor('healthy')}`,
      `staging=${sim.urlFor('degraded')}`,
      `secure=${sim.urlFor('auth-required')}`,
      `live=${sim.urlFor('live')}`
    ]
  })
  browser = await launch()
  ctx = await newContext(browser, problems)
  page = await openDashboard(ctx, serve)
  // Levels are confirmed over two polls (1 s apart).
  await waitForLevel(page, 'prod', 'OK')
  await waitForLevel(page, 'staging', 'Warning')
  await waitForLevel(page, 'secure', 'Unknown')
  await waitForLevel(page, 'live', 'OK')
})

afterAll(async () => {
  await browser?.close()
  await serve?.close()
  await sim?.close()
})

describe('the switcher', () => {
  it('lists every cluster with its level as a word and a shape, and a reason', async () => {
    const options = await page.$$eval('#cluster-list [role="option"]', (els) =>
      els.map((e) => ({
        name: e.getAttribute('data-cluster'),
        word: e.querySelector('.word')?.textContent ?? null,
        shape: e.querySelector('svg.icon')?.innerHTML.length ?? 0,
        text: e.textContent ?? ''
      }))
    )
    expect(options.map((o) => o.name)).toEqual([null, 'prod', 'staging', 'secure', 'live'])
    expect(options.slice(1).map((o) => o.word)).toEqual(['OK', 'Warning', 'Unknown', 'OK'])
    expect(options.slice(1).every((o) => o.shape > 0)).toBe(true)
    expect(options[2]?.text).toContain('Invalid Resources for geo-ingest')
    expect(options[3]?.text).toContain('Needs credentials')
    expect(options[1]?.text).toMatch(/updated (just now|\d+ s ago)/)
  })

  it('moves the selection with the keyboard, puts it in the hash, and keeps it on reload', async () => {
    await page.goto(`${serve.origin}/#/all`)
    await page.focus('#cluster-list')
    await page.keyboard.press('ArrowDown')
    await page.waitForFunction(() => location.hash === '#/cluster/cli-1/overview')
    expect(await page.getAttribute('#sw-cli-1', 'aria-selected')).toBe('true')
    await page.keyboard.press('ArrowDown')
    await page.waitForFunction(() => location.hash === '#/cluster/cli-2/overview')
    await expect.poll(() => page.textContent('#cluster-name')).toBe('staging')
    await page.keyboard.press('End')
    await page.waitForFunction(() => location.hash === '#/cluster/cli-4/overview')
    await page.keyboard.press('Home')
    await page.waitForFunction(() => location.hash === '#/all')

    await page.goto(`${serve.origin}/#/cluster/cli-2/jobs`)
    await page.reload()
    await page.waitForSelector('#cluster-name')
    expect(await page.textContent('#cluster-name')).toBe('staging')
    expect(await page.getAttribute('#tab-jobs', 'aria-selected')).toBe('true')
    expect(await page.getAttribute('#sw-cli-2', 'aria-selected')).toBe('true')
    // Tabs are a keyboard tablist too.
    await page.focus('#tab-jobs')
    await page.keyboard.press('ArrowRight')
    await page.waitForFunction(() => location.hash === '#/cluster/cli-2/history')
  })

  it('shows every cluster as a card in the All clusters grid, worst first', async () => {
    await page.goto(`${serve.origin}/#/all`)
    await page.waitForSelector('.grid .tile')
    const tiles = await page.$$eval('.grid .tile', (els) =>
      els.map((e) => e.getAttribute('data-cluster'))
    )
    // Warning, then unknown, then OK clusters by name.
    expect(tiles).toEqual(['staging', 'secure', 'live', 'prod'])
    expect(await page.textContent('.grid [data-cluster="prod"]')).toMatch(/12 of 12 nodes ready/)
    await screenshot(page, 'all-clusters')
  })
})

describe('a cluster that needs credentials', () => {
  it('explains the 403 and says to add a token', async () => {
    await page.goto(`${serve.origin}/#/cluster/cli-3/overview`)
    const help = await page.waitForSelector('[data-testid="failure-help"]')
    expect(await help.textContent()).toMatch(/needs credentials: add a Scale token/)
    const finding = await page.textContent('[data-finding="http.auth"]')
    expect(finding).toContain('HTTP 403')
    expect(finding).toContain('Authentication credentials were not provided.')
    expect(await page.getAttribute('a:has-text("Add credentials for secure")', 'href')).toBe(
      '#/settings/cli-3'
    )
    expect(await page.textContent('[role="tabpanel"]')).toContain('No status document')
  })
})

describe('acknowledging', () => {
  it('marks a finding acknowledged and back, through the real monitor', async () => {
    await page.goto(`${serve.origin}/#/cluster/cli-2/overview`)
    const finding = '[data-finding="nodes.offline"]'
    await page.waitForSelector(finding)
    await page.click(`${finding} button:has-text("Acknowledge")`)
    await page.waitForSelector(`${finding} .tag:has-text("acknowledged")`)
    expect(await page.textContent(`${finding} button`)).toContain('Unacknowledge')
    await page.click(`${finding} button:has-text("Unacknowledge")`)
    // text-is, not has-text: "Unacknowledge" contains "acknowledge" and would match at once.
    await page.waitForSelector(`${finding} button:text-is("Acknowledge")`)
    expect(await page.$(`${finding} .tag:has-text("acknowledged")`)).toBeNull()
  })
})

describe('a level change pushed live', () => {
  it('turns a cluster critical on an open page, with a live announcement and a notification banner', async () => {
    await page.goto(`${serve.origin}/#/all`)
    await waitForLevel(page, 'live', 'OK')
    await setScenario(sim, 'live', 'dependency-down')
    await waitForLevel(page, 'live', 'Critical', 25_000)
    expect(await page.textContent('#cluster-list [data-cluster="live"]')).toContain(
      'Message queue failing'
    )
    await expect
      .poll(() => page.textContent('[data-testid="live"]'), { timeout: 5000 })
      .toMatch(/live is now Critical/)
    // The monitor's notification for it arrives as a push and shows as a banner.
    const banner = await page.waitForSelector(
      '[data-testid="notification-banner"]:has-text("live")',
      { timeout: 15_000 }
    )
    expect(await banner.textContent()).toMatch(/Critical/)
    // The page title carries the worst level for a background tab.
    expect(await page.title()).toMatch(/^Critical/)
    await setScenario(sim, 'live', 'healthy')
  })
})

describe('themes, widths and accessibility', () => {
  it('has no serious or critical axe violations in light and dark, wide and narrow', async () => {
    for (const hash of ['#/all', '#/cluster/cli-2/overview', '#/cluster/cli-3/overview']) {
      await page.goto(`${serve.origin}/${hash}`)
      await page.waitForSelector('main h1')
      expect(await axeViolations(page), `light ${hash}`).toEqual([])
    }
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.goto(`${serve.origin}/#/cluster/cli-2/overview`)
    await page.waitForSelector('[data-dependency="database"]')
    expect(await axeViolations(page), 'dark').toEqual([])
    await screenshot(page, 'dark', true)
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('collapses the switcher at 420 px and still switches clusters', async () => {
    const narrow: Page = await ctx.newPage()
    await narrow.setViewportSize({ width: 420, height: 800 })
    await narrow.goto(`${serve.origin}/#/cluster/cli-2/overview`)
    await narrow.waitForSelector('#cluster-name')
    expect(await narrow.isVisible('#cluster-list')).toBe(false)
    const toggle = narrow.locator('button[aria-controls="cluster-list"]')
    expect(await toggle.textContent()).toContain('staging')
    // Nothing wider than the window: no sideways scrolling of the page itself.
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      420
    )
    await screenshot(narrow, 'narrow')
    await toggle.click()
    expect(await narrow.isVisible('#cluster-list')).toBe(true)
    await narrow.click('#sw-cli-1')
    await narrow.waitForFunction(() => location.hash === '#/cluster/cli-1/overview')
    expect(await narrow.isVisible('#cluster-list')).toBe(false)
    // Nothing wider than the window: no sideways scrolling of the page itself.
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      420
    )
    expect(await axeViolations(narrow), 'narrow').toEqual([])
    await narrow.close()
  })

  it('produced no console error, page error or CSP violation', () => {
    expect(problems.list).toEqual([])
  })
})
