import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../../preload/contract.ts'
import type { ClusterView } from '../../../main/core/monitor/types.ts'
import { AppState } from '../../../renderer/state/app.svelte.ts'
import { fakeBridge } from './fake-bridge.ts'

const view = (id: string, level: ClusterView['level'], extra: Partial<ClusterView> = {}): ClusterView =>
  ({
    id,
    name: id,
    url: `https://${id}.example.com/api`,
    enabled: true,
    level,
    pending: false,
    unsettled: false,
    rawLevel: level,
    effectiveLevel: level,
    summary: `${id} is ${level}`,
    findings: [],
    metrics: {},
    version: '7.2.1',
    lastPollAt: 1,
    lastSuccessAt: 1,
    lastDurationMs: 2,
    failureKind: null,
    nextPollAt: null,
    consecutiveFailures: 0,
    confirmedSince: 1,
    snoozedUntil: null,
    muted: false,
    hasSecret: false,
    authKind: 'none',
    statusRevision: 1,
    intervalSec: 30,
    ...extra
  })

const snapshot = (clusters: ClusterView[]): Snapshot =>
  ({ clusters, tray: null, notifications: [], settings: null, notices: [], serverTime: Date.now(), app: { mode: 'serve', version: 't', notificationsSupported: true, secretsBacking: 'memory' } }) as unknown as Snapshot

describe('the app state', () => {
  it('replays pushes that arrived while the snapshot was loading, so none is lost', async () => {
    let release: (s: Snapshot) => void = () => {}
    const api = fakeBridge({ getSnapshot: () => new Promise<Snapshot>((r) => (release = r)) })
    const state = new AppState()
    state.connect(api)
    api.emit({ type: 'cluster', cluster: view('a', 'critical', { statusRevision: 2 }) })
    release(snapshot([view('a', 'ok'), view('b', 'ok')]))
    await Promise.resolve()
    await Promise.resolve()
    expect(state.loaded).toBe(true)
    expect(state.byId.get('a')?.level).toBe('critical')
    expect(state.clusters.map((c) => c.id)).toEqual(['a', 'b'])
  })

  it('announces a level change for screen readers and shows a pushed notification as a banner', async () => {
    const api = fakeBridge({ getSnapshot: () => Promise.resolve(snapshot([view('prod', 'ok')])) })
    const state = new AppState()
    state.connect(api)
    await Promise.resolve()
    await Promise.resolve()
    api.emit({
      type: 'cluster',
      cluster: view('prod', 'critical', { findings: [{ id: 'x', severity: 'critical', title: 'Message queue failing', message: 'm', since: 1, acked: false }] })
    })
    expect(state.announcement).toBe('prod is now Critical: Message queue failing')
    api.emit({ type: 'notification', notification: { id: 'n1', at: 1, kind: 'degraded', title: 'prod now critical', body: '', level: 'critical', previous: 'ok', clusters: [], open: { clusterId: 'prod' } } })
    expect(state.banner?.id).toBe('n1')
    expect(state.notifications.map((n) => n.id)).toEqual(['n1'])
    api.emit({ type: 'removed', id: 'prod' })
    expect(state.clusters).toEqual([])
  })
})
