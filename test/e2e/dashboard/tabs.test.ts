// Every tab on real data: Overview (dependencies, scheduler, resources), Nodes with the 3,000
// nodes of the `big` scenario (sort, filter, group, detail), Jobs, and History (seeded 24 h).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { RunningSim } from '../../../main/sim/server.ts'
import { axeViolations, demoHistory, launch, newContext, openDashboard, screenshot, startServe, startSimulator, waitForLevel, type Problems, type Serve } from './harness.ts'

let sim: RunningSim
let serve: Serve
let browser: Browser
let ctx: BrowserContext
let page: Page
const problems: Problems = { list: [] }

beforeAll(async () => {
  sim = await startSimulator()
  serve = await startServe({
    clusters: [`staging=${sim.urlFor('degraded')}`, `big=${sim.urlFor('big')}`],
    history: { 'cli-1': demoHistory(Date.now()) },
    // 3,000 nodes are a 4 MB document: poll it every 2 s, as a real deployment would far less often.
    interval: 2
  })
  browser = await launch()
  ctx = await newContext(browser, problems)
  page = await openDashboard(ctx, serve)
  await waitForLevel(page, 'staging', 'Warning')
  await waitForLevel(page, 'big', 'OK')
})

afterAll(async () => {
  await browser?.close()
  await serve?.close()
  await sim?.close()
})

const rowHosts = (p: Page): Promise<string[]> => p.$$eval('tr.node', (rs) => rs.map((r) => r.getAttribute('data-node') ?? ''))

describe('Overview', () => {
  it('shows the seven dependencies, the scheduler, services, vault and resources with units', async () => {
    await page.goto(`${serve.origin}/#/cluster/cli-1/overview`)
    await page.waitForSelector('[data-dependency="database"]')
    const deps = await page.$$eval('[data-dependency]', (els) => els.map((e) => e.getAttribute('data-dependency')))
    expect(deps).toEqual(['database', 'msg_queue', 'nodes', 'logs', 'elasticsearch', 'idam', 'silo'])
    expect(await page.textContent('[data-dependency="msg_queue"]')).toMatch(/Queue depth\s*4/)
    expect(await page.textContent('[data-dependency="nodes"]')).toContain('NODES_DEGRADED')
    const sched = (await page.textContent('section[aria-labelledby="sched-h"]')) ?? ''
    expect(sched).toContain('scale-scheduler.marathon.mesos')
    expect(sched).toContain('7f3e-4c2a-b5d1-0042-0001')
    expect(sched).toContain('Invalid Resources for geo-ingest')
    expect(sched).toContain('Jobs launched')
    expect(await page.textContent('section[aria-labelledby="sys-h"]')).toMatch(/Messaging[\s\S]*1[\s\S]*1/)
    expect(await page.textContent('section[aria-labelledby="vault-h"]')).toContain('Secrets Not Configured')
    expect(await page.textContent('[data-resource="mem"]')).toContain('2.88 TiB total')
    expect(await page.textContent('[data-resource="cpus"]')).toMatch(/running 170 CPUs/)
    expect(await page.textContent('[data-resource="gpus"]')).toContain('None in this cluster')
    await screenshot(page, 'overview', true)
    expect(await axeViolations(page)).toEqual([])
  })
})

