// Plain TS: reading the parts of a Scale status document the Overview shows — dependency names
// and details, scheduler metric labels — tolerant of every release (scale-status-api.md §5, §9).
import type { CodeMessage, Dependency } from '../../main/core/scale/schema.ts'

/** The seven dependencies of 7.0.1+, in the order an operator scans them. */
export const DEPENDENCY_ORDER = [
  'database',
  'msg_queue',
  'nodes',
  'logs',
  'elasticsearch',
  'idam',
  'silo'
] as const

const DEPENDENCY_LABELS: Record<string, string> = {
  database: 'Database',
  msg_queue: 'Message queue',
  nodes: 'Nodes',
  logs: 'Logs (fluentd)',
  elasticsearch: 'Elasticsearch',
  idam: 'Identity (GEOAxIS)',
  silo: 'Silo'
}

export function dependencyLabel(key: string): string {
  return DEPENDENCY_LABELS[key] ?? key
}

/** Known keys first in their order, then any a newer Scale adds. */
export function orderedDependencies(
  deps: Record<string, Dependency> | undefined
): [string, Dependency][] {
  if (!deps) return []
  const known = DEPENDENCY_ORDER.filter((k) => deps[k]).map((k): [string, Dependency] => [
    k,
    deps[k] as Dependency
  ])
  const extra = Object.keys(deps)
    .filter((k) => !(DEPENDENCY_ORDER as readonly string[]).includes(k))
    .sort()
    .map((k): [string, Dependency] => [k, deps[k] as Dependency])
  return [...known, ...extra]
}

/** `{ "RABBITMQ_ERROR": "Error connecting…" }` → ["RABBITMQ_ERROR", "Error connecting…"]. */
export function codeMessage(e: CodeMessage): [string, string] {
  const k = Object.keys(e)[0] ?? ''
  return [k, e[k] ?? '']
}

/** A dependency's `detail` as label/value pairs (nested objects flattened, `msg` left out: it is the headline). */
export function detailPairs(
  detail: Record<string, unknown> | null | undefined
): [string, string][] {
  const out: [string, string][] = []
  const walk = (prefix: string, v: unknown, depth: number): void => {
    if (v === null || v === undefined) out.push([prefix, '—'])
    else if (Array.isArray(v))
      out.push([
        prefix,
        v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') || '—'
      ])
    else if (typeof v === 'object') {
      if (depth >= 3) out.push([prefix, JSON.stringify(v)])
      else
        for (const [k, x] of Object.entries(v as Record<string, unknown>))
          walk(prefix ? `${prefix}.${k}` : k, x, depth + 1)
    } else out.push([prefix, typeof v === 'string' ? v : JSON.stringify(v)])
  }
  for (const [k, v] of Object.entries(detail ?? {})) if (k !== 'msg') walk(k, v, 1)
  return out
}

export function detailMessage(detail: Record<string, unknown> | null | undefined): string | null {
  const m = detail?.msg
  return typeof m === 'string' && m !== '' ? m : null
}

/** The seven scheduler metrics (§5.3), labelled; any other key is shown under its own name. */
export const METRIC_LABELS: Record<string, string> = {
  new_offers_per_sec: 'New offers',
  offers_launched_per_sec: 'Offers launched',
  task_updates_per_sec: 'Task updates',
  tasks_launched_per_sec: 'Tasks launched',
  tasks_finished_per_sec: 'Tasks finished',
  jobs_launched_per_sec: 'Jobs launched',
  jobs_finished_per_sec: 'Jobs finished'
}

export function orderedMetrics(m: Record<string, number> | undefined): [string, string, number][] {
  if (!m) return []
  const keys = [
    ...Object.keys(METRIC_LABELS).filter((k) => k in m),
    ...Object.keys(m)
      .filter((k) => !(k in METRIC_LABELS))
      .sort()
  ]
  return keys.map((k) => [k, METRIC_LABELS[k] ?? k, m[k] as number])
}

/** Resource kinds: the four Scale always sends, then custom ones alphabetically. */
export function orderedResources<T>(r: Record<string, T> | undefined): [string, T][] {
  if (!r) return []
  const base = ['cpus', 'mem', 'disk', 'gpus'].filter((k) => k in r)
  const custom = Object.keys(r)
    .filter((k) => !base.includes(k))
    .sort()
  return [...base, ...custom].map((k) => [k, r[k] as T])
}
