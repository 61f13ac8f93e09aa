// Settings, secrets and history files that are not what they seem: a link, a folder, a pipe, a
// read-only file, UTF-16 text, a list, a bomb of brackets. Each is read for what it holds (or
// refused with a reason) and is never written over or through.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { History } from '../../../../main/core/monitor/history.ts'
import { defaultSettings, makeCluster } from '../../../../main/core/settings/schema.ts'
import {
  FileSecretStore,
  MemorySecretStore,
  secretRef
} from '../../../../main/core/settings/secrets.ts'
import {
  backUpSettings,
  decodeSettingsBytes,
  describeProblem,
  openSettingsStore,
  salvageJson,
  type LoadResult
} from '../../../../main/core/settings/store.ts'

const NOW = new Date(2025, 2, 4, 5, 6, 7).getTime()
const STAMP = '20250304-050607'
const posix = process.platform !== 'win32'

let dir: string
let file: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-tray-odd-'))
  file = path.join(dir, 'settings.json')
})
afterEach(() => {
  // Put write permission back so the folder can be removed.
  for (const f of [dir, ...fs.readdirSync(dir).map((n) => path.join(dir, n))]) {
    try {
      fs.chmodSync(f, 0o700)
    } catch {
      // a dangling link or a pipe: nothing to restore
    }
  }
  fs.rmSync(dir, { recursive: true, force: true })
})

const open = (f = file) =>
  openSettingsStore({ file: f, secrets: new MemorySecretStore(), now: () => NOW })
const lines = (r: LoadResult) => r.problems.map(describeProblem)
const doc = (name = 'prod') => ({
  version: 2,
  clusters: [makeCluster({ id: 'c1', name, url: 'https://scale.example/api' })]
})

describe('a settings path that is a symbolic link', () => {
  it.runIf(posix)('is read through, but never written through: the target keeps its bytes', () => {
    const target = path.join(dir, 'real.json')
    const text = `${JSON.stringify(doc(), undefined, 2)}\n`
    fs.writeFileSync(target, text)
    fs.symlinkSync(target, file)
    const store = open()
    const r = store.load()
    expect(r.settings.clusters.map((c) => c.name)).toEqual(['prod'])
    expect(r.readOnly).toMatch(/is a symbolic link \(to .*real\.json\); settings are never written/)
    expect(lines(r)[0]).toMatch(/read only: changes in this run are not saved/)
    expect(() => store.save({ ...r.settings, clusters: [] })).toThrow(/settings not saved/)
    expect(fs.readFileSync(target, 'utf8')).toBe(text)
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(true)
  })

  it.runIf(posix)('to nothing is refused, and nothing is created at its target', () => {
    fs.symlinkSync(path.join(dir, 'gone.json'), file)
    const r = open().load()
    expect(r.settings).toEqual(defaultSettings())
    expect(lines(r)[0]).toMatch(/is a symbolic link to nothing .*not a settings file/)
    expect(r.readOnly).toBeDefined()
    expect(fs.existsSync(path.join(dir, 'gone.json'))).toBe(false)
  })
})

describe('a settings path that is not a regular file', () => {
  it('a folder is refused with the file name it probably meant', () => {
    const r = open(dir).load()
    expect(r.settings).toEqual(defaultSettings())
    expect(lines(r)[0]).toBe(
      `${dir} is a directory, not a settings file — nothing was read or written; read only: changes in this run are not saved; give the path of a settings file (e.g. ${path.join(dir, 'settings.json')})`
    )
    expect(() => open(dir).save(defaultSettings())).toThrow(/is a directory/)
  })

  it.runIf(posix)('a named pipe is refused at once, without opening it (which would block)', () => {
    execFileSync('mkfifo', [file])
    const started = performance.now()
    const r = open().load()
    expect(performance.now() - started).toBeLessThan(5000) // a blocked open never returns at all
    expect(lines(r)[0]).toMatch(/is a named pipe \(FIFO\), not a settings file/)
    expect(r.readOnly).toBeDefined()
  })

  it('an empty file name is an error, not the current folder', () => {
    expect(() => open('')).toThrow('settings: the settings file name is empty')
    expect(() => open('  ')).toThrow('settings: the settings file name is empty')
  })
})

