// Electron-free: where cluster secrets live (tokens, passwords, certificate passphrases).
//
// Settings hold only a reference (`cluster:<id>:auth`); the value lives behind this interface. The
// Electron app backs it with safeStorage; headless, a 0600 JSON file beside the settings and
// read-only environment variables. Nothing here ever logs a secret value.
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

/** A key → secret map. `kind` names the backing for messages ("file", "env", "safeStorage"). */
export interface SecretStore {
  readonly kind: string
  get(ref: string): string | undefined
  set(ref: string, value: string): void
  delete(ref: string): void
  has(ref: string): boolean
}

export type SecretPurpose = 'auth' | 'passphrase'

/** The reference a cluster's secret is stored under: `cluster:<id>:auth`. */
export function secretRef(clusterId: string, what: SecretPurpose = 'auth'): string {
  return `cluster:${clusterId}:${what}`
}

/** The parts of a reference made by `secretRef`, or undefined for any other string. */
export function parseSecretRef(
  ref: string
): { clusterId: string; what: SecretPurpose } | undefined {
  const m = /^cluster:(.+):(auth|passphrase)$/.exec(ref)
  if (!m?.[1] || !m[2]) return undefined
  return { clusterId: m[1], what: m[2] as SecretPurpose }
}

/** Secrets held in memory only: for tests, and for the app when no safe backing is available. */
export class MemorySecretStore implements SecretStore {
  readonly kind: string = 'memory'
  readonly #values = new Map<string, string>()

  constructor(initial: Record<string, string> = {}) {
    for (const [ref, value] of Object.entries(initial)) this.#values.set(ref, value)
  }
  get(ref: string): string | undefined {
    return this.#values.get(ref)
  }
  set(ref: string, value: string): void {
    this.#values.set(ref, value)
  }
  delete(ref: string): void {
    this.#values.delete(ref)
  }
  has(ref: string): boolean {
    return this.#values.has(ref)
  }
}

const SECRET_FILE_VERSION = 1
const isPosix = process.platform !== 'win32'

/**
 * Secrets in a JSON file (`{ "version": 1, "secrets": { ref: value } }`), normally `secrets.json`
 * beside the settings. Created with mode 0600 and rewritten atomically (temp file + rename) at
 * 0600. A file found readable by group or others is set back to 0600 and the fix is recorded in
 * `warnings`; a file that cannot be read as JSON is copied aside (`.corrupt-<time>`, 0600) and
 * the store starts empty. A path that is not a regular file (a directory, a FIFO) or cannot be
 * read reads as empty, with a warning, and is never written over: `get`/`has` never throw, and
 * `set`/`delete` throw an Error that says what to fix. Windows has no mode bits: the file relies
 * on the profile's ACLs.
 */
export class FileSecretStore implements SecretStore {
  readonly kind: string = 'file'
  readonly path: string
  /** What the store fixed or gave up on, for the user (never contains a secret). */
  readonly warnings: string[] = []
  #cache: Record<string, string> | undefined
  #cacheStamp = ''
  /** Why the file must not be written over, for the file as last read (see `#read`). */
  #unusable: string | undefined

  constructor(file: string) {
    this.path = path.resolve(file)
  }

  /**
   * Read the file now rather than at the first secret asked for, so whatever is wrong with it is in
   * `warnings` when the caller reports at start. Returns `warnings`.
   */
  check(): readonly string[] {
    this.#read()
    return this.warnings
  }

