import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultSettings, makeCluster } from '../../../../main/core/settings/schema.ts'
import {
  FileSecretStore,
  MemorySecretStore,
  secretRef
} from '../../../../main/core/settings/secrets.ts'
import {
  PLACEHOLDER_URL,
  SAFE_CONF_OPTIONS,
  describeProblem,
  openSettingsStore,
  salvageJson,
  secretsPathFor,
  settingsStoreFrom,
  type LoadResult
} from '../../../../main/core/settings/store.ts'

const NOW = new Date(2025, 2, 4, 5, 6, 7).getTime()
const STAMP = '20250304-050607'

let dir: string
let file: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-tray-store-'))
  file = path.join(dir, 'settings.json')
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const open = (f = file) =>
  openSettingsStore({ file: f, secrets: new MemorySecretStore(), now: () => NOW })
const lines = (r: LoadResult) => r.problems.map(describeProblem)
const cluster = (i: number) => ({
  id: `00000000-0000-4000-8000-00000000000${i}`,
  name: `cluster-${i}`,
  url: `https://scale-${i}.example/api`,
  intervalSec: 10 + i
})

describe('loading and saving', () => {
  it('reads a missing file as the defaults, with no problems and no backup', () => {
    const r = open().load()
    expect(r).toEqual({ settings: defaultSettings(), problems: [] })
    expect(fs.existsSync(file)).toBe(false)
  })

  it('saves the whole document as pretty JSON and reads it back unchanged', () => {
    const store = open()
    const settings = {
      ...defaultSettings(),
      clusters: [makeCluster(cluster(1))],
      startAtLogin: true
    }
    store.save(settings)
    const text = fs.readFileSync(file, 'utf8')
    expect(text.split('\n').length).toBeGreaterThan(10)
    expect(JSON.parse(text)).toEqual(settings)
    expect(open().load()).toEqual({ settings, problems: [] })
  })

  it('writes atomically: each save replaces the file by rename and leaves no temp file', () => {
    const store = open()
    store.save(defaultSettings())
    const before = fs.statSync(file).ino
    store.save({ ...defaultSettings(), clusters: [makeCluster(cluster(1))] })
    // A new inode means a new file was renamed into place; the old one was never truncated.
    expect(fs.statSync(file).ino).not.toBe(before)
    expect(fs.readdirSync(dir)).toEqual(['settings.json'])
    expect(open().load().settings.clusters).toHaveLength(1)
  })

  it('rejects an invalid document on save and leaves the file as it was', () => {
    const store = open()
    store.save(defaultSettings())
    const before = fs.readFileSync(file, 'utf8')
    const bad = { ...defaultSettings(), confirmPolls: 0 }
    expect(() => store.save(bad)).toThrow()
    expect(fs.readFileSync(file, 'utf8')).toBe(before)
  })

  it('never writes a secret into the settings file', () => {
    const secrets = new FileSecretStore(secretsPathFor(file))
    const store = openSettingsStore({ file, secrets })
    const c = makeCluster({
      ...cluster(1),
      auth: { kind: 'token', secretRef: secretRef(cluster(1).id) }
    })
    secrets.set(secretRef(c.id), 'TOKEN-d41d8cd98f00b204')
    // Even a stray secret-looking field handed to save() is not written.
    store.save({
      ...defaultSettings(),
      clusters: [{ ...c, token: 'TOKEN-d41d8cd98f00b204' } as typeof c]
    })
    expect(fs.readFileSync(file, 'utf8')).not.toContain('TOKEN-d41d8cd98f00b204')
    expect(fs.readFileSync(secretsPathFor(file), 'utf8')).toContain('TOKEN-d41d8cd98f00b204')
  })

  it('uses --config FILE as given: any name, with or without an extension', () => {
    for (const name of ['my.conf', 'scale-tray', '.scaletrayrc', 'nested/dir/settings.json']) {
      const f = path.join(dir, name)
      const store = open(f)
      expect(store.path).toBe(f)
      store.save(defaultSettings())
      expect(JSON.parse(fs.readFileSync(f, 'utf8'))).toEqual(defaultSettings())
    }
  })

  it.runIf(process.platform === 'linux')(
    'defaults to settings.json in the OS config folder for scale-tray',
    () => {
      const saved = process.env.XDG_CONFIG_HOME
      process.env.XDG_CONFIG_HOME = dir
      try {
        const store = openSettingsStore({ secrets: new MemorySecretStore() })
        expect(store.path).toBe(path.join(dir, 'scale-tray', 'settings.json'))
      } finally {
        if (saved === undefined) delete process.env.XDG_CONFIG_HOME
        else process.env.XDG_CONFIG_HOME = saved
      }
    }
  )

  it('works over an existing conf instance (what the app passes from electron-store)', () => {
    const conf = new Conf<Record<string, unknown>>({
      ...SAFE_CONF_OPTIONS,
      cwd: dir,
      configName: 'app-settings'
    })
    const store = settingsStoreFrom(conf, new MemorySecretStore())
    const settings = { ...defaultSettings(), clusters: [makeCluster(cluster(2))] }
    store.save(settings)
    expect(store.path).toBe(path.join(dir, 'app-settings.json'))
    expect(store.load()).toEqual({ settings, problems: [] })
  })
})

