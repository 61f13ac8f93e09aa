import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  EnvSecretStore,
  FileSecretStore,
  MemorySecretStore,
  copyAside,
  envSuffix,
  layeredSecrets,
  parseSecretRef,
  redactSecrets,
  secretRef
} from '../../../../main/core/settings/secrets.ts'

const posix = process.platform !== 'win32'
let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-tray-secrets-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const mode = (file: string) => fs.statSync(file).mode & 0o777

describe('secretRef', () => {
  it('names a cluster secret cluster:<id>:auth by default, and parses back', () => {
    expect(secretRef('abc')).toBe('cluster:abc:auth')
    expect(secretRef('abc', 'passphrase')).toBe('cluster:abc:passphrase')
    expect(parseSecretRef('cluster:abc:passphrase')).toEqual({
      clusterId: 'abc',
      what: 'passphrase'
    })
    expect(parseSecretRef('something else')).toBeUndefined()
  })
})

describe('FileSecretStore', () => {
  it.runIf(posix)('creates its file with mode 0600 and keeps 0600 across updates', () => {
    const file = path.join(dir, 'secrets.json')
    const store = new FileSecretStore(file)
    store.set(secretRef('a'), 'token-a')
    expect(mode(file)).toBe(0o600)
    store.set(secretRef('b'), 'token-b')
    store.delete(secretRef('a'))
    expect(mode(file)).toBe(0o600)
    expect(new FileSecretStore(file).get(secretRef('b'))).toBe('token-b')
    expect(new FileSecretStore(file).has(secretRef('a'))).toBe(false)
  })

  it('writes atomically: no temp file is left beside it', () => {
    const store = new FileSecretStore(path.join(dir, 'secrets.json'))
    for (let i = 0; i < 5; i++) store.set(secretRef(`c${i}`), `value-${i}`)
    expect(fs.readdirSync(dir)).toEqual(['secrets.json'])
  })

  it.runIf(posix)('sets a group/world-readable file back to 0600 and says so', () => {
    const file = path.join(dir, 'secrets.json')
    fs.writeFileSync(file, JSON.stringify({ version: 1, secrets: { 'cluster:x:auth': 'tok-x' } }))
    fs.chmodSync(file, 0o644)
    const store = new FileSecretStore(file)
    expect(store.get('cluster:x:auth')).toBe('tok-x')
    expect(mode(file)).toBe(0o600)
    expect(store.warnings.join('\n')).toMatch(/readable by other users \(mode 644\); set it to 600/)
    expect(store.warnings.join('\n')).not.toContain('tok-x')
  })

  it('copies an unreadable file aside, starts empty, and never quotes its content', () => {
    const file = path.join(dir, 'secrets.json')
    fs.writeFileSync(file, '{"version":1,"secrets":{"cluster:x:auth":"tok-secret-1', {
      mode: 0o600
    })
    const store = new FileSecretStore(file)
    expect(store.get('cluster:x:auth')).toBeUndefined()
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('secrets.json.corrupt-'))
    expect(aside).toHaveLength(1)
    expect(store.warnings[0]).toMatch(/not valid JSON; copied to .*secrets\.json\.corrupt-/)
    expect(store.warnings.join('\n')).not.toContain('tok-secret-1')
  })

  it('sees changes another process writes to the file', () => {
    const file = path.join(dir, 'secrets.json')
    const a = new FileSecretStore(file)
    const b = new FileSecretStore(file)
    a.set('cluster:x:auth', 'first')
    expect(b.get('cluster:x:auth')).toBe('first')
    a.set('cluster:x:auth', 'second-value')
    expect(b.get('cluster:x:auth')).toBe('second-value')
  })
})

describe('copyAside', () => {
  it('never overwrites an earlier backup: the same second gets a counter', () => {
    const file = path.join(dir, 'settings.json')
    const at = new Date(2025, 0, 2, 3, 4, 5).getTime()
    const one = copyAside(file, Buffer.from('one'), 'corrupt', at)
    const two = copyAside(file, Buffer.from('two'), 'corrupt', at)
    expect(path.basename(one)).toBe('settings.json.corrupt-20250102-030405')
    expect(path.basename(two)).toBe('settings.json.corrupt-20250102-030405-2')
    expect(fs.readFileSync(one, 'utf8')).toBe('one')
    expect(fs.readFileSync(two, 'utf8')).toBe('two')
  })
})

