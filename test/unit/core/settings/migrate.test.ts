import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  documentVersion,
  migrateSettings,
  needsMigration
} from '../../../../main/core/settings/migrate.ts'
import { FileSecretStore, MemorySecretStore } from '../../../../main/core/settings/secrets.ts'
import { openSettingsStore, secretsPathFor } from '../../../../main/core/settings/store.ts'

const posix = process.platform !== 'win32'
const NOW = new Date(2025, 5, 1, 9, 30, 0).getTime()
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-tray-migrate-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const V1 = {
  version: 1,
  clusters: [
    {
      name: 'prod',
      url: 'https://scale.prod.example/api',
      token: 'prod-token-0123456789',
      intervalMs: 15000,
      apiVersion: 'v7'
    },
    { name: 'lab', url: 'http://lab.example:8000/api', intervalMs: 200, enabled: false }
  ],
  notify: false,
  quietStart: '22:30',
  quietEnd: '06:45'
}

describe('migrating a version-1 settings file through the store', () => {
  function migrateFile() {
    const file = path.join(dir, 'settings.json')
    const original = `${JSON.stringify(V1, undefined, 2)}\n`
    fs.writeFileSync(file, original)
    const secrets = new FileSecretStore(secretsPathFor(file))
    const store = openSettingsStore({ file, secrets, now: () => NOW })
    return { file, original, secrets, store, result: store.load() }
  }

  it('moves the token into secrets.json and keeps it out of settings.json', () => {
    const { file, result } = migrateFile()
    const prod = result.settings.clusters[0]
    expect(prod?.auth).toEqual({ kind: 'token', secretRef: `cluster:${prod?.id}:auth` })
    const settingsText = fs.readFileSync(file, 'utf8')
    expect(settingsText).not.toContain('prod-token-0123456789')
    const secretsFile = JSON.parse(fs.readFileSync(secretsPathFor(file), 'utf8')) as {
      secrets: Record<string, string>
    }
    expect(secretsFile.secrets[`cluster:${prod?.id}:auth`]).toBe('prod-token-0123456789')
  })

  it.runIf(posix)('creates secrets.json with mode 0600', () => {
    const { file } = migrateFile()
    expect(fs.statSync(secretsPathFor(file)).mode & 0o777).toBe(0o600)
  })

  it('keeps the version-1 file, byte for byte and readable by the owner only, as <file>.v1-<time>', () => {
    const { file, original, result } = migrateFile()
    expect(result.backupPath).toBe(`${file}.v1-20250601-093000`)
    expect(fs.readFileSync(`${file}.v1-20250601-093000`, 'utf8')).toBe(original)
    if (posix) expect(fs.statSync(`${file}.v1-20250601-093000`).mode & 0o777).toBe(0o600)
  })

  it('converts every field of version 1 and rewrites the file as version 2', () => {
    const { file, result } = migrateFile()
    const [prod, lab] = result.settings.clusters
    expect(result.problems).toEqual([])
    expect(prod).toMatchObject({ name: 'prod', api: 'v7', intervalSec: 15, enabled: true })
    expect(lab).toMatchObject({ name: 'lab', api: 'v6', intervalSec: 1, enabled: false })
    expect(lab?.auth).toEqual({ kind: 'none' })
    expect(prod?.id).toMatch(UUID)
    expect(lab?.id).toMatch(UUID)
    expect(prod?.id).not.toBe(lab?.id)
    expect(result.settings.notifications.enabled).toBe(false)
    expect(result.settings.notifications.quietHours).toMatchObject({
      enabled: true,
      start: '22:30',
      end: '06:45'
    })
    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number }
    expect(onDisk.version).toBe(2)
  })

  it('reports what it did, naming the cluster whose token moved and where the old file is', () => {
    const { result } = migrateFile()
    expect(result.migrated?.from).toBe(1)
    const notes = result.migrated?.notes.join('\n') ?? ''
    expect(notes).toContain('moved the token of cluster "prod" into the secret store (file)')
    expect(notes).toContain('interval 200 ms became 1 s')
    expect(notes).toMatch(/still holds the tokens in plain text/)
    expect(notes).not.toContain('prod-token-0123456789')
  })

  it('migrates only once: the next load reads version 2 with the same ids and no backup', () => {
    const { file, secrets, result } = migrateFile()
    const again = openSettingsStore({ file, secrets, now: () => NOW + 1000 }).load()
    expect(again.migrated).toBeUndefined()
    expect(again.backupPath).toBeUndefined()
    expect(again.problems).toEqual([])
    expect(again.settings.clusters.map((c) => c.id)).toEqual(
      result.settings.clusters.map((c) => c.id)
    )
  })
})

describe('migrateSettings', () => {
  const ids = () => {
    let n = 0
    return () => `id-${++n}`
  }

  it('treats a document without a version as version 1', () => {
    const doc = { clusters: [{ name: 'a', url: 'https://a.example' }] }
    expect(documentVersion(doc)).toBe(1)
    expect(needsMigration(doc)).toBe(true)
    const out = migrateSettings(doc, { secrets: new MemorySecretStore(), newId: ids() })
    expect(out).toMatchObject({ from: 1, to: 2 })
    expect(out.document).toEqual({
      version: 2,
      clusters: [{ id: 'id-1', name: 'a', url: 'https://a.example' }]
    })
  })

  it('is pure apart from the secret store: the input document is left unchanged', () => {
    const doc = structuredClone(V1)
    const secrets = new MemorySecretStore()
    migrateSettings(doc, { secrets, newId: ids() })
    expect(doc).toEqual(V1)
    expect(secrets.get('cluster:id-1:auth')).toBe('prod-token-0123456789')
  })

  it('leaves a current or newer document alone', () => {
    const v2 = { version: 2, clusters: [] }
    expect(migrateSettings(v2, { secrets: new MemorySecretStore() })).toEqual({
      document: v2,
      from: 2,
      to: 2,
      notes: []
    })
    expect(needsMigration({ version: 3 })).toBe(false)
    expect(documentVersion({ version: 'two' })).toBeUndefined()
  })

  it('keeps the token out of the settings even when the secret store refuses it, and says so', () => {
    const readOnly = {
      kind: 'env',
      get: () => undefined,
      has: () => false,
      set: () => {
        throw new Error('read-only')
      },
      delete: () => undefined
    }
    const out = migrateSettings(
      { clusters: [{ name: 'a', url: 'https://a.example', token: 'tok-123456' }] },
      { secrets: readOnly, newId: ids() }
    )
    expect(JSON.stringify(out.document)).not.toContain('tok-123456')
    expect(out.notes[0]).toMatch(/could not move the token of cluster "a".*enter the token again/)
  })

  it('passes values it cannot convert on for the repair step, noting the interval it dropped', () => {
    const out = migrateSettings(
      { clusters: ['https://bare.example', { name: 'x', url: 'u', intervalMs: 'fast' }] },
      { secrets: new MemorySecretStore(), newId: ids() }
    )
    expect((out.document.clusters as unknown[])[0]).toBe('https://bare.example')
    expect(out.notes).toEqual([
      'cluster "x": intervalMs "fast" is not a number of milliseconds — the default interval is used'
    ])
  })
})