  get(ref: string): string | undefined {
    const all = this.#read()
    return Object.hasOwn(all, ref) ? all[ref] : undefined
  }
  has(ref: string): boolean {
    return this.get(ref) !== undefined
  }
  set(ref: string, value: string): void {
    const all = { ...this.#read() }
    if (all[ref] === value) return
    all[ref] = value
    this.#write(all)
  }
  delete(ref: string): void {
    const all = this.#read()
    if (!Object.hasOwn(all, ref)) return
    const rest = { ...all }
    delete rest[ref]
    this.#write(rest)
  }

  /** The file's secrets, re-read only when its stat changes (the CLI and the app may share it). */
  #read(): Record<string, string> {
    let st: fs.Stats | undefined
    try {
      st = fs.statSync(this.path, { throwIfNoEntry: false })
    } catch (err) {
      return this.#unreadable(
        '',
        `cannot be reached (${codeOf(err)}); check its folder's permissions`
      )
    }
    if (!st) {
      this.#cache = {}
      this.#cacheStamp = ''
      this.#unusable = undefined
      return this.#cache
    }
    const stamp = `${st.ino}:${st.size}:${st.mtimeMs}:${st.mode}`
    if (this.#cache && stamp === this.#cacheStamp) return this.#cache
    if (!st.isFile()) {
      // readFileSync would throw on a directory and block on a FIFO.
      return this.#unreadable(stamp, `is ${kindOf(st)}, not a secrets file; move it away`)
    }
    if (isPosix && (st.mode & 0o077) !== 0) {
      try {
        fs.chmodSync(this.path, 0o600)
        this.warnings.push(
          `${this.path} was readable by other users (mode ${(st.mode & 0o777).toString(8)}); set it to 600`
        )
      } catch (err) {
        this.warnings.push(
          `${this.path} is readable by other users (mode ${(st.mode & 0o777).toString(8)}) and could not be set to 600 (${codeOf(err)}); fix its mode or owner`
        )
      }
    }
    let bytes: Buffer
    try {
      bytes = fs.readFileSync(this.path)
    } catch (err) {
      return this.#unreadable(stamp, `cannot be read (${codeOf(err)}); check its permissions`)
    }
    this.#unusable = undefined
    this.#cache = this.#decode(bytes)
    this.#cacheStamp = stamp
    return this.#cache
  }

  /** Read as empty, warn once per state of the file, and refuse to write over it. */
  #unreadable(stamp: string, why: string): Record<string, string> {
    const warning = `${this.path} ${why}; no stored secret can be used until then`
    if (this.#unusable !== warning || stamp !== this.#cacheStamp) this.warnings.push(warning)
    this.#unusable = warning
    this.#cache = {}
    this.#cacheStamp = stamp
    return this.#cache
  }

  #decode(bytes: Buffer): Record<string, string> {
    let doc: unknown
    try {
      doc = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''))
    } catch {
      // Not JSON: keep the bytes aside (they may be recoverable by hand) and carry on empty. The
      // parser's message is left out: V8 quotes the text around the fault, i.e. a secret.
      return this.#setAside(bytes, 'is not valid JSON')
    }
    const secrets = isRecord(doc) && isRecord(doc.secrets) ? doc.secrets : undefined
    if (!secrets) return this.#setAside(bytes, 'does not hold a "secrets" object')
    const out: Record<string, string> = {}
    for (const [ref, value] of Object.entries(secrets)) {
      if (typeof value === 'string') out[ref] = value
      else this.warnings.push(`${this.path}: the secret "${ref}" is not a string; ignored`)
    }
    return out
  }

  #setAside(bytes: Buffer, what: string): Record<string, string> {
    try {
      const aside = copyAside(this.path, bytes, 'corrupt', Date.now())
      this.warnings.push(
        `${this.path} ${what}; copied to ${aside} and started empty — enter the secrets again`
      )
    } catch (err) {
      // No copy: the file must then not be written over either.
      this.#unusable = `${this.path} ${what} and could not be copied aside (${codeOf(err)}); fix or move it`
      this.warnings.push(`${this.#unusable}; no stored secret can be used until then`)
    }
    return {}
  }

  #write(all: Record<string, string>): void {
    if (this.#unusable) throw new Error(`cannot store secrets: ${this.#unusable}`)
    if (fs.lstatSync(this.path, { throwIfNoEntry: false })?.isSymbolicLink())
      // The atomic write would replace the link, leaving its target (and whoever shares it) as it was.
      throw new Error(
        `cannot store secrets: ${this.path} is a symbolic link, and secrets are never written over one; replace it with the file itself`
      )
    const doc = { version: SECRET_FILE_VERSION, secrets: all }
    try {
      writeFileAtomic(this.path, `${JSON.stringify(doc, undefined, 2)}\n`, 0o600)
    } catch (err) {
      throw new Error(
        `cannot store secrets in ${this.path} (${codeOf(err)}); check the permissions of its folder`,
        { cause: err }
      )
    }
    this.#cache = all
    const st = fs.statSync(this.path)
    this.#cacheStamp = `${st.ino}:${st.size}:${st.mtimeMs}:${st.mode}`
  }
}

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? String(err)
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory'
  if (st.isFIFO()) return 'a named pipe (FIFO)'
  if (st.isSocket()) return 'a socket'
  return 'not a regular file'
}

