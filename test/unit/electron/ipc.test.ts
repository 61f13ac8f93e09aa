// The IPC face of the bridge with electron mocked and the real controller and monitor behind it:
// a foreign sender or a malformed payload never reaches the controller; a good request does.
import { describe, expect, it, vi } from 'vitest'
import type { WebContents } from 'electron'
import { Controller, type Platform } from '../../../main/core/app/controller.ts'
import { FakeClock } from '../../../main/core/monitor/clock.ts'
import { Monitor } from '../../../main/core/monitor/monitor.ts'
import { MemorySecretStore } from '../../../main/core/settings/secrets.ts'
import { Invoke, Push } from '../../../preload/contract.ts'
import { scripted, settingsWith } from '../../helpers/scripted.ts'
import { FakeIpcMain, FakeWebContents } from './fake-electron.ts'
import type { IpcOptions } from '../../../main/electron/ipc.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())

const { registerIpc, relayPushes, RejectedRequest } = await import('../../../main/electron/ipc.ts')

function setup() {
  const clock = new FakeClock()
  const settings = settingsWith(['prod', 'lab'])
  const script = scripted(clock, { prod: 'ok', lab: 'ok' })
  const monitor = new Monitor({ settings, read: script.reader, clock, random: () => 0.5 })
  const openExternal = vi.fn((_url: string) => Promise.resolve({ ok: true as const, value: null }))
  const platform: Platform = {
    mode: 'electron',
    version: '0.1.0',
    notificationsSupported: true,
    showTestNotification: () => Promise.resolve({ shown: true, detail: 'shown' }),
    openExternal
  }
  const controller = new Controller({
    monitor,
    secrets: new MemorySecretStore(),
    settings,
    readerFor: () => script.reader,
    platform,
    now: () => clock.now()
  })
  const ipcMain = new FakeIpcMain()
  const onSnapshot = vi.fn()
  const log = vi.fn()
  const unregister = registerIpc({
    ipcMain: ipcMain as unknown as IpcOptions['ipcMain'],
    controller,
    onSnapshot,
    log
  })
  return { ipcMain, controller, monitor, openExternal, onSnapshot, log, unregister }
}

const APP = { url: 'app://bundle/index.html', parent: null }

describe('IPC handlers', () => {
  it('registers one handler per contract channel, and removes them', () => {
    const t = setup()
    expect([...t.ipcMain.handlers.keys()].sort()).toEqual(Object.values(Invoke).sort())
    t.unregister()
    expect(t.ipcMain.handlers.size).toBe(0)
  })

  it('answers a good request from the app page', async () => {
    const t = setup()
    const snap = (await t.ipcMain.invoke(Invoke.getSnapshot, undefined, APP)) as {
      app: { mode: string }
      clusters: unknown[]
    }
    expect(snap.app.mode).toBe('electron')
    expect(snap.clusters).toHaveLength(2)
    const refresh = vi.spyOn(t.monitor, 'refresh')
    expect(await t.ipcMain.invoke(Invoke.refresh, { id: 'prod' }, APP)).toEqual({
      ok: true,
      value: null
    })
    expect(refresh).toHaveBeenCalledWith('prod')
  })

  it.each([
    ['a web page', { url: 'https://evil.example/', parent: null }],
    ['a file:// page', { url: 'file:///tmp/index.html', parent: null }],
    ['a subframe of the app', { url: 'app://bundle/index.html', parent: APP }],
    ['a frame that navigated away and is gone', null]
  ] as const)(
    'rejects a request from %s before it reaches the controller',
    async (_what, frame) => {
      const t = setup()
      const refresh = vi.spyOn(t.controller, 'refresh')
      const snooze = vi.spyOn(t.controller, 'snooze')
      await expect(t.ipcMain.invoke(Invoke.refresh, { id: 'prod' }, frame)).rejects.toThrow(
        RejectedRequest
      )
      await expect(t.ipcMain.invoke(Invoke.snooze, { until: null }, frame)).rejects.toThrow(
        /rejected notify:snooze/
      )
      expect(refresh).not.toHaveBeenCalled()
      expect(snooze).not.toHaveBeenCalled()
      expect(t.log).toHaveBeenCalledWith(expect.stringMatching(/^refused cluster:refresh from /))
    }
  )

  it.each([
    ['a wrong type', Invoke.refresh, { id: 42 }],
    ['an unknown field', Invoke.refresh, { id: 'prod', extra: true }],
    ['a missing field', Invoke.setEnabled, { id: 'prod' }],
    ['not an object', Invoke.removeCluster, 'prod'],
    [
      'a prototype trick',
      Invoke.mute,
      JSON.parse('{"id":"prod","muted":true,"__proto__":{"x":1}}') as unknown
    ],
    ['a body on a void channel', Invoke.getSnapshot, { all: true }],
    [
      'an oversized secret',
      Invoke.addCluster,
      { name: 'x', url: 'https://x.example/api', secret: 'a'.repeat(20_000) }
    ]
  ] as const)(
    'rejects a malformed payload (%s) before it reaches the controller',
    async (_what, channel, payload) => {
      const t = setup()
      const spies = (
        ['refresh', 'setEnabled', 'removeCluster', 'mute', 'getSnapshot', 'addCluster'] as const
      ).map((k) => vi.spyOn(t.controller, k))
      await expect(t.ipcMain.invoke(channel, payload, APP)).rejects.toThrow(/^bad \w+ request/)
      for (const s of spies) expect(s).not.toHaveBeenCalled()
    }
  )

  it('validates, then calls the controller with the parsed request', async () => {
    const t = setup()
    const open = await t.ipcMain.invoke(Invoke.openExternal, { url: 'https://evil.example/' }, APP)
    expect(open).toEqual({
      ok: false,
      error: expect.stringMatching(/only links to your clusters/) as unknown
    })
    expect(t.openExternal).not.toHaveBeenCalled()
    await t.ipcMain.invoke(Invoke.openExternal, { url: 'http://prod.scale.test/jobs' }, APP)
    expect(t.openExternal).toHaveBeenCalledWith('http://prod.scale.test/jobs')
  })

  it('tells the window manager when a page has fetched its snapshot', async () => {
    const t = setup()
    const sender = { id: 7 }
    await t.ipcMain.invoke(Invoke.refresh, {}, APP, sender)
    expect(t.onSnapshot).not.toHaveBeenCalled()
    await t.ipcMain.invoke(Invoke.getSnapshot, undefined, APP, sender)
    expect(t.onSnapshot).toHaveBeenCalledWith(sender)
  })
})

describe('pushes', () => {
  it('relays controller events to the live window only', () => {
    const t = setup()
    const wc = new FakeWebContents()
    let target: FakeWebContents | undefined = wc
    const stop = relayPushes(t.controller, () => target as unknown as WebContents | undefined)
    t.controller.navigate('prod')
    expect(wc.send).toHaveBeenCalledWith(Push.event, {
      type: 'navigate',
      clusterId: 'prod',
      view: undefined
    })
    wc.destroyed = true
    t.controller.navigate('lab')
    target = undefined
    t.controller.navigate(null)
    expect(wc.send).toHaveBeenCalledTimes(1)
    stop()
  })
})
