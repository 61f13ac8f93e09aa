// The bridge contract over HTTP, for `scale-tray serve`: each command is `POST /bridge/<name>`
// with the request as JSON (same origin, so the HttpOnly session cookie goes along), pushes come
// over one shared EventSource. The server's CSP allows exactly this (connect-src 'self').
import {
  HTTP_PREFIX,
  SSE_PATH,
  type BridgeApi,
  type InvokeTypes,
  type PushEvent,
  type Snapshot
} from '../../preload/contract.ts'

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized'

/** The contract plus what only a network bridge has: connection state and resyncs. */
export interface HttpBridge extends BridgeApi {
  /** After the push stream reconnects, a fresh snapshot: pushes may have been missed meanwhile. */
  onResync(listener: (s: Snapshot) => void): () => void
  onConnection(listener: (s: ConnectionState) => void): () => void
  close(): void
}

export interface HttpBridgeOptions {
  /** Injected by tests. */
  fetch?: typeof fetch
  EventSource?: typeof EventSource
  /** First delay before reopening a stream the browser gave up on; doubles up to 30 s. */
  retryMs?: number
}

/** An error the server reported (`{error}`), with its HTTP status. */
export class BridgeError extends Error {
  readonly status: number
  constructor(message: string, status: number) {
    super(message)
    this.name = 'BridgeError'
    this.status = status
  }
}

export function createHttpBridge(origin: string, o: HttpBridgeOptions = {}): HttpBridge {
  const doFetch = o.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a))
  const ES = o.EventSource ?? globalThis.EventSource
  const baseRetry = o.retryMs ?? 1000
  const listeners = new Set<(e: PushEvent) => void>()
  const resyncs = new Set<(s: Snapshot) => void>()
  const connWatchers = new Set<(s: ConnectionState) => void>()
  let es: EventSource | null = null
  let reopenTimer: ReturnType<typeof setTimeout> | undefined
  let retry = baseRetry
  let lostSinceOpen = false
  let state: ConnectionState = 'connecting'

  const setState = (s: ConnectionState): void => {
    if (s === state) return
    state = s
    for (const fn of connWatchers) fn(s)
  }

  async function call<K extends keyof InvokeTypes>(
    name: K,
    req?: InvokeTypes[K]['req']
  ): Promise<InvokeTypes[K]['res']> {
    let res: Response
    try {
      res = await doFetch(`${origin}${HTTP_PREFIX}${name}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        // The server reads an empty body or `null` as "no request" (void channels).
        body: JSON.stringify(req ?? null)
      })
    } catch (err) {
      throw new Error(`scale-tray is not reachable (${(err as Error).message})`, { cause: err })
    }
    if (!res.ok) {
      if (res.status === 401) {
        setState('unauthorized')
        throw new BridgeError(
          'This dashboard session has ended: open the URL that scale-tray serve printed.',
          401
        )
      }
      let message = `${name} failed: HTTP ${res.status}`
      try {
        const body = (await res.json()) as { error?: unknown }
        if (typeof body.error === 'string') message = `${name} failed: ${body.error}`
      } catch {
        // Not JSON (a proxy's error page): the status line is all we can say.
      }
      throw new BridgeError(message, res.status)
    }
    return (await res.json()) as InvokeTypes[K]['res']
  }

  function resync(): void {
    if (resyncs.size === 0) return
    call('getSnapshot').then(
      (s) => {
        for (const fn of resyncs) fn(s)
      },
      () => {
        // The stream is back but the command failed: the next push or reconnect tries again.
        lostSinceOpen = true
      }
    )
  }

  function open(): void {
    if (es || !ES) return
    const source = new ES(`${origin}${SSE_PATH}`, { withCredentials: true })
    es = source
    source.onopen = () => {
      retry = baseRetry
      setState('open')
      if (lostSinceOpen) {
        lostSinceOpen = false
        resync()
      }
    }
    source.onmessage = (m: MessageEvent<string>) => {
      let e: PushEvent
      try {
        e = JSON.parse(m.data) as PushEvent
      } catch {
        // A frame we cannot read is dropped; the next snapshot or push carries the state again.
        return
      }
      for (const fn of listeners) fn(e)
    }
    source.onerror = () => {
      lostSinceOpen = true
      if (state !== 'unauthorized') setState('reconnecting')
      // CONNECTING: the browser retries by itself (the server asks for 2 s). CLOSED: it gave up
      // (an HTTP error such as 401 after a restart), so we reopen with a growing delay.
      if (source.readyState === ES.CLOSED) {
        source.close()
        es = null
        clearTimeout(reopenTimer)
        reopenTimer = setTimeout(() => {
          if (listeners.size > 0 || resyncs.size > 0) open()
        }, retry)
        retry = Math.min(retry * 2, 30_000)
      }
    }
  }

  function maybeClose(): void {
    if (listeners.size > 0 || resyncs.size > 0 || connWatchers.size > 0) return
    es?.close()
    es = null
    clearTimeout(reopenTimer)
  }

  const api: BridgeApi = {
    getSnapshot: () => call('getSnapshot'),
    getClusterStatus: (r) => call('getClusterStatus', r),
    getHistory: (r) => call('getHistory', r),
    refresh: (r) => call('refresh', r),
    addCluster: (r) => call('addCluster', r),
    updateCluster: (r) => call('updateCluster', r),
    removeCluster: (r) => call('removeCluster', r),
    setEnabled: (r) => call('setEnabled', r),
    testConnection: (r) => call('testConnection', r),
    acknowledge: (r) => call('acknowledge', r),
    snooze: (r) => call('snooze', r),
    mute: (r) => call('mute', r),
    setNotificationSettings: (r) => call('setNotificationSettings', r),
    testNotification: () => call('testNotification'),
    exportHistory: (r) => call('exportHistory', r),
    openExternal: (r) => call('openExternal', r),
    exportSettings: () => call('exportSettings'),
    importSettings: (r) => call('importSettings', r),
    setStartAtLogin: (r) => call('setStartAtLogin', r),
    onEvent(fn) {
      listeners.add(fn)
      open()
      return () => {
        listeners.delete(fn)
        maybeClose()
      }
    }
  }

  return {
    ...api,
    onResync(fn) {
      resyncs.add(fn)
      open()
      return () => {
        resyncs.delete(fn)
        maybeClose()
      }
    },
    onConnection(fn) {
      connWatchers.add(fn)
      fn(state)
      return () => {
        connWatchers.delete(fn)
        maybeClose()
      }
    },
    close() {
      listeners.clear()
      resyncs.clear()
      connWatchers.clear()
      maybeClose()
    }
  }
}

/** Whether a bridge is the HTTP one (it has connection state); the Electron one is always up. */
export function isHttpBridge(b: BridgeApi): b is HttpBridge {
  return typeof (b as Partial<HttpBridge>).onResync === 'function'
}