/**
 * Write `data` to `file` atomically: a temp file in the same directory (created with `mode`,
 * exclusive), fsync, then rename over `file`. Readers see the old file or the new one, never a
 * part. The mode is set with chmod too, since the umask can only narrow it at creation.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  let fd: number | undefined
  try {
    fd = fs.openSync(tmp, 'wx', mode)
    fs.writeFileSync(fd, data)
    fs.fsyncSync(fd)
    fs.closeSync(fd)
    fd = undefined
    if (isPosix) fs.chmodSync(tmp, mode)
    fs.renameSync(tmp, file)
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd)
    fs.rmSync(tmp, { force: true })
    throw err
  }
}

/**
 * Copy `bytes` (the file's content as read) to `<file>.<tag>-<YYYYMMDD-HHMMSS>` in local time,
 * adding `-2`, `-3`… when that name exists: a backup is never overwritten. Mode 0600, because
 * what is being set aside may hold secrets (a version-1 settings file held tokens in plain text).
 */
export function copyAside(file: string, bytes: Uint8Array, tag: string, now: number): string {
  const base = `${file}.${tag}-${timestamp(now)}`
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    try {
      fs.writeFileSync(candidate, bytes, { flag: 'wx', mode: 0o600 })
      return candidate
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      // Taken: try the next counter.
    }
  }
}

/** `YYYYMMDD-HHMMSS`, local time. */
export function timestamp(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return (
    `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-` +
    `${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`
  )
}

/** `prod-east.1` → `PROD_EAST_1`: the suffix of a cluster's environment variables. */
export function envSuffix(clusterName: string): string {
  return clusterName.toUpperCase().replace(/[^A-Z0-9]/g, '_')
}

/**
 * Secrets from environment variables (read-only). For `cluster:<id>:auth`:
 * `SCALE_TOKEN_<NAME>` (the cluster's name through `envSuffix`), then `SCALE_TOKEN`, which applies
 * to every cluster. For `cluster:<id>:passphrase`: `SCALE_CERT_PASSPHRASE_<NAME>`, then
 * `SCALE_CERT_PASSPHRASE`. Empty variables count as unset. `clusterName` maps an id to its name.
 */
export class EnvSecretStore implements SecretStore {
  readonly kind: string = 'env'
  readonly #clusterName: (clusterId: string) => string | undefined
  readonly #env: NodeJS.ProcessEnv
  readonly #scope: 'both' | 'named' | 'global'

  /**
   * `scope` splits the two kinds of variable so a caller can rank them apart: a cluster's own
   * `SCALE_TOKEN_<NAME>` above a stored token, the catch-all `SCALE_TOKEN` below it.
   */
  constructor(
    clusterName: (clusterId: string) => string | undefined,
    env: NodeJS.ProcessEnv = process.env,
    scope: 'both' | 'named' | 'global' = 'both'
  ) {
    this.#clusterName = clusterName
    this.#env = env
    this.#scope = scope
  }

  get(ref: string): string | undefined {
    const parsed = parseSecretRef(ref)
    if (!parsed) return undefined
    const base = parsed.what === 'auth' ? 'SCALE_TOKEN' : 'SCALE_CERT_PASSPHRASE'
    if (this.#scope !== 'global') {
      const name = this.#clusterName(parsed.clusterId)
      const own = name === undefined ? undefined : this.#env[`${base}_${envSuffix(name)}`]
      if (own) return own
    }
    if (this.#scope === 'named') return undefined
    return this.#env[base] || undefined
  }
  has(ref: string): boolean {
    return this.get(ref) !== undefined
  }
  set(ref: string, _value: string): void {
    throw new Error(
      `cannot store ${ref} in environment variables (read-only); set SCALE_TOKEN_<NAME> before starting, or use a writable secret store`
    )
  }
  delete(ref: string): void {
    throw new Error(`cannot delete ${ref} from environment variables (read-only)`)
  }
}

/**
 * One store over several: `get`/`has` ask `primary` first, then each fallback in order;
 * `set`/`delete` go to `primary` only. The kind reads like `file+env`.
 */
export function layeredSecrets(primary: SecretStore, ...fallbacks: SecretStore[]): SecretStore {
  const all = [primary, ...fallbacks]
  return {
    kind: all.map((s) => s.kind).join('+'),
    get(ref) {
      for (const s of all) {
        const v = s.get(ref)
        if (v !== undefined) return v
      }
      return undefined
    },
    has(ref) {
      return all.some((s) => s.has(ref))
    },
    set(ref, value) {
      primary.set(ref, value)
    },
    delete(ref) {
      primary.delete(ref)
    }
  }
}

/** `text` with each secret of 4+ characters replaced by `•••` (longest first, so none leaks in part). */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)]
    .filter((s) => s.length >= 4)
    .sort((a, b) => b.length - a.length)
  let out = text
  for (const s of list) out = out.split(s).join('•••')
  return out
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
