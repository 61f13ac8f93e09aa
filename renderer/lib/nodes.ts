// Plain TS: the Nodes tab's table model — one flat row per node, filtering by state and text,
// sorting by any column, grouping by state. Pure functions over arrays, so 3,000 nodes cost a few
// milliseconds and the component only renders the visible window.
import type { Node, ResourceValues } from '../../main/core/scale/schema.ts'
import { compareText } from './sort.ts'

/** Node states worst first (scale-status-api.md §5.8): the order of groups and of a state sort. */
export const STATE_ORDER = [
  'DEGRADED',
  'OFFLINE',
  'DEPRECATED',
  'PAUSED',
  'SCHEDULER_STOPPED',
  'INITIAL_CLEANUP',
  'IMAGE_PULL',
  'READY'
] as const

export function stateRank(name: string): number {
  const i = (STATE_ORDER as readonly string[]).indexOf(name)
  return i === -1 ? STATE_ORDER.length : i
}

export interface NodeRow {
  id: number
  hostname: string
  state: string
  stateTitle: string
  stateDescription: string
  errors: number
  warnings: number
  /** Error and warning titles, for the cell and the text filter. */
  errorTitles: string[]
  warningTitles: string[]
  nodeTasks: number
  systemTasks: number
  cpu: ResourceValues | null
  mem: ResourceValues | null
  disk: ResourceValues | null
  running: number
  completed: number
  failed: number
  /** Lower-cased text the filter searches. */
  haystack: string
  node: Node
}

export type NodeSortKey =
  | 'hostname'
  | 'state'
  | 'errors'
  | 'warnings'
  | 'nodeTasks'
  | 'systemTasks'
  | 'cpu'
  | 'mem'
  | 'disk'
  | 'running'
  | 'completed'
  | 'failed'

export interface NodeSort {
  key: NodeSortKey
  dir: 'asc' | 'desc'
}

const sumCounts = (xs: { count: number }[] | undefined): number =>
  (xs ?? []).reduce((a, x) => a + x.count, 0)

/** One row per node, with everything a column or the filter needs precomputed. */
export function toRows(nodes: readonly Node[]): NodeRow[] {
  return nodes.map((n) => {
    const errorTitles = n.errors.map((e) => e.title ?? e.name)
    const warningTitles = n.warnings.map((w) => w.title ?? w.name)
    const stateTitle = n.state.title ?? n.state.name
    const je = n.job_executions
    return {
      id: n.id,
      hostname: n.hostname,
      state: n.state.name,
      stateTitle,
      stateDescription: n.state.description ?? '',
      errors: n.errors.length,
      warnings: n.warnings.length,
      errorTitles,
      warningTitles,
      nodeTasks: sumCounts(n.node_tasks),
      systemTasks: sumCounts(n.system_tasks),
      cpu: n.resources?.cpus ?? null,
      mem: n.resources?.mem ?? null,
      disk: n.resources?.disk ?? null,
      running: je?.running.total ?? 0,
      completed: je?.completed.total ?? 0,
      failed: je?.failed.total ?? 0,
      haystack: [
        n.hostname,
        stateTitle,
        n.state.name,
        n.agent_id ?? '',
        String(n.id),
        ...errorTitles,
        ...warningTitles
      ]
        .join('\n')
        .toLowerCase(),
      node: n
    }
  })
}

export interface NodeFilter {
  /** Empty: every state. */
  states: ReadonlySet<string>
  text: string
}

/** Rows in one of the chosen states whose text contains every word typed. */
export function filterRows(rows: readonly NodeRow[], f: NodeFilter): NodeRow[] {
  const words = f.text.toLowerCase().split(/\s+/).filter(Boolean)
  if (f.states.size === 0 && words.length === 0) return rows.slice()
  return rows.filter(
    (r) =>
      (f.states.size === 0 || f.states.has(r.state)) && words.every((w) => r.haystack.includes(w))
  )
}

const used = (v: ResourceValues | null): number => (v ? v.running : -1)

function keyCompare(key: NodeSortKey): (a: NodeRow, b: NodeRow) => number {
  switch (key) {
    case 'hostname':
      return (a, b) => compareText(a.hostname, b.hostname)
    case 'state':
      return (a, b) =>
        stateRank(a.state) - stateRank(b.state) || compareText(a.stateTitle, b.stateTitle)
    case 'errors':
      // Errors first, then warnings: the one "problems" column sorts by both.
      return (a, b) => a.errors - b.errors || a.warnings - b.warnings
    case 'cpu':
    case 'mem':
    case 'disk':
      return (a, b) => used(a[key]) - used(b[key])
    default:
      return (a, b) => a[key] - b[key]
  }
}

/** Sorted copy; ties fall back to the host name so the order is stable between refreshes. */
export function sortRows(rows: readonly NodeRow[], s: NodeSort): NodeRow[] {
  const cmp = keyCompare(s.key)
  const sign = s.dir === 'asc' ? 1 : -1
  return rows.slice().sort((a, b) => sign * cmp(a, b) || compareText(a.hostname, b.hostname))
}

export interface StateCount {
  name: string
  title: string
  count: number
}

/** How many nodes are in each state, worst state first. */
export function stateCounts(rows: readonly NodeRow[]): StateCount[] {
  const m = new Map<string, StateCount>()
  for (const r of rows) {
    const c = m.get(r.state)
    if (c) c.count++
    else m.set(r.state, { name: r.state, title: r.stateTitle, count: 1 })
  }
  return [...m.values()].sort(
    (a, b) => stateRank(a.name) - stateRank(b.name) || compareText(a.name, b.name)
  )
}

export type ListItem =
  | { kind: 'group'; key: string; state: string; title: string; count: number; collapsed: boolean }
  | { kind: 'row'; key: string; row: NodeRow }

/**
 * The flat list the virtual table draws: rows, or (grouped) a header per state followed by its
 * rows in the chosen order. Collapsed groups keep their header only.
 */
export function listItems(
  rows: readonly NodeRow[],
  group: boolean,
  collapsed: ReadonlySet<string> = new Set()
): ListItem[] {
  if (!group) return rows.map((row) => ({ kind: 'row', key: `n${row.id}`, row }))
  const by = new Map<string, NodeRow[]>()
  for (const r of rows) {
    const g = by.get(r.state)
    if (g) g.push(r)
    else by.set(r.state, [r])
  }
  const out: ListItem[] = []
  const states = [...by.keys()].sort((a, b) => stateRank(a) - stateRank(b) || compareText(a, b))
  for (const s of states) {
    const g = by.get(s) as NodeRow[]
    const isCollapsed = collapsed.has(s)
    out.push({
      kind: 'group',
      key: `g${s}`,
      state: s,
      title: g[0]?.stateTitle ?? s,
      count: g.length,
      collapsed: isCollapsed
    })
    if (!isCollapsed) for (const row of g) out.push({ kind: 'row', key: `n${row.id}`, row })
  }
  return out
}

/** The slice of a fixed-row-height list to render for a scroll position, with overscan. */
export function visibleWindow(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewport: number,
  overscan = 8
): { start: number; end: number } {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight)
  const visible = Math.ceil(Math.max(viewport, rowHeight) / rowHeight)
  const start = Math.max(0, first - overscan)
  const end = Math.min(count, first + visible + overscan)
  return { start, end }
}
