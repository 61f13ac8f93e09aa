// The watchdog over real HTTP: a cluster that cannot be read for `watchdogMinutes` raises
// `watchdog.no-data` (a warning, so the tray is not a quiet grey), it clears on the first good
// read, and it can be re-weighed like any finding.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Monitor } from '../../../main/core/monitor/monitor.ts'
import { makeReader } from '../../../main/core/monitor/reader.ts'
import { defaultSettings, makeCluster } from '../../../main/core/settings/schema.ts'
import { MemorySecretStore } from '../../../main/core/settings/secrets.ts'
import { startSim, type RunningSim } from '../../../main/sim/server.ts'

let sim: RunningSim
let monitor: Monitor

beforeAll(async () => {
  sim = await startSim()
  sim.setCluster('down', { scenario: 'server-error' })
  sim.setCluster('muted', { scenario: 'server-error' })
  sim.setCluster('fine', { scenario: 'healthy' })
  const cluster = (id: string, extra = {}) =>
    makeCluster({ id, name: id, url: sim.urlFor(id), intervalSec: 1, ...extra })
  monitor = new Monitor({
    settings: {
      ...defaultSettings(),
      watchdogMinutes: 0.025, // 1.5 s, so the test runs in real time
      confirmPolls: 1,
      recoverPolls: 1,
      clusters: [
        cluster('down'),
        cluster('muted', { overrides: { 'watchdog.no-data': 'ignore' } }),
        cluster('fine')
      ]
    },
    read: makeReader({ secrets: new MemorySecretStore() })
  })
  monitor.start()
})

afterAll(async () => {
  monitor.stop()
  await sim.close()
})

const ids = (id: string): string[] => monitor.view(id).findings.map((f) => f.id)

it('defaults to 10 minutes', () => {
  expect(defaultSettings().watchdogMinutes).toBe(10)
})

it('an unreadable cluster is unknown at first, then a watchdog warning; recovery clears it', async () => {
  await expect.poll(() => ids('down'), { timeout: 3000 }).toEqual(['http.error'])
  expect(monitor.view('down').level).toBe('unknown')
  await expect.poll(() => ids('down'), { timeout: 5000 }).toContain('watchdog.no-data')
  const v = monitor.view('down')
  expect(v.level).toBe('warning')
  const f = v.findings.find((x) => x.id === 'watchdog.no-data')
  expect(f?.title).toMatch(/^No good read for \d+ s$/)
  expect(f?.message).toBe('Never read since Scale Tray started.')
  // A cluster that reads fine never gets it; one that ignores it stays a quiet unknown.
  expect(ids('fine')).not.toContain('watchdog.no-data')
  expect(monitor.view('fine').level).toBe('ok')
  expect(monitor.view('muted').level).toBe('unknown')
  expect(ids('muted')).toEqual(['http.error'])

  sim.setCluster('down', { scenario: 'healthy' })
  await expect.poll(() => monitor.view('down').level, { timeout: 5000 }).toBe('ok')
  expect(ids('down')).not.toContain('watchdog.no-data')
})