describe('EnvSecretStore', () => {
  const names: Record<string, string> = { a: 'prod-east.1', b: 'test' }
  const byId = (id: string) => names[id]

  it('prefers SCALE_TOKEN_<NAME> over SCALE_TOKEN, which applies to every cluster', () => {
    const env = { SCALE_TOKEN: 'global-token', SCALE_TOKEN_PROD_EAST_1: 'east-token' }
    const store = new EnvSecretStore(byId, env)
    expect(store.get(secretRef('a'))).toBe('east-token')
    expect(store.get(secretRef('b'))).toBe('global-token')
    expect(store.get(secretRef('unknown-id'))).toBe('global-token')
  })

  it('treats empty variables as unset', () => {
    const store = new EnvSecretStore(byId, { SCALE_TOKEN: '', SCALE_TOKEN_TEST: '' })
    expect(store.get(secretRef('b'))).toBeUndefined()
    expect(store.has(secretRef('b'))).toBe(false)
  })

  it('reads certificate passphrases from SCALE_CERT_PASSPHRASE(_<NAME>), not tokens', () => {
    const store = new EnvSecretStore(byId, {
      SCALE_TOKEN: 'tok',
      SCALE_CERT_PASSPHRASE: 'pass-all',
      SCALE_CERT_PASSPHRASE_TEST: 'pass-test'
    })
    expect(store.get(secretRef('a', 'passphrase'))).toBe('pass-all')
    expect(store.get(secretRef('b', 'passphrase'))).toBe('pass-test')
    expect(store.get('not-a-cluster-ref')).toBeUndefined()
  })

  it('is read-only: set and delete throw a clear error', () => {
    const store = new EnvSecretStore(byId, {})
    expect(() => store.set(secretRef('a'), 'x')).toThrow(/read-only/)
    expect(() => store.delete(secretRef('a'))).toThrow(/read-only/)
  })

  it('maps cluster names to variable suffixes: upper case, non-alphanumerics to _', () => {
    expect(envSuffix('prod-east.1')).toBe('PROD_EAST_1')
    expect(envSuffix('Lab Ü')).toBe('LAB__')
  })
})

describe('layeredSecrets', () => {
  it('reads the primary first, then the fallbacks; writes only to the primary', () => {
    const primary = new MemorySecretStore({ 'cluster:a:auth': 'from-file' })
    const env = new EnvSecretStore(() => 'b', { SCALE_TOKEN: 'from-env' })
    const store = layeredSecrets(primary, env)
    expect(store.kind).toBe('memory+env')
    expect(store.get('cluster:a:auth')).toBe('from-file')
    expect(store.get('cluster:b:auth')).toBe('from-env')
    store.set('cluster:b:auth', 'typed-in')
    expect(primary.get('cluster:b:auth')).toBe('typed-in')
    expect(store.get('cluster:b:auth')).toBe('typed-in')
    store.delete('cluster:b:auth')
    expect(store.get('cluster:b:auth')).toBe('from-env')
  })
})

describe('redactSecrets', () => {
  it('replaces every occurrence of each secret of 4+ characters with •••', () => {
    const text = 'GET with Token abcd1234 failed; retry abcd1234; pw=xyz'
    expect(redactSecrets(text, ['abcd1234', 'xyz'])).toBe(
      'GET with Token ••• failed; retry •••; pw=xyz'
    )
  })

  it('redacts the longer of two overlapping secrets whole, leaving no part behind', () => {
    expect(redactSecrets('key=secret-long-value', ['secret', 'secret-long-value'])).toBe('key=•••')
  })

  it('leaves text without secrets unchanged', () => {
    expect(redactSecrets('nothing here', [])).toBe('nothing here')
  })
})
