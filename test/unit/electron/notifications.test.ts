// Notifications with electron mocked: the monitor's notification becomes a system notification
// with its title and body, kept referenced until closed; a click opens the right cluster; no
// support or a `failed` event falls back; the test notification reports what really happened.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TrayNotification } from '../../../main/core/monitor/types.ts'
import { FakeNotification } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())

const { Notifier, MAX_LIVE_NOTIFICATIONS } = await import('../../../main/electron/notifications.ts')

function note(over: Partial<TrayNotification> = {}): TrayNotification {
  return {
    id: 'n1',
    at: 0,
    kind: 'degraded',
    title: 'prod is critical',
    body: 'Scheduler stopped 2 min ago',
    level: 'critical',
    previous: 'ok',
    clusters: [
      { id: 'prod', name: 'prod', level: 'critical', previous: 'ok', reason: 'Scheduler stopped' }
    ],
    open: { clusterId: 'prod' },
    ...over
  }
}

function setup() {
  const onClick = vi.fn()
  const onFallback = vi.fn()
  const notifier = new Notifier({
    onClick,
    onFallback,
    iconFor: (l) => `/icons/${l}.png`,
    testTimeoutMs: 50
  })
  return { notifier, onClick, onFallback }
}

afterEach(() => {
  FakeNotification.supported = true
})

describe('notifications', () => {
  it('shows the monitor notification with its title, body and icon', () => {
    const t = setup()
    expect(t.notifier.show(note())).toBe(true)
    const n = FakeNotification.instances.at(-1) as FakeNotification
    expect(n.options).toMatchObject({
      id: 'n1',
      title: 'prod is critical',
      body: 'Scheduler stopped 2 min ago',
      icon: '/icons/critical.png',
      urgency: 'critical'
    })
    expect(n.show).toHaveBeenCalledTimes(1)
    expect(t.onFallback).not.toHaveBeenCalled()
  })

  it('opens the window on the cluster concerned when clicked', () => {
    const t = setup()
    t.notifier.show(note())
    ;(FakeNotification.instances.at(-1) as FakeNotification).emit('click', {})
    expect(t.onClick).toHaveBeenCalledWith({ clusterId: 'prod' })
  })

  it('opens the overview for a grouped notification', () => {
    const t = setup()
    t.notifier.show(
      note({ id: 'g', title: '3 clusters degraded', open: { clusterId: null }, level: 'warning' })
    )
    const n = FakeNotification.instances.at(-1) as FakeNotification
    expect(n.options.urgency).toBe('normal')
    n.emit('click', {})
    expect(t.onClick).toHaveBeenCalledWith({ clusterId: null })
  })

  it('keeps shown notifications referenced until closed or clicked, at most a cap', () => {
    const t = setup()
    t.notifier.show(note({ id: 'a' }))
    t.notifier.show(note({ id: 'b' }))
    expect(t.notifier.liveCount()).toBe(2)
    ;(FakeNotification.instances.at(-1) as FakeNotification).emit('close', {})
    expect(t.notifier.liveCount()).toBe(1)
    ;(FakeNotification.instances.at(-2) as FakeNotification).emit('click', {})
    expect(t.notifier.liveCount()).toBe(0)
    for (let i = 0; i < MAX_LIVE_NOTIFICATIONS + 5; i++) t.notifier.show(note({ id: `n${i}` }))
    expect(t.notifier.liveCount()).toBe(MAX_LIVE_NOTIFICATIONS)
  })

  it('falls back when the system has no notifications', () => {
    const t = setup()
    FakeNotification.supported = false
    const before = FakeNotification.instances.length
    expect(t.notifier.show(note())).toBe(false)
    expect(FakeNotification.instances.length).toBe(before)
    expect(t.onFallback).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'n1' }),
      expect.stringMatching(/not supported/)
    )
  })

  it('falls back when the system refuses one (failed)', () => {
    const t = setup()
    t.notifier.show(note())
    ;(FakeNotification.instances.at(-1) as FakeNotification).emit(
      'failed',
      {},
      'Toast notifications are disabled'
    )
    expect(t.onFallback).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'n1' }),
      expect.stringMatching(/Toast notifications are disabled/)
    )
    expect(t.notifier.liveCount()).toBe(0)
  })
})

describe('the test notification', () => {
  const test = note({
    id: 't',
    kind: 'test',
    title: 'Scale Tray test notification',
    level: 'ok',
    open: { clusterId: null }
  })

  it('reports shown when the system shows it', async () => {
    const t = setup()
    const result = t.notifier.test(test)
    ;(FakeNotification.instances.at(-1) as FakeNotification).emit('show', {})
    await expect(result).resolves.toEqual({
      shown: true,
      detail: expect.stringMatching(/showed/) as unknown
    })
  })

  it('reports the system refusal, and falls back', async () => {
    const t = setup()
    const result = t.notifier.test(test)
    ;(FakeNotification.instances.at(-1) as FakeNotification).emit('failed', {}, 'not authorised')
    await expect(result).resolves.toEqual({
      shown: false,
      detail: 'The system refused it: not authorised'
    })
    expect(t.onFallback).toHaveBeenCalled()
  })

  it('reports no support without trying', async () => {
    const t = setup()
    FakeNotification.supported = false
    await expect(t.notifier.test(test)).resolves.toMatchObject({
      shown: false,
      detail: expect.stringMatching(/does not support/) as unknown
    })
  })

  it('says when the system never confirmed', async () => {
    const t = setup()
    await expect(t.notifier.test(test)).resolves.toMatchObject({
      shown: false,
      detail: expect.stringMatching(/did not confirm/) as unknown
    })
  })
})
