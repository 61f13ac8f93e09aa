// The preload with electron mocked: it exposes exactly the contract's named functions as
// `window.api`, each invoking its channel with the request only; pushes arrive without the IPC
// event; nothing of ipcRenderer leaks to the page.
import { describe, expect, it, vi } from 'vitest'
import { Invoke, Push, type BridgeApi, type PushEvent } from '../../../preload/contract.ts'
import type { FakeElectron } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())

const electron = (await import('electron')) as unknown as FakeElectron
await import('../../../preload/index.ts')
const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as [string, BridgeApi]

describe('the preload', () => {
  it('exposes window.api with the contract functions and onEvent, nothing else', () => {
    expect(name).toBe('api')
    expect(Object.keys(api).sort()).toEqual([...Object.keys(Invoke), 'onEvent'].sort())
    for (const [k, v] of Object.entries(api)) expect(typeof v, k).toBe('function')
    expect(Object.values(api)).not.toContain(electron.ipcRenderer)
  })

  it('invokes each channel with the request and nothing more', async () => {
    const invoke = electron.ipcRenderer.invoke
    const extra = api.getSnapshot as unknown as (...a: unknown[]) => Promise<unknown>
    await extra({ sneaky: true }, 'more')
    expect(invoke).toHaveBeenLastCalledWith(Invoke.getSnapshot, undefined)
    await api.refresh({ id: 'prod' })
    expect(invoke).toHaveBeenLastCalledWith(Invoke.refresh, { id: 'prod' })
    await api.snooze({ until: null })
    expect(invoke).toHaveBeenLastCalledWith(Invoke.snooze, { until: null })
    await api.testNotification()
    expect(invoke).toHaveBeenLastCalledWith(Invoke.testNotification, undefined)
    const all = Object.keys(Invoke) as (keyof typeof Invoke)[]
    for (const k of all) {
      await (api[k] as (r?: unknown) => Promise<unknown>)({ probe: k })
      expect(invoke.mock.lastCall?.[0], k).toBe(Invoke[k])
    }
  })

  it('relays pushes without the IPC event, and unsubscribes', () => {
    const seen: unknown[][] = []
    const off = api.onEvent((...args: unknown[]) => seen.push(args))
    const e: PushEvent = { type: 'navigate', clusterId: 'prod' }
    const ipcEvent = { sender: 'ipcRenderer', ports: [] }
    electron.ipcRenderer.emit(Push.event, ipcEvent, e)
    expect(seen).toEqual([[e]])
    off()
    electron.ipcRenderer.emit(Push.event, ipcEvent, e)
    expect(seen).toHaveLength(1)
    expect(electron.ipcRenderer.listenerCount(Push.event)).toBe(0)
  })
})
