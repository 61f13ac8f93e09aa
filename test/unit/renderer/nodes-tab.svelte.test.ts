import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { generateStatus } from '../../../main/sim/generate.ts'
import NodesTab from '../../../renderer/components/NodesTab.svelte'

afterEach(() => cleanup())

// jsdom has no layout: bind:clientHeight needs a ResizeObserver, and a viewport of 0 px shows
// the minimum window (one row plus overscan).
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

describe('the nodes table', () => {
  it('renders a window of a 3,000-node cluster, not every row, with the full count', () => {
    const status = generateStatus({ nodes: 3000, seed: 7, nodeSpecs: { 10: { errors: ['BAD_DAEMON'] } } })
    render(NodesTab, { status, clusterId: 'big' })
    const drawn = document.querySelectorAll('tr.node')
    expect(drawn.length).toBeGreaterThan(0)
    expect(drawn.length).toBeLessThan(60)
    expect(screen.getByRole('table', { name: 'Nodes' }).getAttribute('aria-rowcount')).toBe('3001')
    expect(screen.getByText(/Showing 3,000 nodes of 3,000/)).toBeTruthy()
    // Default sort is by state, worst first: the degraded node leads.
    expect(drawn[0]?.getAttribute('data-node')).toBe('scale-agent-0011.cluster.local')
  })

  it('filters by a state chip and sorts by a clicked column header', async () => {
    const status = generateStatus({ nodes: 40, seed: 7, nodeSpecs: { 3: { state: 'OFFLINE' }, 4: { state: 'OFFLINE' } } })
    render(NodesTab, { status, clusterId: 'c' })
    await fireEvent.click(screen.getByRole('button', { name: /Offline 2/ }))
    expect([...document.querySelectorAll('tr.node')].map((r) => r.getAttribute('data-node'))).toEqual([
      'scale-agent-0004.cluster.local',
      'scale-agent-0005.cluster.local'
    ])
    await fireEvent.click(screen.getByRole('button', { name: /Offline 2/ }))
    const host = screen.getByRole('button', { name: 'Host' })
    await fireEvent.click(host)
    await fireEvent.click(host)
    expect(host.closest('th')?.getAttribute('aria-sort')).toBe('descending')
    expect(document.querySelector('tr.node')?.getAttribute('data-node')).toBe('scale-agent-0040.cluster.local')
  })
})
