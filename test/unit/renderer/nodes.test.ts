import { describe, expect, it } from 'vitest'
import { generateStatus } from '../../../main/sim/generate.ts'
import { filterRows, listItems, sortRows, stateCounts, toRows, visibleWindow } from '../../../renderer/lib/nodes.ts'

const degraded = generateStatus({
  now: new Date('2024-05-10T12:00:00Z'),
  seed: 7,
  nodes: 12,
  nodeSpecs: { 2: { errors: ['BAD_DAEMON'] }, 5: { errors: ['LOW_DOCKER_SPACE', 'HEALTH_TIMEOUT'] }, 11: { state: 'OFFLINE' } }
})
const rows = toRows(degraded.nodes)

describe('node rows', () => {
  it('counts nodes per state, worst state first', () => {
    expect(stateCounts(rows).map((c) => [c.name, c.count])).toEqual([
      ['DEGRADED', 2],
      ['OFFLINE', 1],
      ['READY', 9]
    ])
  })

  it('filters by state and by every typed word (host, state title, error title)', () => {
    expect(filterRows(rows, { states: new Set(['DEGRADED']), text: '' }).map((r) => r.hostname)).toEqual([
      'scale-agent-0003.cluster.local',
      'scale-agent-0006.cluster.local'
    ])
    expect(filterRows(rows, { states: new Set(), text: 'docker disk' }).map((r) => r.id)).toEqual([6])
    expect(filterRows(rows, { states: new Set(['READY']), text: 'docker' })).toEqual([])
    expect(filterRows(rows, { states: new Set(['OFFLINE', 'DEGRADED']), text: '' })).toHaveLength(3)
  })

  it('sorts host names naturally and keeps a stable order for ties', () => {
    const shuffled = toRows([...degraded.nodes].reverse())
    const byHost = sortRows(shuffled, { key: 'hostname', dir: 'asc' }).map((r) => r.id)
    expect(byHost).toEqual([...byHost].sort((a, b) => a - b))
    const byState = sortRows(shuffled, { key: 'state', dir: 'asc' })
    expect(byState.slice(0, 3).map((r) => r.state)).toEqual(['DEGRADED', 'DEGRADED', 'OFFLINE'])
    // Ties (nine READY nodes) fall back to the host name.
    const ready = byState.filter((r) => r.state === 'READY').map((r) => r.id)
    expect(ready).toEqual([...ready].sort((a, b) => a - b))
  })

  it('sorts numeric columns both ways, errors before warnings in the problems column', () => {
    const desc = sortRows(rows, { key: 'errors', dir: 'desc' })
    expect(desc[0]?.errors).toBe(2)
    expect(desc[1]?.errors).toBe(1)
    const byCpu = sortRows(rows, { key: 'cpu', dir: 'desc' }).map((r) => r.cpu?.running ?? -1)
    expect(byCpu).toEqual([...byCpu].sort((a, b) => b - a))
    const failedAsc = sortRows(rows, { key: 'failed', dir: 'asc' }).map((r) => r.failed)
    expect(failedAsc).toEqual([...failedAsc].sort((a, b) => a - b))
  })

  it('groups by state with a header per state, and a collapsed group keeps only its header', () => {
    const items = listItems(sortRows(rows, { key: 'hostname', dir: 'asc' }), true, new Set(['READY']))
    expect(items.filter((i) => i.kind === 'group').map((i) => (i.kind === 'group' ? `${i.state}:${i.count}` : ''))).toEqual([
      'DEGRADED:2',
      'OFFLINE:1',
      'READY:9'
    ])
    expect(items.filter((i) => i.kind === 'row')).toHaveLength(3)
  })

  it('draws only the rows in view of a 3,000-node list', () => {
    const w = visibleWindow(3000, 34, 34 * 1000, 680)
    expect(w.start).toBe(992)
    expect(w.end).toBe(1028)
    expect(visibleWindow(3000, 34, 0, 0)).toEqual({ start: 0, end: 9 })
    expect(visibleWindow(5, 34, 0, 680)).toEqual({ start: 0, end: 5 })
  })
})