describe('a file that is not valid JSON', () => {
  const five = JSON.stringify(
    { version: 2, clusters: [1, 2, 3, 4, 5].map(cluster), startAtLogin: true },
    undefined,
    2
  )
  // Cut off mid-write in the 5th cluster, after its name.
  const truncated = five.slice(0, five.indexOf('"url": "https://scale-5'))

  it('is copied aside byte for byte before anything else happens', () => {
    fs.writeFileSync(file, truncated)
    const store = open()
    // Opening the store (conf's constructor) must not touch a damaged file.
    expect(fs.readFileSync(file, 'utf8')).toBe(truncated)
    const r = store.load()
    expect(r.backupPath).toBe(`${file}.corrupt-${STAMP}`)
    expect(fs.readFileSync(`${file}.corrupt-${STAMP}`, 'utf8')).toBe(truncated)
  })

  it('keeps every readable cluster when cut off in the 5th, and says what happened to the 5th', () => {
    fs.writeFileSync(file, truncated)
    const r = open().load()
    const names = r.settings.clusters.map((c) => c.name)
    expect(names).toEqual(['cluster-1', 'cluster-2', 'cluster-3', 'cluster-4', 'cluster-5'])
    expect(r.settings.clusters.slice(0, 4)).toEqual(
      [1, 2, 3, 4].map((i) => makeCluster(cluster(i)))
    )
    // The 5th: what was read before the cut, disabled until checked.
    expect(r.settings.clusters[4]).toMatchObject({
      id: cluster(5).id,
      url: PLACEHOLDER_URL,
      enabled: false
    })
    expect(r.settings.startAtLogin).toBe(false) // came after the cut: default
    const text = lines(r).join('\n')
    expect(text).toMatch(/^the file is not valid JSON: it ends early/)
    expect(text).toContain(
      'clusters[4]: the file ends inside this entry — kept what could be read (id, name)'
    )
    expect(text).toContain(
      'clusters[4].enabled: the cluster could only be read in part — disabled it'
    )
  })

  it('reports a cluster cut off before any of its fields as not recoverable', () => {
    const cut = five.slice(0, five.indexOf('"id": "00000000-0000-4000-8000-000000000005"'))
    fs.writeFileSync(file, cut)
    const r = open().load()
    expect(r.settings.clusters).toHaveLength(4)
    expect(lines(r)).toContain(
      'clusters[4]: the file ends inside this entry before any of it could be read — it could not be recovered; add it again (the backup holds what remained)'
    )
  })

  it('saves the repaired document back, which then loads without problems', () => {
    fs.writeFileSync(file, truncated)
    const first = open().load()
    const second = open().load()
    expect(second).toEqual({ settings: first.settings, problems: [] })
  })

  it('never overwrites an earlier backup: a second repair in the same second gets a counter', () => {
    fs.writeFileSync(file, truncated)
    open().load()
    fs.writeFileSync(file, '{"version": 2, "clusters": [')
    const r = open().load()
    expect(r.backupPath).toBe(`${file}.corrupt-${STAMP}-2`)
    expect(fs.readFileSync(`${file}.corrupt-${STAMP}`, 'utf8')).toBe(truncated)
  })

  it('reads a file with comments and trailing commas, and rewrites it as strict JSON', () => {
    const text = `{
      // written by hand
      "version": 2,
      "clusters": [
        { "id": "c1", "name": "one", "url": "https://one.example/api", }, /* the lab */
        { "id": "c2", "name": "two // not a comment", "url": "https://two.example/api" },
      ],
    }`
    fs.writeFileSync(file, text)
    const r = open().load()
    expect(r.settings.clusters.map((c) => c.name)).toEqual(['one', 'two // not a comment'])
    expect(lines(r)).toEqual([
      'the file is not strict JSON (it has comments or trailing commas) — read it anyway and rewrote it as strict JSON (comments are not kept)'
    ])
    expect(() => JSON.parse(fs.readFileSync(file, 'utf8')) as unknown).not.toThrow()
  })

  it('skips a stray character and keeps the clusters on either side of it', () => {
    const text = five.replace('"name": "cluster-3"', '"name": "cluster-3" x')
    fs.writeFileSync(file, text)
    const r = open().load()
    expect(r.settings.clusters.map((c) => c.name)).toEqual([
      'cluster-1',
      'cluster-2',
      'cluster-3',
      'cluster-4',
      'cluster-5'
    ])
    expect(r.settings.clusters[2]?.enabled).toBe(false) // damaged: kept, but to be checked
    expect(r.settings.startAtLogin).toBe(true)
    expect(lines(r).join('\n')).toMatch(/clusters\[2\]: unreadable text at line \d+/)
  })

  it('starts from the defaults for an empty file, and says so', () => {
    fs.writeFileSync(file, '')
    const r = open().load()
    expect(r.settings).toEqual(defaultSettings())
    expect(lines(r)).toEqual(['the file is empty — started from the defaults'])
    expect(r.backupPath).toBe(`${file}.corrupt-${STAMP}`)
  })

  it('finds a clusters list even when the file does not start as an object', () => {
    fs.writeFileSync(
      file,
      `garbage "clusters": [${JSON.stringify(cluster(1))}, {"name": "half", "url": "https://ha`
    )
    const r = open().load()
    expect(r.settings.clusters.map((c) => c.name)).toEqual(['cluster-1', 'half'])
  })
})

