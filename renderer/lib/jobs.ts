// Plain TS: the Jobs tab's join — job types with every node's job executions by `job_type_id`
// (running, and completed/failed by category over Scale's 3-hour window, §5.8). Scale's own UI has
// no such view; the status document carries it per node only.
import type { JobType, Node } from '../../main/core/scale/schema.ts'
import { iconGlyph } from './icons.ts'

export interface JobTypeRow {
  id: number
  name: string
  title: string
  version: string
  description: string
  iconCode: string | null
  /** A Unicode stand-in for the Font Awesome icon, when there is a fair one. */
  glyph: string | null
  isSystem: boolean
  /** False for ids seen in executions but missing from `job_types` (not synced yet). */
  known: boolean
  running: number
  completed: number
  failed: { algorithm: number; data: number; system: number; total: number }
  /** Nodes running at least one job of this type. */
  nodesRunning: number
}

export interface JobsJoin {
  rows: JobTypeRow[]
  totals: Pick<JobTypeRow, 'running' | 'completed' | 'failed'>
}

function emptyRow(id: number, t?: JobType): JobTypeRow {
  const code = t?.icon_code ?? null
  return {
    id,
    name: t?.name ?? `#${id}`,
    title: t?.title ?? t?.name ?? `Unknown job type #${id}`,
    version: t?.version ?? '',
    description: t?.description ?? '',
    iconCode: code,
    glyph: iconGlyph(code),
    isSystem: t?.is_system ?? false,
    known: t !== undefined,
    running: 0,
    completed: 0,
    failed: { algorithm: 0, data: 0, system: 0, total: 0 },
    nodesRunning: 0
  }
}

/** Every job type (used or not) plus any id only the executions mention, with summed counts. */
export function joinJobs(jobTypes: readonly JobType[], nodes: readonly Node[]): JobsJoin {
  const rows = new Map<number, JobTypeRow>()
  for (const t of jobTypes) rows.set(t.id, emptyRow(t.id, t))
  const row = (id: number): JobTypeRow => {
    let r = rows.get(id)
    if (!r) rows.set(id, (r = emptyRow(id)))
    return r
  }
  for (const n of nodes) {
    const je = n.job_executions
    if (!je) continue
    for (const b of je.running.by_job_type) {
      const r = row(b.job_type_id)
      r.running += b.count
      if (b.count > 0) r.nodesRunning++
    }
    for (const b of je.completed.by_job_type) row(b.job_type_id).completed += b.count
    for (const cat of ['algorithm', 'data', 'system'] as const) {
      for (const b of je.failed[cat].by_job_type) {
        const r = row(b.job_type_id)
        r.failed[cat] += b.count
        r.failed.total += b.count
      }
    }
  }
  const list = [...rows.values()]
  const totals = {
    running: 0,
    completed: 0,
    failed: { algorithm: 0, data: 0, system: 0, total: 0 }
  }
  for (const r of list) {
    totals.running += r.running
    totals.completed += r.completed
    for (const k of ['algorithm', 'data', 'system', 'total'] as const)
      totals.failed[k] += r.failed[k]
  }
  return { rows: list, totals }
}
