// Electron-free: per-cluster history — confirmed level changes and metric samples for 24 h charts —
// in bounded memory, persisted to one JSON file (atomic writes), exportable as CSV or JSON.
import { lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import type { Metrics, Severity } from '../types.ts'
import { copyAside } from '../settings/secrets.ts'
import type { LevelChange, MetricSample } from './types.ts'

// MetricSample lives in types.ts (no Node imports) so the renderer can type-check against it.
export type { MetricSample }

export const SAMPLE_FIELDS = [
  't',
  'cpuUsed',
  'cpuTotal',
  'memUsed',
  'memTotal',
  'diskUsed',
  'diskTotal',
  'gpuUsed',
  'gpuTotal',
  'queue',
  'nodesTotal',
  'nodesReady',
  'nodesDegraded',
  'nodesOffline',
  'nodesOther',
  'running',
  'failed',
  'failedAlgorithm',
  'failedData',
  'failedSystem'
] as const satisfies readonly (keyof MetricSample)[]

export const HISTORY_SPAN_MS = 24 * 3600_000
/** Full resolution (1-minute buckets) for the last two hours, 10-minute buckets before that. */
const FINE_SPAN_MS = 2 * 3600_000
const FINE_BUCKET_MS = 60_000
const COARSE_BUCKET_MS = 10 * 60_000
/** Level changes kept per cluster. */
const MAX_CHANGES = 300
const MAX_FINDINGS_PER_CHANGE = 12

/** A chart sample from a verdict's metrics (null when the read had no document). */
export function sampleFrom(t: number, m: Metrics): MetricSample | null {
  if (!m.nodes) return null
  const r = m.resources ?? {}
  const by = m.nodes.byState
  const ready = by.READY ?? 0
  const degraded = by.DEGRADED ?? 0
  const offline = by.OFFLINE ?? 0
  return {
    t,
    cpuUsed: r.cpus?.running ?? 0,
    cpuTotal: r.cpus?.total ?? 0,
    memUsed: r.mem?.running ?? 0,
    memTotal: r.mem?.total ?? 0,
    diskUsed: r.disk?.running ?? 0,
    diskTotal: r.disk?.total ?? 0,
    gpuUsed: r.gpus?.running ?? 0,
    gpuTotal: r.gpus?.total ?? 0,
    queue: m.queueDepth ?? null,
    nodesTotal: m.nodes.total,
    nodesReady: ready,
    nodesDegraded: degraded,
    nodesOffline: offline,
    nodesOther: m.nodes.total - ready - degraded - offline,
    running: m.jobs?.running ?? 0,
    failed: m.jobs?.failed.total ?? 0,
    failedAlgorithm: m.jobs?.failed.algorithm ?? 0,
    failedData: m.jobs?.failed.data ?? 0,
    failedSystem: m.jobs?.failed.system ?? 0
  }
}

interface ClusterHistory {
  changes: LevelChange[]
  samples: MetricSample[]
  acks: Record<string, Severity>
}

const Sample = z.object(
  Object.fromEntries(
    SAMPLE_FIELDS.map((f) => [f, f === 'queue' ? z.number().nullable() : z.number()])
  )
) as unknown as z.ZodType<MetricSample>
const HistoryFile = z.object({
  version: z.literal(1),
  clusters: z.record(
    z.string(),
    z.object({
      changes: z.array(
        z.object({
          at: z.number(),
          clusterId: z.string(),
          level: z.enum(['ok', 'warning', 'critical', 'unknown']),
          previous: z.enum(['ok', 'warning', 'critical', 'unknown']).nullable(),
          previousDurationMs: z.number().nullable(),
          findings: z.array(
            z.object({
              id: z.string(),
              severity: z.enum(['info', 'warning', 'critical']),
              title: z.string()
            })
          )
        })
      ),
      samples: z.array(Sample),
      acks: z.record(z.string(), z.enum(['info', 'warning', 'critical'])).default({})
    })
  )
})

export class History {
  private data = new Map<string, ClusterHistory>()

  private of(id: string): ClusterHistory {
    let h = this.data.get(id)
    if (!h) this.data.set(id, (h = { changes: [], samples: [], acks: {} }))
    return h
  }

  clusterIds(): string[] {
    return [...this.data.keys()]
  }

  forget(id: string): void {
    this.data.delete(id)
  }

  recordChange(c: LevelChange): void {
    const h = this.of(c.clusterId)
    h.changes.push({ ...c, findings: c.findings.slice(0, MAX_FINDINGS_PER_CHANGE) })
    if (h.changes.length > MAX_CHANGES) h.changes.splice(0, h.changes.length - MAX_CHANGES)
  }

  /** Add a sample; samples in the same bucket replace each other, old ones are thinned then dropped. */
  recordSample(id: string, s: MetricSample): void {
    const h = this.of(id)
    const last = h.samples[h.samples.length - 1]
    if (last && Math.floor(last.t / FINE_BUCKET_MS) === Math.floor(s.t / FINE_BUCKET_MS))
      h.samples[h.samples.length - 1] = s
    else h.samples.push(s)
    // Thin lazily: only when the oldest fine sample has aged out, so the common path stays O(1).
    const first = h.samples[0]
    if (
      first &&
      s.t - first.t > FINE_SPAN_MS &&
      h.samples.length > FINE_SPAN_MS / FINE_BUCKET_MS + 8
    )
      h.samples = thin(h.samples, s.t)
  }

  changes(id: string): LevelChange[] {
    return this.data.get(id)?.changes ?? []
  }

  samples(id: string, now: number, spanMs = HISTORY_SPAN_MS): MetricSample[] {
    return (this.data.get(id)?.samples ?? []).filter((s) => now - s.t <= spanMs)
  }

  acks(id: string): Record<string, Severity> {
    return this.data.get(id)?.acks ?? {}
  }

  setAcks(id: string, acks: Record<string, Severity>): void {
    this.of(id).acks = { ...acks }
  }

  /** Degraded time and time to recover, from the level log: each non-ok episode's length. */
  episodes(
    id: string,
    now: number
  ): { start: number; end: number | null; level: string; durationMs: number }[] {
    const out: { start: number; end: number | null; level: string; durationMs: number }[] = []
    const changes = this.changes(id)
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i] as LevelChange
      if (c.level === 'ok') continue
      const next = changes[i + 1]
      const end = next ? next.at : null
      out.push({ start: c.at, end, level: c.level, durationMs: (end ?? now) - c.at })
    }
    return out
  }

  toJSON(): z.infer<typeof HistoryFile> {
    return { version: 1, clusters: Object.fromEntries(this.data) }
  }

  /**
   * Write atomically (temp file + rename). Refuses, with an Error that says what to do, when the
   * path is a link (the rename would replace the link, not update its target), a folder or a
   * special file; never leaves its temp file behind.
   */
  async save(file: string, now: number): Promise<void> {
    for (const h of this.data.values()) h.samples = thin(h.samples, now)
    await mkdir(dirname(file), { recursive: true })
    const st = await lstat(file).catch(() => undefined)
    if (st && !st.isFile())
      throw new Error(
        `${file} is ${st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a folder' : 'not a regular file'}; history is only written to a regular file: move it away`
      )
    const tmp = `${file}.tmp-${process.pid}`
    try {
      await writeFile(tmp, JSON.stringify(this.toJSON()), { mode: 0o600 })
      await rename(tmp, file)
    } catch (err) {
      await rm(tmp, { force: true })
      throw err
    }
  }

  /**
   * Load a saved history; a missing file is empty. A damaged one, or one this version cannot read
   * (another format, a newer version), is copied aside (`history.json.corrupt-<time>`) before the
   * history starts empty, since the next save replaces the file; the problem says where it went.
   */
  static async load(
    file: string,
    now: number = Date.now()
  ): Promise<{ history: History; problem?: string }> {
    const history = new History()
    let bytes: Buffer
    try {
      const st = await stat(file)
      // readFile would throw on a directory and block on a FIFO; the save would fail on both.
      if (!st.isFile())
        return { history, problem: `history ${file} is not a regular file; starting empty` }
      bytes = await readFile(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { history }
      return {
        history,
        problem: `history ${file} unreadable (${(err as NodeJS.ErrnoException).code ?? String(err)}); starting empty`
      }
    }
    let what: string
    try {
      const parsed = HistoryFile.safeParse(JSON.parse(bytes.toString('utf8')))
      if (parsed.success) {
        for (const [id, h] of Object.entries(parsed.data.clusters)) history.data.set(id, h)
        return { history }
      }
      what = 'is not in the format this version reads'
    } catch {
      // Truncated by a crash mid-write before we used rename, or edited by hand.
      what = 'is damaged'
    }
    try {
      const aside = copyAside(file, bytes, 'corrupt', now)
      return {
        history,
        problem: `history ${file} ${what}; copied it to ${aside} and started empty`
      }
    } catch (err) {
      return {
        history,
        problem: `history ${file} ${what}, and could not be copied aside (${(err as NodeJS.ErrnoException).code ?? String(err)}); started empty, and it will be replaced at exit`
      }
    }
  }
}

