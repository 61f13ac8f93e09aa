// Rune module: how the operator set up the Nodes table (sort, filters, grouping). Kept across tab
// and cluster switches for the session, so comparing clusters does not mean setting it up again.
import type { NodeSort } from '../lib/nodes.ts'

class NodesView {
  sort = $state.raw<NodeSort>({ key: 'state', dir: 'asc' })
  states = $state.raw<ReadonlySet<string>>(new Set())
  text = $state('')
  group = $state(false)
  collapsed = $state.raw<ReadonlySet<string>>(new Set())

  // Sets are replaced, never mutated in place ($state.raw): a new set per toggle.
  toggleState(name: string): void {
    this.states = toggled(this.states, name)
  }

  toggleGroup(name: string): void {
    this.collapsed = toggled(this.collapsed, name)
  }

  clearFilters(): void {
    this.states = new Set()
    this.text = ''
  }
}

function toggled(set: ReadonlySet<string>, name: string): ReadonlySet<string> {
  return new Set(set.has(name) ? [...set].filter((x) => x !== name) : [...set, name])
}

export const nodesView = new NodesView()