describe('Nodes', () => {
  it('shows 3,000 nodes quickly while drawing only the rows in view', async () => {
    await page.goto(`${serve.origin}/#/cluster/cli-2/overview`)
    await page.waitForSelector('[data-dependency="database"]')
    await page.click('#tab-nodes')
    await page.waitForSelector('tr.node')
    expect(await page.textContent('.nodes .counts')).toMatch(/3,000\s*nodes[\s\S]*Ready\s*3,000/)
    expect(await page.getAttribute('table[aria-label="Nodes"]', 'aria-rowcount')).toBe('3001')
    expect((await rowHosts(page)).length).toBeLessThan(80)
    await screenshot(page, 'nodes')

    // Scrolling to the end brings the last rows in.
    await page.$eval('.viewport', (v) => (v.scrollTop = v.scrollHeight))
    await page.waitForSelector('tr.node[data-node="scale-agent-3000.cluster.local"]')
    expect((await rowHosts(page)).length).toBeLessThan(80)
  })

  it('sorts by a column both ways', async () => {
    await page.goto(`${serve.origin}/#/cluster/cli-2/nodes`)
    await page.waitForSelector('tr.node')
    await page.click('th button:has-text("Host")')
    await expect.poll(() => rowHosts(page).then((h) => h[0])).toBe('scale-agent-0001.cluster.local')
    await page.click('th button:has-text("Host")')
    await expect.poll(() => rowHosts(page).then((h) => h[0])).toBe('scale-agent-3000.cluster.local')
    expect(await page.getAttribute('th:has(button:has-text("Host"))', 'aria-sort')).toBe('descending')
    await page.click('th button:has-text("Running")')
    const running = await page.$$eval('tr.node td:nth-child(9)', (tds) => tds.slice(0, 10).map((t) => Number((t.textContent ?? '').replace(/,/g, ''))))
    expect(running).toEqual([...running].sort((a, b) => b - a))
  })

  it('filters by text and by state, and groups by state', async () => {
    await page.fill('input[type="search"]', 'agent-0042')
    await expect.poll(() => rowHosts(page)).toEqual(['scale-agent-0042.cluster.local'])
    expect(await page.textContent('#nodes-shown')).toBe('Showing 1 node of 3,000')
    await page.click('button:has-text("Clear filters")')
    await expect.poll(() => page.textContent('#nodes-shown')).toBe('Showing 3,000 nodes of 3,000')

    await page.check('label:has-text("Group by state") input')
    await page.waitForSelector('tr.group button:has-text("Ready · 3,000 nodes")')
    await page.uncheck('label:has-text("Group by state") input')

    // State filter on the degraded cluster: two DEGRADED nodes, one OFFLINE.
    await page.goto(`${serve.origin}/#/cluster/cli-1/nodes`)
    await page.waitForSelector('tr.node')
    await page.click('button[data-state="DEGRADED"]')
    await expect.poll(() => rowHosts(page)).toEqual(['scale-agent-0003.cluster.local', 'scale-agent-0006.cluster.local'])
    await page.click('button[data-state="OFFLINE"]')
    await expect.poll(() => rowHosts(page).then((h) => h.length)).toBe(3)
    await page.check('label:has-text("Group by state") input')
    const groups = await page.$$eval('tr.group', (gs) => gs.map((g) => g.textContent?.replace(/\s+/g, ' ').trim()))
    expect(groups).toEqual(['▾ Degraded · 2 nodes', '▾ Offline · 1 node'])
    await page.uncheck('label:has-text("Group by state") input')
    await page.click('button:has-text("Clear filters")')
  })

  it('opens a node’s detail from the keyboard, with its errors and the node in the hash', async () => {
    await page.goto(`${serve.origin}/#/cluster/cli-1/nodes`)
    await page.waitForSelector('tr.node')
    // Back to the default order (worst state first); the table's setup outlives tab switches.
    await page.click('th button:has-text("State")')
    if ((await page.getAttribute('th:has(button:has-text("State"))', 'aria-sort')) !== 'ascending') await page.click('th button:has-text("State")')
    await expect.poll(() => rowHosts(page).then((h) => h[0])).toBe('scale-agent-0003.cluster.local')
    await page.focus('tr.node button[tabindex="0"]')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    const detail = await page.waitForSelector('[data-testid="node-detail"]')
    expect(await detail.textContent()).toMatch(/Errors \(2\)[\s\S]*Low Docker Disk Space/)
    await page.waitForFunction(() => /#\/cluster\/cli-1\/nodes\/6$/.test(location.hash))
    // The state's description shows while its row has focus.
    await page.focus('#node-6')
    expect(await page.isVisible('#tip-6')).toBe(true)
    expect(await axeViolations(page)).toEqual([])
    await page.click('[data-testid="node-detail"] button:has-text("Close")')
    await page.waitForFunction(() => location.hash === '#/cluster/cli-1/nodes')
  })
})

describe('Jobs', () => {
  it('joins job types with every node’s executions, failures by category', async () => {
    await page.goto(`${serve.origin}/#/cluster/cli-1/jobs`)
    await page.waitForSelector('tr[data-job-type]')
    const types = await page.$$eval('tr[data-job-type]', (rs) => rs.map((r) => r.getAttribute('data-job-type')))
    expect(types).toHaveLength(12)
    expect(await page.textContent('tr[data-job-type="scale-ingest"] .icon')).toBe('⚙')
    expect(await page.textContent('tr[data-job-type="geo-ingest"]')).toContain('2.3.1')
    expect(await page.textContent('tfoot')).toMatch(/All job types\s*23/)
    await page.click('th button:has-text("Failed total")')
    const failed = await page.$$eval('tr[data-job-type] td:last-child', (tds) => tds.map((t) => Number(t.textContent)))
    expect(failed).toEqual([...failed].sort((a, b) => b - a))
    expect(failed.reduce((a, b) => a + b, 0)).toBe(12)
    await screenshot(page, 'jobs', true)
    expect(await axeViolations(page)).toEqual([])
  })
})

describe('History', () => {
  it('shows the level timeline with durations and the 24-hour charts', async () => {
    await page.goto(`${serve.origin}/#/cluster/cli-1/history`)
    await page.waitForSelector('ol.changes li')
    const items = await page.$$eval('ol.changes li', (ls) => ls.map((l) => l.textContent?.replace(/\s+/g, ' ').trim() ?? ''))
    // Newest first: this run's first reading (ongoing), then the seeded story from the saved history.
    expect(items[0]).toMatch(/Warning first reading ongoing for/)
    expect(items[1]).toMatch(/OK from Warning after 1 h lasted 5 h/)
    expect(items.some((i) => /Critical from Warning after 30 min lasted 2 h 30 min/.test(i))).toBe(true)
    expect(await page.$$eval('figure.chart', (f) => f.length)).toBe(4)
    expect(await page.getAttribute('figure.chart svg', 'aria-label')).toMatch(/Resources in use over the last 24 hours/)
    await screenshot(page, 'history', true)
    expect(await axeViolations(page)).toEqual([])
  })

  it('produced no console error, page error or CSP violation', () => {
    expect(problems.list).toEqual([])
  })
})
