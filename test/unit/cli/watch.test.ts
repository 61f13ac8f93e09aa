// `scale-tray watch --json` as a real process against the simulator over loopback: a flapping
// cluster never notifies, a sustained incident is notified exactly once with its recovery, and a
// corrupt settings file loses no cluster.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, type RunningSim } from '../../../main/sim/server.ts'
import { REPO_ROOT } from '../../helpers/cli.ts'

interface Event {
  type: 'poll' | 'level' | 'notification' | 'tray'
  at: string
  cluster?: string
  clusters?: string[]
  level: string
  previous?: string | null
  kind?: string
  title?: string
}

interface Watch {
  events: Event[]
  stderr: () => string
  until(pred: (e: Event[]) => boolean, ms: number, what: string): Promise<void>
  stop(): Promise<number | null>
}

function watch(args: string[], env: Record<string, string> = {}): Watch {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['bin/scale-tray.mjs', 'watch', '--json', ...args],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? '/tmp',
        ...env
      }
    }
  )
  const events: Event[] = []
  let buf = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d
    const lines = buf.split('\n')
    buf = lines.pop() ?? ''
    for (const l of lines) if (l.trim()) events.push(JSON.parse(l) as Event)
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)))
  return {
    events,
    stderr: () => err,
    async until(pred, ms, what) {
      const end = Date.now() + ms
      while (!pred(events)) {
        if (Date.now() > end)
          throw new Error(
            `timed out waiting for ${what}; stderr: ${err}; last events: ${JSON.stringify(events.slice(-5))}`
          )
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    async stop() {
      child.kill('SIGINT')
      const t = setTimeout(() => child.kill('SIGKILL'), 5000)
      const code = await exited
      clearTimeout(t)
      return code
    }
  }
}

let sim: RunningSim
beforeAll(async () => {
  sim = await startSim({ port: 0 })
})
afterAll(() => sim.close())

const notes = (events: Event[], name: string): Event[] =>
  events.filter(
    (e) => e.type === 'notification' && (e.cluster === name || e.clusters?.includes(name))
  )

describe('scale-tray watch --json', () => {
  it('notifies a sustained incident exactly once and its recovery once, and a flapping cluster never', async () => {
    sim.setCluster('incident', { scenario: 'healthy' })
    sim.setCluster('flap', { scenario: 'flapping' })
    const w = watch([
      `incident=${sim.urlFor('incident')}`,
      `flap=${sim.urlFor('flap')}`,
      '--interval',
      '1'
    ])
    try {
      await w.until(
        (ev) => ev.some((e) => e.type === 'level' && e.cluster === 'incident' && e.level === 'ok'),
        15_000,
        'incident confirmed ok'
      )
      sim.setCluster('incident', { scenario: 'dependency-down' })
      await w.until((ev) => notes(ev, 'incident').length >= 1, 15_000, 'the incident notification')
      // Sustained: several more polls, still one notification.
      await new Promise((r) => setTimeout(r, 5000))
      expect(notes(w.events, 'incident').map((n) => n.kind)).toEqual(['degraded'])
      sim.setCluster('incident', { scenario: 'healthy' })
      await w.until((ev) => notes(ev, 'incident').length >= 2, 15_000, 'the recovery notification')
      await new Promise((r) => setTimeout(r, 3000))
    } finally {
      expect(await w.stop()).toBe(0)
    }
    const incident = notes(w.events, 'incident')
    expect(incident.map((n) => [n.kind, n.level, n.previous])).toEqual([
      ['degraded', 'critical', 'ok'],
      ['recovered', 'ok', 'critical']
    ])
    expect(incident[0]?.title).toBe('incident now critical')
    // The flapping cluster was polled many times, alternating, and never confirmed or notified.
    const flapPolls = w.events.filter((e) => e.type === 'poll' && e.cluster === 'flap')
    expect(flapPolls.length).toBeGreaterThan(8)
    expect(new Set(flapPolls.map((p) => p.level))).toEqual(new Set(['ok', 'critical']))
    expect(notes(w.events, 'flap')).toEqual([])
    expect(w.events.filter((e) => e.type === 'level' && e.cluster === 'flap')).toEqual([])
    // Every line had a type and a time.
    for (const e of w.events) expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(w.events.some((e) => e.type === 'tray')).toBe(true)
  }, 90_000)

  it('loses no cluster from a corrupt settings file: it says what it repaired, keeps a copy, polls what is whole', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scale-tray-watch-'))
    try {
      const file = join(dir, 'settings.json')
      const clusters = ['one', 'two', 'three'].map((n, i) => ({
        id: `id-${n}`,
        name: n,
        url: sim.urlFor('healthy'),
        intervalSec: i === 1 ? 0 : 1
      }))
      const text = JSON.stringify(
        { version: 2, clusters, notifications: { enabled: true } },
        null,
        2
      )
      // Truncated mid-write, in the last cluster's closing brace.
      await writeFile(file, text.slice(0, text.lastIndexOf('"intervalSec": 1') + 16))
      const w = watch(['--config', file, '--interval', '1'], { XDG_CONFIG_HOME: dir })
      try {
        await w.until(
          (ev) => new Set(ev.filter((e) => e.type === 'poll').map((e) => e.cluster)).size === 2,
          20_000,
          'polls of the two whole clusters'
        )
      } finally {
        await w.stop()
      }
      expect(w.stderr()).toMatch(/clusters\[1\]\.intervalSec: 0 is below the minimum 1/)
      expect(w.stderr()).toMatch(/clusters\[2\].*disabled it; check its settings/)
      expect(w.stderr()).toMatch(/copied to .*settings\.json\.corrupt-/)
      expect((await readdir(dir)).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true)
      // All three are still in the rewritten file: the cut-off one kept, disabled, not dropped.
      const saved = JSON.parse(await readFile(file, 'utf8')) as {
        clusters: { name: string; enabled: boolean; url: string }[]
      }
      expect(saved.clusters.map((c) => [c.name, c.enabled])).toEqual([
        ['one', true],
        ['two', true],
        ['three', false]
      ])
      expect(saved.clusters[2]?.url).toBe(sim.urlFor('healthy'))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it('explains a bad argument and exits 3', async () => {
    const w = watch(['not a url'])
    const code = await new Promise<number | null>((r) =>
      setTimeout(() => void w.stop().then(r), 3000)
    )
    expect(code).toBe(3)
    expect(w.stderr()).toMatch(/cluster 1: .*not a URL/)
    expect(w.stderr()).not.toMatch(/at .*\.ts:\d+/) // no stack trace
  })
})
