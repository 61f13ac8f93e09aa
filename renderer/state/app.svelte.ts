// Rune module: what the window knows about the app — cluster views, tray, notifications,
// settings — from one snapshot plus pushes. Full status documents are not here (details.svelte.ts
// holds the one cluster on screen).
import type { BridgeApi, PushEvent, SettingsView, Snapshot } from '../../preload/contract.ts'
import type { ClusterView, TrayNotification, TrayState } from '../../main/core/monitor/types.ts'
import { isHttpBridge, type ConnectionState } from '../lib/bridge-http.ts'
import { levelInfo } from '../lib/format.ts'
import { LEVEL_RANK } from '../lib/levels.ts'

export class AppState {
  loaded = $state(false)
  loadError = $state<string | null>(null)
  clusters = $state.raw<ClusterView[]>([])
  tray = $state.raw<TrayState | null>(null)
  notifications = $state.raw<TrayNotification[]>([])
  settings = $state.raw<SettingsView | null>(null)
  notices = $state.raw<string[]>([])
  app = $state.raw<Snapshot['app'] | null>(null)
  connection = $state<ConnectionState>('connecting')
  /** The newest notification pushed while this page was open, shown as a banner until dismissed. */
  banner = $state.raw<TrayNotification | null>(null)
  /** Text for the live region: level changes, read out by screen readers. */
  announcement = $state('')
  /** Server clock minus ours, so "3 s ago" is right on a wall screen with a drifting clock. */
  skewMs = $state(0)
  /** The shell asked to show a cluster (tray menu, notification click). */
  navigateRequest = $state.raw<{
    clusterId: string | null
    view?: 'overview' | 'settings'
    seq: number
  } | null>(null)

  // Rebuilt whole from the list on every change, never mutated: a plain Map is right here.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  byId = $derived(new Map(this.clusters.map((c) => [c.id, c])))
  /** Enabled clusters worst first, then by name (the All-clusters grid). */
  worstFirst = $derived(
    this.clusters
      .slice()
      .sort(
        (a, b) =>
          Number(b.enabled) - Number(a.enabled) ||
          LEVEL_RANK[b.effectiveLevel] - LEVEL_RANK[a.effectiveLevel] ||
          a.name.localeCompare(b.name)
      )
  )

  private navSeq = 0

  /** Subscribe to pushes, then load the snapshot; pushes that raced it are replayed after. */
  connect(api: BridgeApi): () => void {
    let buffered: PushEvent[] | null = []
    const offEvent = api.onEvent((e) => {
      if (buffered) buffered.push(e)
      else this.apply(e)
    })
    const cleanups = [offEvent]
    if (isHttpBridge(api)) {
      cleanups.push(api.onResync((s) => this.load(s, true)))
      cleanups.push(api.onConnection((s) => (this.connection = s)))
    } else {
      this.connection = 'open'
    }
    api.getSnapshot().then(
      (s) => {
        this.load(s, false)
        const pending = buffered ?? []
        buffered = null
        for (const e of pending) this.apply(e)
      },
      (err: Error) => {
        buffered = null
        this.loadError = err.message
      }
    )
    return () => {
      for (const c of cleanups) c()
    }
  }

  /** Replace everything from a snapshot (first load, or a resync after a reconnect). */
  load(s: Snapshot, resync: boolean): void {
    if (resync) for (const c of s.clusters) this.announceChange(this.byId.get(c.id), c)
    this.clusters = s.clusters
    this.tray = s.tray
    this.notifications = s.notifications
    this.settings = s.settings
    this.notices = s.notices
    this.app = s.app
    this.skewMs = s.serverTime - Date.now()
    this.loaded = true
    this.loadError = null
  }

  apply(e: PushEvent): void {
    switch (e.type) {
      case 'cluster': {
        const prev = this.byId.get(e.cluster.id)
        this.announceChange(prev, e.cluster)
        this.clusters = prev
          ? this.clusters.map((c) => (c.id === e.cluster.id ? e.cluster : c))
          : [...this.clusters, e.cluster]
        break
      }
      case 'removed':
        this.clusters = this.clusters.filter((c) => c.id !== e.id)
        break
      case 'tray':
        this.tray = e.tray
        break
      case 'notification':
        this.notifications = [
          e.notification,
          ...this.notifications.filter((n) => n.id !== e.notification.id)
        ].slice(0, 50)
        this.banner = e.notification
        break
      case 'settings':
        this.settings = e.settings
        break
      case 'navigate':
        this.navigateRequest = { clusterId: e.clusterId, view: e.view, seq: ++this.navSeq }
        break
    }
  }

  dismissBanner(): void {
    this.banner = null
  }

  private announceChange(prev: ClusterView | undefined, next: ClusterView): void {
    if (!prev || prev.effectiveLevel === next.effectiveLevel) return
    const reason =
      next.findings.find((f) => !f.acked && f.severity !== 'info')?.title ?? next.summary
    this.announcement = `${next.name} is now ${levelInfo(next.effectiveLevel).word}${next.effectiveLevel === 'ok' ? '' : `: ${reason}`}`
  }
}

export const appState = new AppState()
