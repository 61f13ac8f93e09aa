// A fake bridge for component tests: every command is a vi.fn resolving to a harmless answer;
// tests override the ones they care about and push events by hand.
import { vi, type Mock } from 'vitest'
import type { BridgeApi, PushEvent } from '../../../preload/contract.ts'

export type FakeBridge = { [K in keyof BridgeApi]: Mock<BridgeApi[K]> } & {
  emit(e: PushEvent): void
}

export function fakeBridge(overrides: Partial<BridgeApi> = {}): FakeBridge {
  const listeners = new Set<(e: PushEvent) => void>()
  const okNull = () => Promise.resolve({ ok: true as const, value: null })
  const base = {
    getSnapshot: vi.fn(() => Promise.reject(new Error('no snapshot in this test'))),
    getClusterStatus: vi.fn(() => Promise.resolve(null)),
    getHistory: vi.fn(() => Promise.resolve({ changes: [], samples: [], episodes: [] })),
    refresh: vi.fn(okNull),
    addCluster: vi.fn(() => Promise.resolve({ ok: false as const, error: 'not set up' })),
    updateCluster: vi.fn(() => Promise.resolve({ ok: false as const, error: 'not set up' })),
    removeCluster: vi.fn(okNull),
    setEnabled: vi.fn(okNull),
    testConnection: vi.fn(() => Promise.resolve({ ok: false as const, error: 'not set up' })),
    acknowledge: vi.fn(okNull),
    snooze: vi.fn(okNull),
    mute: vi.fn(okNull),
    setNotificationSettings: vi.fn(() =>
      Promise.resolve({ ok: false as const, error: 'not set up' })
    ),
    testNotification: vi.fn(() =>
      Promise.resolve({ ok: true as const, value: { shown: true, detail: 'fake' } })
    ),
    exportHistory: vi.fn(() =>
      Promise.resolve({ ok: true as const, value: { filename: 'h.json', content: '{}' } })
    ),
    openExternal: vi.fn(okNull),
    exportSettings: vi.fn(() => Promise.resolve({ filename: 's.json', content: '{}' })),
    importSettings: vi.fn(() =>
      Promise.resolve({
        ok: true as const,
        value: { added: [], replaced: [], skipped: [], needCredentials: [], notes: [] }
      })
    ),
    setStartAtLogin: vi.fn(() => Promise.resolve({ ok: true as const, value: null })),
    onEvent: vi.fn((fn: (e: PushEvent) => void) => {
      listeners.add(fn)
      return () => listeners.delete(fn)
    })
  }
  for (const [k, v] of Object.entries(overrides)) (base as Record<string, unknown>)[k] = vi.fn(v)
  return Object.assign(base, { emit: (e: PushEvent) => listeners.forEach((fn) => fn(e)) })
}
