// Settings against the real serve: add a cluster after testing its connection (403, then a token),
// see it polled; field errors from the server; notification options, a test notification,
// snoozing everything, history export; axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DEFAULT_SIM_TOKEN, type RunningSim } from '../../../main/sim/server.ts'
import { axeViolations, launch, newContext, openDashboard, screenshot, startServe, startSimulator, waitForLevel, type Problems, type Serve } from './harness.ts'

let sim: RunningSim
let serve: Serve
let browser: Browser
let ctx: BrowserContext
let page: Page
const problems: Problems = { list: [] }

beforeAll(async () => {
  sim = await startSimulator()
  serve = await startServe({ clusters: [`prod=${sim.urlFor('healthy')}`] })
  browser = await launch()
  ctx = await newContext(browser, problems)
  page = await openDashboard(ctx, serve)
  await waitForLevel(page, 'prod', 'OK')
})

afterAll(async () => {
  await browser?.close()
  await serve?.close()
  await sim?.close()
})

describe('adding a cluster', () => {
  it('tests the connection first (a 403, then OK with a token), saves, and the cluster gets polled', async () => {
    await page.goto(`${serve.origin}/#/settings`)
    await page.click('a:has-text("Add a cluster")')
    await page.waitForFunction(() => location.hash === '#/settings/new')
    await page.fill('#new-name', 'secure')
    await page.fill('#new-url', sim.urlFor('auth-required'))
    await page.fill('#new-interval', '1')

    await page.click('button:has-text("Test connection")')
    const first = await page.waitForSelector('[data-testid="test-result"]')
    expect(await page.textContent('[data-testid="test-http"]')).toBe('403')
    expect(await first.textContent()).toMatch(/Unknown[\s\S]*Needs credentials: give a token/)
    expect(await first.textContent()).toContain('7.2.1') // /version/ stays public

    await page.selectOption('#new-auth', 'token')
    await page.fill('#new-secret', DEFAULT_SIM_TOKEN)
    await page.click('button:has-text("Test connection")')
    await expect.poll(() => page.textContent('[data-testid="test-http"]')).toBe('200')
    const ok = (await page.textContent('[data-testid="test-result"]')) ?? ''
    expect(ok).toMatch(/OK/)
    expect(ok).toMatch(/Nodes\s*12/)
    await screenshot(page, 'settings', true)
    expect(await axeViolations(page)).toEqual([])

    await page.click('button:has-text("Add cluster")')
    await page.waitForFunction(() => /^#\/cluster\/[0-9a-f-]{36}\/overview$/.test(location.hash))
    expect(await page.textContent('#cluster-name')).toBe('secure')
    await waitForLevel(page, 'secure', 'OK', 20_000)
    await page.waitForSelector('[data-dependency="database"]')

    // The token went in and never comes back out.
    await page.click('a:has-text("Edit settings")')
    expect(await page.textContent('[data-testid="secret-stored"]')).toContain('A token is stored')
    expect(await page.content()).not.toContain(DEFAULT_SIM_TOKEN)
    const snapshot = await page.evaluate(async () => (await fetch('/bridge/getSnapshot', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' })).text())
    expect(snapshot).toContain('"hasSecret":true')
    expect(snapshot).not.toContain(DEFAULT_SIM_TOKEN)
  })

  it('shows the server’s field errors next to their fields', async () => {
    await page.goto(`${serve.origin}/#/settings/new`)
    await page.fill('#new-name', 'prod')
    await page.fill('#new-url', 'not a url')
    await page.click('button:has-text("Add cluster")')
    await page.waitForSelector('[data-field-error="url"]')
    expect(await page.textContent('[data-field-error="url"]')).toMatch(/http:\/\/ or https:\/\/ URL/)
    expect(await page.textContent('[data-field-error="name"]')).toContain('a cluster is already called prod')
    expect(await page.getAttribute('#new-url', 'aria-invalid')).toBe('true')
    expect(await page.textContent('.form-error')).toMatch(/Check/)
    expect(await axeViolations(page)).toEqual([])
  })
})

describe('notifications and history', () => {
  it('saves notification options and sends a test notification that arrives as a banner', async () => {
    await page.goto(`${serve.origin}/#/settings`)
    await page.uncheck('label:has-text("Also notify when it recovers") input')
    await page.fill('label:has-text("Remind every") input', '15')
    await page.click('button:has-text("Save notification options")')
    await page.waitForSelector('form[aria-labelledby="notif-h"] [role="status"]:has-text("Saved.")')
    const snap = JSON.parse(await page.evaluate(async () => (await fetch('/bridge/getSnapshot', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' })).text())) as { settings: { notifications: { recovery: boolean; renotifyMinutes: number } } }
    expect(snap.settings.notifications).toMatchObject({ recovery: false, renotifyMinutes: 15 })

    await page.click('button:has-text("Send a test notification")')
    expect(await (await page.waitForSelector('[data-testid="test-notification"]')).textContent()).toMatch(/^Shown/)
    await page.waitForSelector('[data-testid="notification-banner"]')
    await page.click('[data-testid="notification-banner"] button:has-text("Dismiss")')
  })

  it('snoozes all notifications and resumes them', async () => {
    await page.click('section[aria-labelledby="snooze-h"] button:has-text("For 1 hour")')
    await page.waitForSelector('.banners :text("Notifications are snoozed until")')
    expect(await page.textContent('section[aria-labelledby="snooze-h"]')).toContain('Snoozed until')
    await page.click('.banners button:has-text("Resume now")')
    await page.waitForSelector('section[aria-labelledby="snooze-h"] :text("Not snoozed.")')
  })

  it('exports every cluster’s history as a CSV download', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export all as CSV")')])
    expect(download.suggestedFilename()).toMatch(/^scale-tray-history-all-.*\.csv$/)
    const text = await readFile(await download.path(), 'utf8')
    expect(text.split('\n')[0]).toBe('time,cluster,level,previous,previous_duration_s,findings')
    expect(text).toMatch(/,prod,ok,/)
  })

  it('turns a cluster off and on from the list', async () => {
    await page.uncheck('tr[data-cluster="prod"] input[type="checkbox"] >> nth=0')
    await waitForLevel(page, 'prod', 'Disabled')
    await page.check('tr[data-cluster="prod"] input[type="checkbox"] >> nth=0')
    await waitForLevel(page, 'prod', 'OK')
    expect(await axeViolations(page)).toEqual([])
  })

  it('produced no console error, page error or CSP violation', () => {
    expect(problems.list).toEqual([])
  })
})