describe('a settings file that cannot be written', () => {
  it.runIf(posix)('one with no write permission is read and left exactly as it is', () => {
    const text = `${JSON.stringify({ ...doc(), confirmPolls: 'two' })}\n`
    fs.writeFileSync(file, text)
    fs.chmodSync(file, 0o444)
    const store = open()
    const r = store.load()
    expect(r.settings.clusters).toHaveLength(1)
    expect(r.readOnly).toBe(`${file} is read-only`)
    expect(r.backupPath).toBeUndefined() // nothing is rewritten, so nothing is copied aside
    expect(() => store.save(r.settings)).toThrow(/settings not saved/)
    expect(fs.readFileSync(file, 'utf8')).toBe(text)
    expect(fs.readdirSync(dir)).toEqual(['settings.json'])
  })

  it.runIf(posix)('one in a read-only folder is read, not rewritten, and says where', () => {
    fs.writeFileSync(file, JSON.stringify(doc()))
    fs.chmodSync(dir, 0o555)
    const r = open().load()
    expect(r.settings.clusters).toHaveLength(1)
    expect(r.readOnly).toBe(`${file} is in a folder that is not writable (${dir})`)
  })

  it.runIf(posix)('a missing one whose folder cannot be created says so at load', () => {
    fs.chmodSync(dir, 0o555)
    const r = open(path.join(dir, 'sub', 'settings.json')).load()
    expect(r.settings).toEqual(defaultSettings())
    expect(lines(r)[0]).toMatch(
      /does not exist and cannot be created: is in a folder that is not writable/
    )
  })
})

