import { describe, expect, it } from 'vitest'
import type { JobType, Node } from '../../../main/core/scale/schema.ts'
import { generateStatus } from '../../../main/sim/generate.ts'
import { joinJobs } from '../../../renderer/lib/jobs.ts'
import { iconGlyph } from '../../../renderer/lib/icons.ts'

const exe = (running: [number, number][], completed: [number, number][], failed: Partial<Record<'algorithm' | 'data' | 'system', [number, number][]>>): Node['job_executions'] => {
  const c = (xs: [number, number][] = []) => ({ total: xs.reduce((a, [, n]) => a + n, 0), by_job_type: xs.map(([job_type_id, count]) => ({ job_type_id, count })) })
  const f = { algorithm: c(failed.algorithm), data: c(failed.data), system: c(failed.system) }
  return { running: c(running), completed: c(completed), failed: { total: f.algorithm.total + f.data.total + f.system.total, ...f } }
}
const node = (id: number, je: Node['job_executions']): Node => ({ id, hostname: `n${id}`, is_active: true, state: { name: 'READY' }, errors: [], warnings: [], job_executions: je })
const types: JobType[] = [
  { id: 1, name: 'scale-ingest', version: '1.0.0', title: 'Scale Ingest', is_system: true, icon_code: 'f013' },
  { id: 10, name: 'geo-ingest', version: '2.3.1', title: 'Geo Ingest', is_system: false, icon_code: 'f0ac' },
  { id: 11, name: 'idle', version: '0.1', title: 'Idle', is_system: false, icon_code: null }
]

describe('the jobs join', () => {
  it('sums every node’s executions per job type, failures by category', () => {
    const nodes = [
      node(1, exe([[10, 2], [1, 1]], [[10, 5]], { algorithm: [[10, 1]], system: [[1, 2]] })),
      node(2, exe([[10, 3]], [[10, 1], [1, 4]], { data: [[10, 2]], algorithm: [[10, 1]] }))
    ]
    const { rows, totals } = joinJobs(types, nodes)
    const geo = rows.find((r) => r.id === 10)
    expect(geo).toMatchObject({ running: 5, completed: 6, nodesRunning: 2, failed: { algorithm: 2, data: 2, system: 0, total: 4 } })
    expect(rows.find((r) => r.id === 1)).toMatchObject({ running: 1, completed: 4, isSystem: true, failed: { system: 2, total: 2 } })
    expect(totals).toEqual({ running: 6, completed: 10, failed: { algorithm: 2, data: 2, system: 2, total: 6 } })
  })

  it('keeps job types nothing ran, and names ids missing from job_types', () => {
    const { rows } = joinJobs(types, [node(1, exe([[99, 1]], [], {}))])
    expect(rows.find((r) => r.id === 11)).toMatchObject({ running: 0, completed: 0, known: true })
    expect(rows.find((r) => r.id === 99)).toMatchObject({ known: false, title: 'Unknown job type #99', running: 1 })
  })

  it('matches the totals of a generated 3,000-node document', () => {
    const s = generateStatus({ nodes: 3000, seed: 3 })
    const { totals } = joinJobs(s.job_types, s.nodes)
    const sum = (k: 'running' | 'completed') => s.nodes.reduce((a, n) => a + (n.job_executions?.[k].total ?? 0), 0)
    expect(totals.running).toBe(sum('running'))
    expect(totals.completed).toBe(sum('completed'))
    expect(totals.failed.total).toBe(s.nodes.reduce((a, n) => a + (n.job_executions?.failed.total ?? 0), 0))
  })

  it('maps common Font Awesome codes to a glyph and leaves the rest as codes', () => {
    expect(iconGlyph('f013')).toBe('⚙')
    expect(iconGlyph('F186')).toBe('☾')
    expect(iconGlyph('f0ac')).toBeNull()
    expect(iconGlyph(null)).toBeNull()
  })
})
