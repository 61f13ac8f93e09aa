// App settings through electron-store (mocked with conf underneath, as electron-store is): built
// with SAFE_CONF_OPTIONS, so a damaged file is neither thrown on nor wiped, but copied aside and
// repaired by the same core store as headless.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SAFE_CONF_OPTIONS } from '../../../main/core/settings/store.ts'
import { MemorySecretStore } from '../../../main/core/settings/secrets.ts'
import { defaultSettings, makeCluster } from '../../../main/core/settings/schema.ts'
import type { FakeElectron } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())
const constructed: Record<string, unknown>[] = []
vi.mock('electron-store', async () => {
  const Conf = (await import('conf')).default
  const { ipcMain } = await import('electron')
  // What electron-store does: `name` becomes conf's configName under `cwd`, and a sync IPC
  // channel answers renderer-side stores.
  class Store extends Conf<Record<string, unknown>> {
    constructor(o: Record<string, unknown> & { name?: string }) {
      ipcMain.on('electron-store-get-data', () => undefined)
      constructed.push(o)
      const { name, ...rest } = o
      super({ ...rest, configName: name ?? 'config', projectVersion: '0.1.0' })
    }
  }
  return { default: Store }
})

const electron = (await import('electron')) as unknown as FakeElectron
const { openAppSettings } = await import('../../../main/electron/settings.ts')

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scale-tray-settings-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('app settings', () => {
  it('builds electron-store with SAFE_CONF_OPTIONS, in settings.json under userData', () => {
    const store = openAppSettings(dir, new MemorySecretStore())
    expect(constructed.at(-1)).toMatchObject({ ...SAFE_CONF_OPTIONS, name: 'settings', cwd: dir })
    expect(store.path).toBe(join(dir, 'settings.json'))
  })

  it("removes electron-store's unchecked renderer channel", () => {
    openAppSettings(dir, new MemorySecretStore())
    expect(electron.ipcMain.listenerCount('electron-store-get-data')).toBe(0)
  })

  it('saves and loads the same document as headless', () => {
    const store = openAppSettings(dir, new MemorySecretStore())
    const s = {
      ...defaultSettings(),
      clusters: [makeCluster({ id: 'a', name: 'prod', url: 'https://prod.example/api' })]
    }
    store.save(s)
    expect(openAppSettings(dir, new MemorySecretStore()).load()).toMatchObject({
      settings: s,
      problems: []
    })
  })

  it('never throws on or wipes a damaged file: it is copied aside and repaired', () => {
    const file = join(dir, 'settings.json')
    const damaged =
      '{"version":2,"clusters":[{"id":"a","name":"prod","url":"https://prod.example/api"},{"id":"b","na'
    writeFileSync(file, damaged)
    const store = openAppSettings(dir, new MemorySecretStore())
    expect(readFileSync(file, 'utf8')).toBe(damaged) // constructing the store left it alone
    const loaded = store.load()
    expect(loaded.settings.clusters[0]?.name).toBe('prod') // what could be read is kept
    expect(loaded.problems.length).toBeGreaterThan(0)
    expect(loaded.backupPath).toBeDefined()
    expect(readFileSync(loaded.backupPath as string, 'utf8')).toBe(damaged)
    expect(readdirSync(dir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true)
  })
})