describe('settings text in other shapes', () => {
  it('reads UTF-16 with a byte-order mark (Windows PowerShell), and rewrites it as UTF-8 after a backup', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(JSON.stringify(doc('café')), 'utf16le')
    ])
    fs.writeFileSync(file, bytes)
    const r = open().load()
    expect(r.settings.clusters.map((c) => c.name)).toEqual(['café'])
    expect(lines(r)).toEqual([
      'the file is UTF-16LE text (as Windows PowerShell writes), not UTF-8 — read it and rewrote it as UTF-8'
    ])
    expect(r.backupPath).toBe(`${file}.utf16-${STAMP}`)
    expect(fs.readFileSync(r.backupPath as string).equals(bytes)).toBe(true)
    const rewritten = JSON.parse(fs.readFileSync(file, 'utf8')) as { clusters: { name: string }[] }
    expect(rewritten.clusters[0]?.name).toBe('café')
    expect(open().load().problems).toEqual([])
  })

  it('decodes UTF-16 big-endian and BOM-less UTF-16, and leaves UTF-8 alone', () => {
    const text = '{"a":"é"}'
    const be = Buffer.from(text, 'utf16le').swap16()
    expect(decodeSettingsBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({
      text,
      encoding: 'utf-16be'
    })
    expect(decodeSettingsBytes(Buffer.from(text, 'utf16le'))).toEqual({
      text,
      encoding: 'utf-16le'
    })
    expect(decodeSettingsBytes(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' })
  })

  it('a cut-off list of clusters keeps the complete ones', () => {
    const full = JSON.stringify([
      { name: 'a', url: 'https://a.example/api' },
      { name: 'b', url: 'https://b.example/api' }
    ])
    fs.writeFileSync(file, full.slice(0, full.lastIndexOf('{') + 8))
    const r = open().load()
    expect(r.settings.clusters.map((c) => c.name)).toContain('a')
  })

  it('brackets nested 100,000 deep and cut off are skipped with a reason, not a stack overflow', () => {
    const bomb = `{"clusters":[{"name":"a","url":"https://a.example/api"},${'['.repeat(100_000)}`
    const s = salvageJson(bomb)
    expect(s.problems.map(describeProblem).join('\n')).toMatch(/nested more than 32 levels deep/)
    fs.writeFileSync(file, bomb)
    const r = open().load()
    expect(r.settings.clusters.map((c) => c.name)).toEqual(['a'])
  })
})

describe('reading without writing', () => {
  it('an export given as the settings file is read for its settings, and never rewritten', () => {
    const text = JSON.stringify({ kind: 'scale-tray-settings-export', note: 'n', settings: doc() })
    fs.writeFileSync(file, text)
    const store = open()
    const r = store.load()
    expect(r.settings.clusters.map((c) => c.name)).toEqual(['prod'])
    expect(r.readOnly).toBe('the file is a settings export, not a settings file')
    expect(lines(r)[0]).toMatch(/use: scale-tray settings import FILE/)
    expect(fs.readFileSync(file, 'utf8')).toBe(text)
    expect(fs.readdirSync(dir)).toEqual(['settings.json'])
  })

  it('load({ write: false }) repairs in memory only: no backup, no rewrite', () => {
    const text = '{"version": 2, "clusters": [{"name": "a", "url": "https://a.example/api"}'
    fs.writeFileSync(file, text)
    const r = open().load({ write: false })
    expect(r.settings.clusters.map((c) => c.name)).toEqual(['a'])
    expect(r.backupPath).toBeUndefined()
    expect(fs.readFileSync(file, 'utf8')).toBe(text)
    expect(fs.readdirSync(dir)).toEqual(['settings.json'])
  })

  it('never repeats a password typed into a URL in its messages', () => {
    fs.writeFileSync(
      file,
      JSON.stringify({ version: 2, clusters: [{ name: 'f', url: 'ftp://user:FTPPW-1@h/api' }] })
    )
    const text = lines(open().load()).join('\n')
    expect(text).toContain('ftp://•••@h/api')
    expect(text).not.toContain('FTPPW-1')
  })
})

describe('backUpSettings', () => {
  it('copies the file byte for byte beside it, and does nothing when there is no file', () => {
    expect(backUpSettings(file, 'pre-import', NOW)).toEqual({})
    fs.writeFileSync(file, '{"version":2}')
    const b = backUpSettings(file, 'pre-import', NOW)
    expect(b.path).toBe(`${file}.pre-import-${STAMP}`)
    expect(fs.readFileSync(b.path as string, 'utf8')).toBe('{"version":2}')
  })
})

describe('a secrets file that is not a file', () => {
  it('a folder reads as empty with a warning, and a write says what to fix', () => {
    const secrets = path.join(dir, 'secrets.json')
    fs.mkdirSync(secrets)
    const store = new FileSecretStore(secrets)
    expect(store.check()).toEqual([
      `${secrets} is a directory, not a secrets file; move it away; no stored secret can be used until then`
    ])
    expect(store.get(secretRef('x'))).toBeUndefined()
    expect(store.has(secretRef('x'))).toBe(false)
    expect(() => store.set(secretRef('x'), 'tok')).toThrow(/cannot store secrets: .*is a directory/)
    expect(fs.statSync(secrets).isDirectory()).toBe(true)
    expect(store.warnings).toHaveLength(1) // warned once, not on every read
  })

  it('a damaged one is reported by check(), before any secret is asked for', () => {
    const secrets = path.join(dir, 'secrets.json')
    fs.writeFileSync(secrets, 'not json at all', { mode: 0o600 })
    const store = new FileSecretStore(secrets)
    expect(store.check()[0]).toMatch(/is not valid JSON; copied to .*secrets\.json\.corrupt-/)
  })
})

describe('writes never go over a link', () => {
  it.runIf(posix)('a secrets file that is a link is read through, and never replaced', () => {
    const real = path.join(dir, 'real-secrets.json')
    const body = JSON.stringify({ version: 1, secrets: { [secretRef('a')]: 'tok-a' } })
    fs.writeFileSync(real, body, { mode: 0o600 })
    const link = path.join(dir, 'secrets.json')
    fs.symlinkSync(real, link)
    const store = new FileSecretStore(link)
    expect(store.get(secretRef('a'))).toBe('tok-a')
    expect(() => store.delete(secretRef('a'))).toThrow(
      /is a symbolic link, and secrets are never written over one/
    )
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
    expect(fs.readFileSync(real, 'utf8')).toBe(body)
  })

  it.runIf(posix)(
    'history refuses a link or a folder in its place, and leaves no temp file',
    async () => {
      const h = path.join(dir, 'history.json')
      const target = path.join(dir, 'elsewhere.json')
      fs.writeFileSync(target, 'keep')
      fs.symlinkSync(target, h)
      await expect(new History().save(h, NOW)).rejects.toThrow(
        /is a symbolic link; history is only written to a regular file: move it away/
      )
      expect(fs.readFileSync(target, 'utf8')).toBe('keep')
      fs.rmSync(h)
      fs.mkdirSync(h)
      await expect(new History().save(h, NOW)).rejects.toThrow(/is a folder/)
      expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([])
    }
  )
})

describe('a history file that cannot be read', () => {
  it('a damaged one is copied aside before starting empty, and the problem says where', async () => {
    const h = path.join(dir, 'history.json')
    fs.writeFileSync(h, '{"version":1,"clusters":{"a":')
    const r = await History.load(h, NOW)
    expect(r.problem).toBe(
      `history ${h} is damaged; copied it to ${h}.corrupt-${STAMP} and started empty`
    )
    expect(fs.readFileSync(`${h}.corrupt-${STAMP}`, 'utf8')).toBe('{"version":1,"clusters":{"a":')
  })

  it('one in a format this version does not read is kept aside too', async () => {
    const h = path.join(dir, 'history.json')
    fs.writeFileSync(h, '{"version":99,"clusters":[]}')
    const r = await History.load(h, NOW)
    expect(r.problem).toMatch(/is not in the format this version reads; copied it to .*corrupt-/)
  })

  it('a folder in its place is reported, not read', async () => {
    const h = path.join(dir, 'history.json')
    fs.mkdirSync(h)
    const r = await History.load(h, NOW)
    expect(r.problem).toBe(`history ${h} is not a regular file; starting empty`)
  })
})
