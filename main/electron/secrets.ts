// Electron shell: cluster secrets behind safeStorage (the OS keychain / DPAPI / libsecret or
// KWallet), in `secrets.safe.json` beside the settings: each value encrypted, base64. Without a
// keyring the app keeps running, says so, and keeps tokens in memory only, unless the user agrees
// to plain-text storage (the headless CLI's 0600 `secrets.json`), once, in a dialog.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SafeStorage } from 'electron'
import {
  FileSecretStore,
  MemorySecretStore,
  writeFileAtomic,
  type SecretStore
} from '../core/settings/secrets.ts'

export type SafeStorageLike = Pick<
  SafeStorage,
  | 'isAsyncEncryptionAvailable'
  | 'encryptStringAsync'
  | 'decryptStringAsync'
  | 'getSelectedStorageBackend'
>

export const SAFE_SECRETS_FILE = 'secrets.safe.json'
/** The headless CLI's plain-text store (0600), shared with `scale-tray serve` on Linux. */
export const PLAIN_SECRETS_FILE = 'secrets.json'
/** Kept in the plain-text file once the user agreed to it, so the question is asked once. */
export const PLAIN_TEXT_CONSENT_REF = 'app:plain-text-consent'

/**
 * Secrets decrypted once at start and held in memory; every change is encrypted and written
 * (atomically, 0600) in order. Entries that cannot be decrypted (a changed keyring) are kept in
 * the file untouched, so a keyring that comes back still has them.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind: string = 'safeStorage'
  readonly path: string
  readonly warnings: string[] = []
  readonly #values = new Map<string, string>()
  readonly #sealed = new Map<string, string>()
  readonly #safe: SafeStorageLike
  #chain: Promise<void> = Promise.resolve()
  #log: (line: string) => void

  private constructor(file: string, safe: SafeStorageLike, log: (line: string) => void) {
    this.path = file
    this.#safe = safe
    this.#log = log
  }

  /** Read and decrypt the file (missing = empty; unreadable = copied aside by the next write, reported). */
  static async open(
    file: string,
    safe: SafeStorageLike,
    log: (line: string) => void = () => undefined
  ): Promise<SafeStorageSecretStore> {
    const store = new SafeStorageSecretStore(file, safe, log)
    let doc: unknown
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return store
      store.warnings.push(
        `${file} could not be read (${(err as NodeJS.ErrnoException).code ?? 'not JSON'}); enter the tokens again`
      )
      return store
    }
    const secrets = isRecord(doc) && isRecord(doc.secrets) ? doc.secrets : {}
    let rotated = false
    for (const [ref, sealed] of Object.entries(secrets)) {
      if (typeof sealed !== 'string') continue
      store.#sealed.set(ref, sealed)
      try {
        const r = await safe.decryptStringAsync(Buffer.from(sealed, 'base64'))
        store.#values.set(ref, r.result)
        if (r.shouldReEncrypt) rotated = true
      } catch (err) {
        store.warnings.push(
          `a stored secret (${ref}) could not be decrypted (${(err as Error).message}); enter it again`
        )
      }
    }
    if (rotated) for (const [ref, v] of store.#values) store.set(ref, v, true)
    return store
  }

  get(ref: string): string | undefined {
    return this.#values.get(ref)
  }
  has(ref: string): boolean {
    return this.#values.has(ref)
  }
  set(ref: string, value: string, force = false): void {
    if (!force && this.#values.get(ref) === value) return
    this.#values.set(ref, value)
    this.#enqueue(async () => {
      const sealed = await this.#safe.encryptStringAsync(value)
      // A later set or delete of the same ref may have happened meanwhile: the newest wins.
      if (this.#values.get(ref) === value) this.#sealed.set(ref, sealed.toString('base64'))
    })
  }
  delete(ref: string): void {
    if (!this.#values.has(ref) && !this.#sealed.has(ref)) return
    this.#values.delete(ref)
    this.#enqueue(() => {
      this.#sealed.delete(ref)
      return Promise.resolve()
    })
  }

  /** Wait for pending writes (quit). */
  flush(): Promise<void> {
    return this.#chain
  }

  #enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain
      .then(step)
      .then(() => {
        const doc = { version: 1, secrets: Object.fromEntries(this.#sealed) }
        writeFileAtomic(this.path, `${JSON.stringify(doc, undefined, 2)}\n`, 0o600)
      })
      .catch((err: unknown) => {
        // The value is still in memory for this run; say so where it can be seen.
        this.#log(`could not save a secret to ${this.path}: ${(err as Error).message}`)
      })
  }
}

/**
 * Without a keyring: memory, unless the user agrees to plain text. The first `set` asks (sync:
 * the store's interface is sync, and the answer decides where this very secret goes); the answer
 * holds for the run, and a "yes" is remembered in the plain-text file itself.
 */
export class NoKeyringSecretStore implements SecretStore {
  readonly #memory = new MemorySecretStore()
  readonly #file: FileSecretStore
  readonly #ask: () => boolean
  #decision: 'file' | 'memory' | undefined

