// Rune module: the full status document of the one cluster on screen. Fetched when the cluster is
// shown and again whenever its view's statusRevision moves; one request at a time (a 3,000-node
// document is 4 MB), the newest revision wins. Leaving the cluster drops the document.
import { untrack } from 'svelte'
import type { BridgeApi, ClusterStatusView } from '../../preload/contract.ts'

export class StatusDetails {
  clusterId = $state<string | null>(null)
  current = $state.raw<ClusterStatusView | null>(null)
  loading = $state(false)
  error = $state<string | null>(null)

  private api: BridgeApi | null = null
  private inFlight = false
  private wantedRevision = -1
  private holders = 0

  /** Show a cluster: fetch its document now; the returned cleanup lets it go. */
  open(api: BridgeApi, id: string): () => void {
    return untrack(() => {
      this.holders++
      if (this.clusterId !== id) {
        this.clusterId = id
        this.current = null
        this.error = null
        this.wantedRevision = -1
      }
      this.api = api
      this.fetch()
      return () => {
        this.holders--
        // A re-run of the same view (a new revision) re-opens at once; only a real leave clears.
        queueMicrotask(() => {
          if (this.holders === 0) {
            this.clusterId = null
            this.current = null
          }
        })
      }
    })
  }

  /** The cluster's view says a newer document exists. */
  revision(id: string, revision: number): void {
    untrack(() => {
      if (id !== this.clusterId || revision === this.wantedRevision) return
      this.wantedRevision = revision
      if (this.current?.revision !== revision) this.fetch()
    })
  }

  private fetch(): void {
    const api = this.api
    const id = this.clusterId
    if (!api || id === null) return
    if (this.inFlight) return // the finishing request checks whether it is still current
    this.inFlight = true
    this.loading = this.current === null
    api.getClusterStatus({ id }).then(
      (v) => {
        this.inFlight = false
        if (this.clusterId !== id) return this.fetch()
        this.current = v
        this.loading = false
        this.error = null
        if (v && this.wantedRevision > v.revision) this.fetch()
      },
      (err: Error) => {
        this.inFlight = false
        this.loading = false
        if (this.clusterId === id) this.error = err.message
        else this.fetch()
      }
    )
  }
}

export const details = new StatusDetails()
