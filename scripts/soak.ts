// `npm run soak`: the monitor under a realistic load, measured.
//
// 50 clusters × 1,000 nodes on the simulator (a separate process, so its CPU is not counted),
// polled at the default 30 s interval for at least 2 minutes (~2.5 MB of JSON a second). This
// process is the monitor: it reports its CPU % of one core, its RSS, and its heap after vs before
// (after a forced GC). Targets: CPU ≤ 2 %, RSS < 150 MB, heap flat. For reference it also times
// bare JSON.parse of the same bytes. Last line: one JSON object.
//
//   node --expose-gc scripts/soak.ts [--minutes 2.5] [--clusters 50] [--nodes 1000]
import { spawn } from 'node:child_process'
import { parseArgs } from 'node:util'
import { Monitor } from '../main/core/monitor/monitor.ts'
import { makeReader } from '../main/core/monitor/reader.ts'
import { MemorySecretStore } from '../main/core/settings/secrets.ts'
import { defaultSettings, makeCluster } from '../main/core/settings/schema.ts'
import { closeDefaultDispatcher } from '../main/core/scale/client.ts'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '2.5' },
    clusters: { type: 'string', default: '50' },
    nodes: { type: 'string', default: '1000' },
    interval: { type: 'string', default: '30' }
  }
})
const minutes = Number(values.minutes)
const clusters = Number(values.clusters)
const nodes = Number(values.nodes)
const intervalSec = Number(values.interval)

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) {
  // Re-run with --expose-gc so "heap after vs before" is measured after a real collection.
  const child = spawn(process.execPath, ['--expose-gc', ...process.argv.slice(1)], {
    stdio: 'inherit'
  })
  child.on('exit', (code) => process.exit(code ?? 1))
} else {
  await main(gc)
}

async function main(collect: () => void): Promise<void> {
  const sim = spawn(
    process.execPath,
    ['bin/scale-tray.mjs', 'sim', '--port', '0', '--nodes', String(nodes)],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const base = await new Promise<string>((resolve, reject) => {
    let out = ''
    sim.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const m = /Scale simulator: (http:\/\/[^ ]+)\/api/.exec(out)
      if (m?.[1]) resolve(m[1])
    })
    sim.on('exit', () => reject(new Error('simulator exited')))
  })
  // A realistic mix: mostly healthy, some degraded, a few with a dependency down.
  const scenarios = [
    'healthy',
    'healthy',
    'healthy',
    'degraded',
    'healthy',
    'paused',
    'healthy',
    'dependency-down',
    'healthy',
    'healthy'
  ]
  for (let i = 0; i < clusters; i++) {
    await fetch(`${base}/_sim/clusters/c${i}`, {
      method: 'POST',
      body: JSON.stringify({ scenario: scenarios[i % scenarios.length], nodes })
    })
  }
  const sample = await fetch(`${base}/c0/api/v6/status/`).then((r) => r.text())
  const settings = defaultSettings()
  settings.clusters = Array.from({ length: clusters }, (_, i) =>
    makeCluster({ id: `c${i}`, name: `cluster-${i}`, url: `${base}/c${i}/api`, intervalSec })
  )
  const monitor = new Monitor({ settings, read: makeReader({ secrets: new MemorySecretStore() }) })
  let polls = 0
  let bytes = 0
  monitor.on('poll', () => {
    polls++
    bytes += sample.length
  })
  monitor.start()

  // Warm up: every cluster read and confirmed, JIT settled.
  const warmMs = Math.min(45_000, intervalSec * 1000 + 10_000)
  await new Promise((r) => setTimeout(r, warmMs))
  collect()
  const heapBefore = process.memoryUsage().heapUsed
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const polls0 = polls
  const bytes0 = bytes
  let rssMax = 0
  const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 1000)
  await new Promise((r) => setTimeout(r, minutes * 60_000))
  clearInterval(rssTimer)
  const cpu = process.cpuUsage(cpu0)
  const wallMs = performance.now() - t0
  collect()
  const heapAfter = process.memoryUsage().heapUsed
  const rss = process.memoryUsage().rss
  monitor.stop()
  await closeDefaultDispatcher()
  sim.kill('SIGINT')

  const measuredPolls = polls - polls0
  const mbPerSec = (bytes - bytes0) / 1e6 / (wallMs / 1000)
  // Reference: bare JSON.parse of the same number of documents, in this process.
  for (let i = 0; i < 20; i++) JSON.parse(sample)
  const p0 = performance.now()
  for (let i = 0; i < measuredPolls; i++) JSON.parse(sample)
  const parseMs = performance.now() - p0
  const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100
  const parsePct = (parseMs / wallMs) * 100
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1)
  console.log(
    `Node ${process.version}: ${clusters} clusters × ${nodes} nodes, every ${intervalSec} s, ${(wallMs / 60_000).toFixed(1)} min measured after ${warmMs / 1000} s warm-up`
  )
  console.log('| measure | value | target |')
  console.log('|---|---:|---:|')
  console.log(`| polls measured | ${measuredPolls} | |`)
  console.log(`| JSON received | ${mbPerSec.toFixed(2)} MB/s | ~2.5 MB/s |`)
  console.log(`| monitor CPU (% of one core) | ${cpuPct.toFixed(2)} % | ≤ 2 % |`)
  console.log(`| bare JSON.parse of the same load | ${parsePct.toFixed(2)} % | |`)
  console.log(`| RSS at end / max | ${mb(rss)} / ${mb(rssMax)} MB | < 150 MB |`)
  console.log(`| heap before → after (after GC) | ${mb(heapBefore)} → ${mb(heapAfter)} MB | flat |`)
  console.log(
    JSON.stringify({
      clusters,
      nodes,
      intervalSec,
      minutes: Number((wallMs / 60_000).toFixed(2)),
      polls: measuredPolls,
      mbPerSec: Number(mbPerSec.toFixed(2)),
      cpuPct: Number(cpuPct.toFixed(2)),
      parsePct: Number(parsePct.toFixed(2)),
      rssMB: Number(mb(rss)),
      rssMaxMB: Number(mb(rssMax)),
      heapBeforeMB: Number(mb(heapBefore)),
      heapAfterMB: Number(mb(heapAfter)),
      pass:
        cpuPct <= 2 && rssMax < 150 * 1024 * 1024 && heapAfter < heapBefore * 1.25 + 2 * 1024 * 1024
    })
  )
  process.exit(0)
}