  constructor(file: string, ask: () => boolean) {
    this.#file = new FileSecretStore(file)
    this.#ask = ask
    if (this.#file.has(PLAIN_TEXT_CONSENT_REF)) this.#decision = 'file'
  }

  get kind(): string {
    return this.#decision === 'file' ? 'plain-text file' : 'memory'
  }
  get path(): string {
    return this.#file.path
  }
  get warnings(): string[] {
    return this.#file.warnings
  }
  get(ref: string): string | undefined {
    return this.#memory.get(ref) ?? this.#file.get(ref)
  }
  has(ref: string): boolean {
    return this.get(ref) !== undefined
  }
  set(ref: string, value: string): void {
    this.#decision ??= this.#ask() ? 'file' : 'memory'
    if (this.#decision === 'file') {
      if (!this.#file.has(PLAIN_TEXT_CONSENT_REF))
        this.#file.set(PLAIN_TEXT_CONSENT_REF, new Date().toISOString())
      this.#file.set(ref, value)
      this.#memory.delete(ref)
    } else this.#memory.set(ref, value)
  }
  delete(ref: string): void {
    this.#memory.delete(ref)
    if (this.#file.has(ref)) this.#file.delete(ref)
  }
}

/** The safe store first; the CLI's plain-text file read as a fallback (and cleaned on delete). */
function withPlainFallback(
  primary: SafeStorageSecretStore,
  plainFile: string
): SecretStore & { flush(): Promise<void> } {
  const plain = new FileSecretStore(plainFile)
  const hasPlain = (): boolean => existsSync(plainFile)
  return {
    kind: primary.kind,
    get: (ref) => primary.get(ref) ?? (hasPlain() ? plain.get(ref) : undefined),
    has: (ref) => primary.has(ref) || (hasPlain() && plain.has(ref)),
    set: (ref, value) => primary.set(ref, value),
    delete: (ref) => {
      primary.delete(ref)
      // Otherwise a deleted token would come back from the CLI's file.
      if (hasPlain() && plain.has(ref)) plain.delete(ref)
    },
    flush: () => primary.flush()
  }
}

export interface AppSecrets {
  store: SecretStore
  /** For the window's banner: why tokens are not encrypted, files repaired, secrets lost. */
  notices: string[]
  encrypted: boolean
  flush(): Promise<void>
}

export interface AppSecretsOptions {
  /** The folder of settings.json (userData). */
  dir: string
  safeStorage: SafeStorageLike
  platform: NodeJS.Platform
  /** Ask the user whether a token may be stored in plain text (a dialog); true = yes. */
  confirmPlainText(file: string): boolean
  log?: (line: string) => void
}

/** Why safeStorage cannot protect secrets here, or null when it can. */
export async function keyringProblem(
  safe: SafeStorageLike,
  platform: NodeJS.Platform
): Promise<string | null> {
  let available: boolean
  try {
    available = await safe.isAsyncEncryptionAvailable()
  } catch (err) {
    return `the system keyring could not be opened (${(err as Error).message})`
  }
  if (!available) return 'no system keyring is available to Scale Tray'
  // Linux without libsecret or KWallet: Chromium falls back to a fixed key, which protects nothing.
  if (platform === 'linux' && safe.getSelectedStorageBackend() === 'basic_text') {
    return 'no Secret Service keyring (GNOME Keyring, KWallet) was found'
  }
  return null
}

/** The app's secret store: safeStorage when it protects anything, else memory / plain text by consent. */
export async function openAppSecrets(o: AppSecretsOptions): Promise<AppSecrets> {
  const plainFile = join(o.dir, PLAIN_SECRETS_FILE)
  const problem = await keyringProblem(o.safeStorage, o.platform)
  if (problem === null) {
    const safe = await SafeStorageSecretStore.open(
      join(o.dir, SAFE_SECRETS_FILE),
      o.safeStorage,
      o.log
    )
    const store = withPlainFallback(safe, plainFile)
    return {
      store,
      notices: safe.warnings.map((w) => `secrets: ${w}`),
      encrypted: true,
      flush: () => store.flush()
    }
  }
  const store = new NoKeyringSecretStore(plainFile, () => o.confirmPlainText(plainFile))
  const where =
    store.kind === 'memory'
      ? 'Tokens you enter are kept in memory until Scale Tray quits; when you save one you can choose to store it in plain text instead.'
      : `Tokens are stored in plain text in ${plainFile} (readable by your user only), as you agreed.`
  const hint =
    o.platform === 'linux'
      ? ' Install and unlock GNOME Keyring or KWallet, then restart Scale Tray, to encrypt them.'
      : ''
  return {
    store,
    notices: [
      `secrets: ${problem}. ${where}${hint}`,
      ...store.warnings.map((w) => `secrets: ${w}`)
    ],
    encrypted: false,
    flush: () => Promise.resolve()
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
