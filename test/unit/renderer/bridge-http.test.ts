import { describe, expect, it, vi } from 'vitest'
import type { PushEvent, Snapshot } from '../../../preload/contract.ts'
import { BridgeError, createHttpBridge, type ConnectionState } from '../../../renderer/lib/bridge-http.ts'

/** A scriptable EventSource: tests open, message, fail and close it. */
class FakeSource {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2
  static all: FakeSource[] = []
  readyState = FakeSource.CONNECTING
  onopen: (() => void) | null = null
  onmessage: ((m: { data: string }) => void) | null = null
  onerror: (() => void) | null = null
  constructor(
    readonly url: string,
    readonly init?: EventSourceInit
  ) {
    FakeSource.all.push(this)
  }
  open(): void {
    this.readyState = FakeSource.OPEN
    this.onopen?.()
  }
  push(e: PushEvent | string): void {
    this.onmessage?.({ data: typeof e === 'string' ? e : JSON.stringify(e) })
  }
  fail(closed: boolean): void {
    this.readyState = closed ? FakeSource.CLOSED : FakeSource.CONNECTING
    this.onerror?.()
  }
  close(): void {
    this.readyState = FakeSource.CLOSED
  }
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

function setup(handler: (url: string, init: RequestInit) => Response = () => json(200, { ok: true, value: null })) {
  FakeSource.all = []
  const calls: { url: string; init: RequestInit }[] = []
  const fetch = vi.fn((url: string, init?: RequestInit) => {
    calls.push({ url, init: init ?? {} })
    return Promise.resolve(handler(url, init ?? {}))
  })
  const b = createHttpBridge('http://127.0.0.1:9', { fetch: fetch as unknown as typeof globalThis.fetch, EventSource: FakeSource as unknown as typeof EventSource, retryMs: 5 })
  return { b, calls }
}

describe('the HTTP bridge', () => {
  it('POSTs each command as JSON to /bridge/<name>, void commands with a null body', async () => {
    const { b, calls } = setup()
    await b.acknowledge({ clusterId: 'c1', findingId: 'nodes.degraded', ack: true })
    await b.testNotification()
    expect(calls[0]?.url).toBe('http://127.0.0.1:9/bridge/acknowledge')
    expect(calls[0]?.init.method).toBe('POST')
    expect(calls[0]?.init.credentials).toBe('same-origin')
    expect(new Headers(calls[0]?.init.headers).get('content-type')).toBe('application/json')
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ clusterId: 'c1', findingId: 'nodes.degraded', ack: true })
    expect(calls[1]?.url).toBe('http://127.0.0.1:9/bridge/testNotification')
    expect(calls[1]?.init.body).toBe('null')
  })

  it('throws the server’s error text on a non-2xx answer', async () => {
    const { b } = setup(() => json(400, { error: 'bad refresh request: id: Too small' }))
    await expect(b.refresh({ id: '' })).rejects.toThrow(/refresh failed: bad refresh request: id: Too small/)
    await expect(b.refresh({ id: '' })).rejects.toBeInstanceOf(BridgeError)
  })

  it('reports an ended session (401) as unauthorized', async () => {
    const { b } = setup(() => new Response('Open the dashboard with the URL', { status: 401 }))
    const states: ConnectionState[] = []
    b.onConnection((s) => states.push(s))
    await expect(b.getSnapshot()).rejects.toThrow(/session has ended/)
    expect(states.at(-1)).toBe('unauthorized')
  })

  it('shares one EventSource between listeners and delivers each push to all', () => {
    const { b } = setup()
    const a: PushEvent[] = []
    const c: PushEvent[] = []
    const offA = b.onEvent((e) => a.push(e))
    b.onEvent((e) => c.push(e))
    expect(FakeSource.all).toHaveLength(1)
    expect(FakeSource.all[0]?.url).toBe('http://127.0.0.1:9/bridge/events')
    FakeSource.all[0]?.open()
    FakeSource.all[0]?.push({ type: 'removed', id: 'x' })
    FakeSource.all[0]?.push('not json')
    offA()
    FakeSource.all[0]?.push({ type: 'removed', id: 'y' })
    expect(a).toEqual([{ type: 'removed', id: 'x' }])
    expect(c).toEqual([{ type: 'removed', id: 'x' }, { type: 'removed', id: 'y' }])
  })

  it('after the stream drops and comes back, fetches a fresh snapshot for resync', async () => {
    const snap = { clusters: [], serverTime: 1 } as unknown as Snapshot
    const { b, calls } = setup((url) => (url.endsWith('/getSnapshot') ? json(200, snap) : json(200, null)))
    const resynced: Snapshot[] = []
    const states: ConnectionState[] = []
    b.onEvent(() => {})
    b.onResync((s) => resynced.push(s))
    b.onConnection((s) => states.push(s))
    const first = FakeSource.all[0] as FakeSource
    first.open()
    expect(resynced).toHaveLength(0) // the first open is not a resync
    first.fail(false) // the browser retries by itself
    first.open()
    await vi.waitFor(() => expect(resynced).toEqual([snap]))
    expect(calls.filter((c) => c.url.endsWith('/getSnapshot'))).toHaveLength(1)
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open'])
  })

  it('reopens a stream the browser gave up on, with a new EventSource', async () => {
    const { b } = setup()
    b.onEvent(() => {})
    const first = FakeSource.all[0] as FakeSource
    first.fail(true)
    await vi.waitFor(() => expect(FakeSource.all).toHaveLength(2))
    expect(first.readyState).toBe(FakeSource.CLOSED)
  })
})