describe('a file that fails the schema', () => {
  function loadDoc(doc: unknown): LoadResult {
    fs.writeFileSync(file, JSON.stringify(doc, undefined, 2))
    return open().load()
  }
  const good = (i: number) => cluster(i)

  it('resets a bad interval to its default and says so', () => {
    const r = loadDoc({
      version: 2,
      clusters: [good(1), good(2), { ...good(3), intervalSec: 0.1 }]
    })
    expect(r.settings.clusters[2]?.intervalSec).toBe(30)
    expect(lines(r)).toEqual(['clusters[2].intervalSec: 0.1 is below the minimum 1 — set to 30'])
  })

  it('resets an unknown auth kind to none, keeping the secret reference', () => {
    const r = loadDoc({
      version: 2,
      clusters: [{ ...good(1), auth: { kind: 'kerberos', secretRef: 'cluster:x:auth' } }]
    })
    expect(r.settings.clusters[0]?.auth).toEqual({ kind: 'none', secretRef: 'cluster:x:auth' })
    expect(lines(r)).toEqual([
      'clusters[0].auth.kind: "kerberos" is not one of "none", "token", "bearer", "basic", "dcos" — set to "none"'
    ])
  })

  it('gives a cluster without an id a new one', () => {
    const { id: _id, ...noId } = good(1)
    const r = loadDoc({ version: 2, clusters: [noId] })
    const id = r.settings.clusters[0]?.id ?? ''
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(lines(r)).toEqual([`clusters[0].id: missing — gave the cluster the id ${id}`])
  })

  it('names a cluster without a name after its URL host', () => {
    const { name: _name, ...noName } = good(1)
    const r = loadDoc({ version: 2, clusters: [noName] })
    expect(r.settings.clusters[0]?.name).toBe('scale-1.example')
    expect(lines(r)).toEqual(['clusters[0].name: missing — named it "scale-1.example"'])
  })

  it('gives the later of two clusters with the same id a new id, keeping both', () => {
    const r = loadDoc({ version: 2, clusters: [good(1), { ...good(2), id: good(1).id }] })
    const [a, b] = r.settings.clusters
    expect(a?.id).toBe(good(1).id)
    expect(b?.name).toBe('cluster-2')
    expect(b?.id).not.toBe(a?.id)
    expect(lines(r)).toEqual([
      `clusters[1].id: "${good(1).id}" is also the id of clusters[0] — gave this cluster the new id ${b?.id}`
    ])
  })

  it('removes a colour that is not a colour', () => {
    const r = loadDoc({ version: 2, clusters: [{ ...good(1), color: 'red' }] })
    expect(r.settings.clusters[0]?.color).toBeUndefined()
    expect(lines(r)).toEqual(['clusters[0].color: "red" is not a colour like #3b82f6 — removed it'])
  })

  it('keeps a cluster that is a bare URL string as a cluster with that URL', () => {
    const r = loadDoc({ version: 2, clusters: [good(1), 'https://bare.example/api'] })
    expect(r.settings.clusters[1]).toMatchObject({
      name: 'bare.example',
      url: 'https://bare.example/api',
      enabled: true
    })
    expect(lines(r)[0]).toBe(
      'clusters[1]: "https://bare.example/api" is a bare string, not a cluster — kept it as a cluster with that URL; check its name and settings'
    )
  })

  it('keeps a cluster whose URL is missing or unusable, disabled, and says how to fix it', () => {
    const r = loadDoc({
      version: 2,
      clusters: [
        { id: 'a', name: 'no-url' },
        { id: 'b', name: 'bad-url', url: 'scale.example/api' },
        42
      ]
    })
    expect(r.settings.clusters.map((c) => [c.name, c.url, c.enabled])).toEqual([
      ['no-url', PLACEHOLDER_URL, false],
      ['bad-url', 'scale.example/api', false],
      ['Cluster 3', PLACEHOLDER_URL, false]
    ])
    const text = lines(r).join('\n')
    expect(text).toContain(`clusters[0].url: missing — set to the placeholder ${PLACEHOLDER_URL}`)
    expect(text).toContain(
      'clusters[1].url: "scale.example/api" is not an http:// or https:// URL — kept it as written and disabled the cluster'
    )
    expect(text).toContain(
      'clusters[2]: 42 is not a cluster — kept a disabled placeholder in its place'
    )
  })

  it('repairs many problems in one file, listing each, dropping no cluster', () => {
    const r = loadDoc({
      version: 2,
      clusters: [
        { ...good(1), intervalSec: 0.1 },
        { ...good(2), auth: { kind: 'kerberos' } },
        { name: 'no-id', url: 'https://no-id.example' },
        { id: 'x', url: 'https://no-name.example' },
        { ...good(5), id: good(1).id },
        { ...good(6), color: 'red', overrides: { 'nodes.warning': 'loud', scheduler: 'info' } },
        'https://string.example',
        null
      ],
      notifications: { renotifyMinutes: -5, quietHours: { start: '25:00', end: '06:00' } },
      confirmPolls: 'two',
      typo: true
    })
    expect(r.settings.clusters).toHaveLength(8)
    expect(r.settings.clusters[5]?.overrides).toEqual({ scheduler: 'info' })
    expect(r.settings.notifications.quietHours).toMatchObject({ start: '22:00', end: '06:00' })
    expect(r.settings.confirmPolls).toBe(2)
    const paths = r.problems.map((p) => p.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'clusters[0].intervalSec',
        'clusters[1].auth.kind',
        'clusters[2].id',
        'clusters[3].name',
        'clusters[4].id',
        'clusters[5].color',
        'clusters[5].overrides["nodes.warning"]',
        'clusters[6]',
        'clusters[7]',
        'notifications.renotifyMinutes',
        'notifications.quietHours.start',
        'confirmPolls',
        'typo'
      ])
    )
    expect(lines(r)).toContain('confirmPolls: "two" is not a number — set to 2')
    expect(lines(r)).toContain(
      'typo: not a setting this version knows — left it out (the backup keeps it)'
    )
    expect(r.backupPath).toBe(`${file}.corrupt-${STAMP}`)
  })

  it('reads a file from a newer version for what it knows, and never rewrites it', () => {
    const doc = { version: 3, clusters: [{ ...good(1), future: 1 }], newTopLevel: true }
    const r = loadDoc(doc)
    const before = fs.readFileSync(file, 'utf8')
    expect(r.settings.clusters).toHaveLength(1)
    expect(r.readOnly).toMatch(
      /written by a newer Scale Tray \(version 3; this one reads version 2\)/
    )
    expect(r.backupPath).toBeUndefined()
    expect(lines(r)[0]).toMatch(/^version: 3: settings written by a newer Scale Tray/)
    expect(lines(r).join('\n')).toContain('the file keeps it')
    // Saving would lose what the newer version added: refused, file untouched, nothing beside it.
    expect(() => open().save(r.settings)).not.toThrow() // a fresh store has not loaded it
    fs.writeFileSync(file, before)
    const store = open()
    store.load()
    expect(() => store.save(r.settings)).toThrow(/settings not saved: .*newer Scale Tray/)
    expect(fs.readFileSync(file, 'utf8')).toBe(before)
    expect(fs.readdirSync(dir)).toEqual(['settings.json'])
  })

  it('reads a top-level list of clusters as the clusters, and says so', () => {
    const r = loadDoc([good(1), good(2)])
    expect(r.settings.clusters.map((c) => c.name)).toEqual(['cluster-1', 'cluster-2'])
    expect(lines(r)[0]).toBe(
      'the file holds a list, not a settings object — read its 2 entries as the clusters'
    )
    expect(r.backupPath).toBe(`${file}.corrupt-${STAMP}`)
  })

  it('starts from the defaults for a file holding something other than an object', () => {
    const r = loadDoc([1, 2])
    expect(r.settings).toEqual(defaultSettings())
    expect(lines(r)).toEqual([
      'the file holds [1,2], not a settings object — started from the defaults'
    ])
  })

  it('ignores conf bookkeeping (__internal__) and leaves a sound file untouched', () => {
    const doc = {
      ...defaultSettings(),
      clusters: [makeCluster(good(1))],
      __internal__: { migrations: {} }
    }
    fs.writeFileSync(file, JSON.stringify(doc))
    const before = fs.statSync(file).mtimeMs
    const r = open().load()
    expect(r.problems).toEqual([])
    expect(r.backupPath).toBeUndefined()
    expect(fs.statSync(file).mtimeMs).toBe(before)
  })
})

describe('salvageJson', () => {
  it('parses valid JSON as it is', () => {
    expect(salvageJson('{"a": [1, 2]}')).toMatchObject({
      value: { a: [1, 2] },
      method: 'json',
      problems: []
    })
  })

  it('keeps a __proto__ key as data, never as a prototype', () => {
    const s = salvageJson('{"__proto__": {"polluted": true}, "clusters": [')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(s.value)).toBe(Object.prototype)
  })
})
