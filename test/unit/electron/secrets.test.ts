// Secrets with electron mocked: through safeStorage, tokens are written only encrypted; without a
// keyring they stay in memory unless the user agrees to plain text — and then only after asking.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FakeElectron } from './fake-electron.ts'
import type { SafeStorageLike } from '../../../main/electron/secrets.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())

const electron = (await import('electron')) as unknown as FakeElectron
const {
  openAppSecrets,
  SafeStorageSecretStore,
  keyringProblem,
  PLAIN_SECRETS_FILE,
  SAFE_SECRETS_FILE,
  PLAIN_TEXT_CONSENT_REF
} = await import('../../../main/electron/secrets.ts')

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.super-secret-token'
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scale-tray-secrets-'))
  electron.safeStorage.available = true
  electron.safeStorage.backend = 'gnome_libsecret'
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const safe = () => electron.safeStorage as unknown as SafeStorageLike
const open = (ask = vi.fn(() => false), platform: NodeJS.Platform = 'linux') =>
  openAppSecrets({ dir, safeStorage: safe(), platform, confirmPlainText: ask })

function filesText(): string {
  return [SAFE_SECRETS_FILE, PLAIN_SECRETS_FILE]
    .map((f) => join(dir, f))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n')
}

describe('with safeStorage', () => {
  it('writes tokens only encrypted (0600), and reads them back after a restart', async () => {
    const s = await open()
    expect(s.encrypted).toBe(true)
    expect(s.store.kind).toBe('safeStorage')
    s.store.set('cluster:a:auth', TOKEN)
    expect(s.store.get('cluster:a:auth')).toBe(TOKEN)
    await s.flush()
    const file = join(dir, SAFE_SECRETS_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(filesText()).not.toContain(TOKEN)
    expect(existsSync(join(dir, PLAIN_SECRETS_FILE))).toBe(false)
    expect(electron.safeStorage.encryptStringAsync).toHaveBeenCalledWith(TOKEN)

    const again = await open()
    expect(again.store.get('cluster:a:auth')).toBe(TOKEN)
    again.store.delete('cluster:a:auth')
    await again.flush()
    expect((await open()).store.has('cluster:a:auth')).toBe(false)
  })

  it('writes changes in order: the last value wins', async () => {
    const s = await open()
    s.store.set('r', 'one')
    s.store.set('r', 'two')
    s.store.delete('r')
    s.store.set('r', 'three')
    await s.flush()
    expect((await open()).store.get('r')).toBe('three')
  })

  it('keeps an entry it cannot decrypt (a changed keyring), and says so', async () => {
    writeFileSync(
      join(dir, SAFE_SECRETS_FILE),
      JSON.stringify({
        version: 1,
        secrets: { 'cluster:x:auth': Buffer.from('garbage').toString('base64') }
      })
    )
    const s = await open()
    expect(s.store.has('cluster:x:auth')).toBe(false)
    expect(s.notices.join()).toMatch(/could not be decrypted/)
    s.store.set('cluster:y:auth', 'new')
    await s.flush()
    expect(JSON.parse(readFileSync(join(dir, SAFE_SECRETS_FILE), 'utf8'))).toMatchObject({
      secrets: { 'cluster:x:auth': Buffer.from('garbage').toString('base64') }
    })
  })

  it("reads the CLI's plain-text secrets as a fallback and deletes from both", async () => {
    writeFileSync(
      join(dir, PLAIN_SECRETS_FILE),
      JSON.stringify({ version: 1, secrets: { 'cluster:c:auth': 'from-cli' } }),
      { mode: 0o600 }
    )
    const s = await open()
    expect(s.store.get('cluster:c:auth')).toBe('from-cli')
    s.store.delete('cluster:c:auth')
    expect(s.store.has('cluster:c:auth')).toBe(false)
    expect(readFileSync(join(dir, PLAIN_SECRETS_FILE), 'utf8')).not.toContain('from-cli')
  })

  it('re-encrypts when safeStorage says the key rotated', async () => {
    const s = await open()
    s.store.set('r', 'v')
    await s.flush()
    electron.safeStorage.decryptStringAsync.mockResolvedValueOnce({
      result: 'v',
      shouldReEncrypt: true
    })
    const calls = electron.safeStorage.encryptStringAsync.mock.calls.length
    const store = await SafeStorageSecretStore.open(join(dir, SAFE_SECRETS_FILE), safe())
    await store.flush()
    expect(electron.safeStorage.encryptStringAsync.mock.calls.length).toBe(calls + 1)
  })
})

describe('without a keyring', () => {
  it('counts Linux basic_text as no keyring (a fixed key protects nothing)', async () => {
    electron.safeStorage.backend = 'basic_text'
    expect(await keyringProblem(safe(), 'linux')).toMatch(/no Secret Service keyring/)
    expect(await keyringProblem(safe(), 'darwin')).toBeNull()
    electron.safeStorage.available = false
    expect(await keyringProblem(safe(), 'win32')).toMatch(/no system keyring/)
  })

  it('keeps running, tells the user, and keeps tokens in memory when they decline plain text', async () => {
    electron.safeStorage.available = false
    const ask = vi.fn(() => false)
    const s = await open(ask)
    expect(s.encrypted).toBe(false)
    expect(s.notices[0]).toMatch(
      /^secrets: no system keyring .* kept in memory until Scale Tray quits/
    )
    expect(ask).not.toHaveBeenCalled() // nothing to store yet
    s.store.set('cluster:a:auth', TOKEN)
    s.store.set('cluster:b:auth', TOKEN)
    expect(ask).toHaveBeenCalledTimes(1) // once per run
    expect(s.store.get('cluster:a:auth')).toBe(TOKEN)
    expect(s.store.kind).toBe('memory')
    await s.flush()
    expect(existsSync(join(dir, PLAIN_SECRETS_FILE))).toBe(false)
    expect(existsSync(join(dir, SAFE_SECRETS_FILE))).toBe(false)
    expect(filesText()).not.toContain(TOKEN)
    expect((await open(ask)).store.has('cluster:a:auth')).toBe(false) // gone after a restart
  })

  it('stores in the 0600 plain-text file only after the user agreed, and remembers the answer', async () => {
    electron.safeStorage.backend = 'basic_text'
    const ask = vi.fn(() => true)
    const s = await open(ask)
    s.store.set('cluster:a:auth', TOKEN)
    expect(ask).toHaveBeenCalledWith(join(dir, PLAIN_SECRETS_FILE))
    expect(s.store.kind).toBe('plain-text file')
    const file = join(dir, PLAIN_SECRETS_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      secrets: { 'cluster:a:auth': TOKEN, [PLAIN_TEXT_CONSENT_REF]: expect.any(String) as unknown }
    })

    const ask2 = vi.fn(() => false)
    const again = await open(ask2)
    expect(again.store.get('cluster:a:auth')).toBe(TOKEN)
    expect(again.notices[0]).toMatch(/stored in plain text .* as you agreed/)
    again.store.set('cluster:b:auth', 'second')
    expect(ask2).not.toHaveBeenCalled()
    again.store.delete('cluster:a:auth')
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN)
  })
})