/** Keep 1-minute samples for two hours, one per 10 minutes before that, nothing past 24 h. */
function thin(samples: MetricSample[], now: number): MetricSample[] {
  const out: MetricSample[] = []
  for (const s of samples) {
    const age = now - s.t
    if (age > HISTORY_SPAN_MS) continue
    const last = out[out.length - 1]
    if (
      age > FINE_SPAN_MS &&
      last &&
      now - last.t > FINE_SPAN_MS &&
      Math.floor(last.t / COARSE_BUCKET_MS) === Math.floor(s.t / COARSE_BUCKET_MS)
    ) {
      out[out.length - 1] = s
    } else out.push(s)
  }
  return out
}

/** Samples as CSV (ISO time first), for spreadsheets. */
export function samplesCsv(samples: MetricSample[]): string {
  const head = ['time', ...SAMPLE_FIELDS.slice(1)].join(',')
  const rows = samples.map((s) =>
    [
      new Date(s.t).toISOString(),
      ...SAMPLE_FIELDS.slice(1).map((f) => (s[f] === null ? '' : String(s[f])))
    ].join(',')
  )
  return `${[head, ...rows].join('\n')}\n`
}

/** Level changes as CSV. */
export function changesCsv(changes: LevelChange[], names: Record<string, string> = {}): string {
  const esc = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const head = 'time,cluster,level,previous,previous_duration_s,findings'
  const rows = changes.map((c) =>
    [
      new Date(c.at).toISOString(),
      esc(names[c.clusterId] ?? c.clusterId),
      c.level,
      c.previous ?? '',
      c.previousDurationMs === null ? '' : String(Math.round(c.previousDurationMs / 1000)),
      esc(c.findings.map((f) => `${f.severity}:${f.title}`).join('; '))
    ].join(',')
  )
  return `${[head, ...rows].join('\n')}\n`
}
