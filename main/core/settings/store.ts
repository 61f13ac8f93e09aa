// Electron-free: load and save the settings document, headless with `conf` or through an
// electron-store instance the app passes in (the same file format: a pretty-printed JSON object).
//
// Loading never loses a cluster. The file is read here, byte for byte, not through conf: conf
// would throw on a file it cannot parse, or with `clearInvalidConfig` overwrite it with defaults,
// and neither lets us keep the original. So: read the bytes → parse, or salvage what is readable →
// migrate older versions → repair field by field (defaults for the broken parts only, each repair
// listed as a problem) → if anything changed, copy the original bytes aside (never overwriting a
// backup), and only then write the repaired document through conf (an atomic write: temp file +
// rename, so a crash leaves the old file or the new one). The conf instance we create gets a
// deserializer that never throws and `clearInvalidConfig: false`, so conf itself never clears or
// rewrites the file on its own; it is used for its location rules and its atomic write, and is
// only built when something is written (its constructor reads the file, and would block on a FIFO
// or throw on a directory or an unreadable file before we could say what is wrong).
//
// Some files are read but never written (`LoadResult.readOnly`): a symbolic link (conf would write
// through it to its target), anything that is not a regular file, a file or folder without write
// permission, and a file written by a newer Scale Tray (rewriting it would lose what it added).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import Conf from 'conf'
import { z } from 'zod'
import {
  ClusterConfig,
  SETTINGS_VERSION,
  Settings,
  defaultSettings,
  type ClusterConfigInput
} from './schema.ts'
import { documentVersion, migrateSettings, type MigrationContext } from './migrate.ts'
import { copyAside, MemorySecretStore, type SecretStore } from './secrets.ts'

/** One repair made while loading: where, what was wrong, and what was done / what to do. */
export interface SettingsProblem {
  /** `clusters[2].intervalSec`; '' for the file as a whole. */
  path: string
  message: string
  action: string
}

export interface LoadResult {
  settings: Settings
  /** Every repair made, in file order. Empty for a sound file. */
  problems: SettingsProblem[]
  /** Where the original file was copied before it was rewritten. */
  backupPath?: string
  /** Set when the file was an older version and was migrated. */
  migrated?: { from: number; notes: string[] }
  /**
   * Set (to the reason, also listed in `problems`) when the file must not be written: it was not
   * rewritten, and `save()` refuses until a later `load()` finds it writable. Keep the settings in
   * memory for the run and tell the user their changes are not saved.
   */
  readOnly?: string
}

export interface SettingsStore {
  /** The settings file. */
  readonly path: string
  /**
   * Read, salvage, migrate and repair the file; rewrite it (after a backup) if anything changed.
   * With `write: false` nothing is written at all (not the file, no backup, no secret a migration
   * would move): for a command that only reads, like an export.
   */
  load(opts?: { write?: boolean }): LoadResult
  /**
   * Validate and write the whole document atomically (throws a ZodError on an invalid document,
   * and an Error when the last `load()` found the file read-only or it is not a regular file).
   */
  save(settings: Settings): void
}

/**
 * What the store needs of a conf / electron-store instance: its file, and whole-document writes.
 * The instance should be built with `SAFE_CONF_OPTIONS`, or its constructor throws on a corrupt
 * file (or, with `clearInvalidConfig`, wipes it before we can copy it aside).
 */
export interface ConfLike {
  readonly path: string
  store: unknown
}

/** A cluster whose URL was missing: a name under `.invalid` (RFC 2606) never resolves. */
export const PLACEHOLDER_URL = 'https://missing-url.invalid/'

/** `clusters[2].intervalSec: 0.1 is below the minimum 1 — set to 30`. */
export function describeProblem(p: SettingsProblem): string {
  // A URL in a message may carry user:password (typed into a settings file or an import).
  return redactUserinfo(`${p.path ? `${p.path}: ` : ''}${p.message} — ${p.action}`)
}

/**
 * `text` with any `user:password@` after a `//` (in a URL, or something almost one, like
 * `http//u:p@host`) replaced by `•••@`, so a message never repeats a password typed into a URL.
 */
export function redactUserinfo(text: string): string {
  return text.replace(/\/\/[^/@\s"'\\]*@/g, '//•••@')
}

/** The settings file beside which a FileSecretStore keeps `secrets.json`. */
export function secretsPathFor(settingsPath: string): string {
  return path.join(path.dirname(settingsPath), 'secrets.json')
}

/**
 * conf options that keep it from ever throwing on, or clearing, a damaged file: it parses
 * leniently (anything unreadable reads as an empty store) and never clears. The store reads the
 * real bytes itself. For the Electron adapter to pass to electron-store as well.
 */
export const SAFE_CONF_OPTIONS = {
  clearInvalidConfig: false,
  accessPropertiesByDotNotation: false,
  deserialize: (text: string): Record<string, unknown> => {
    try {
      const v: unknown = JSON.parse(text.replace(/^\uFEFF/, ''))
      return isRecord(v) ? v : {}
    } catch {
      // Unreadable: conf sees an empty store; load() reads and salvages the bytes itself.
      return {}
    }
  }
} as const

/**
 * The settings store over `conf`. Default file: `settings.json` in the OS config folder for
 * `scale-tray` (`~/.config/scale-tray` on Linux, no `-nodejs` suffix, which on Linux is also
 * the Electron app's userData). `file` (the CLI's `--config FILE`) names any file instead, with
 * or without an extension.
 */
export function openSettingsStore(opts: {
  file?: string | undefined
  secrets: SecretStore
  now?: () => number
}): SettingsStore {
  if (opts.file !== undefined && opts.file.trim() === '')
    throw new Error('settings: the settings file name is empty')
  const location = confLocation(opts.file)
  const file = path.join(location.cwd, `${location.configName}${settingsExtension(location)}`)
  // Built on the first write: see the top of this file.
  let conf: Conf<Record<string, unknown>> | undefined
  const open = (): Conf<Record<string, unknown>> => {
    if (conf) return conf
    conf = new Conf<Record<string, unknown>>({ ...SAFE_CONF_OPTIONS, ...location })
    if (conf.path !== file) throw new Error(`settings: conf resolved ${file} to ${conf.path}`) // a conf naming change
    return conf
  }
  const lazy: ConfLike = {
    path: file,
    get store() {
      return open().store
    },
    set store(value) {
      open().store = value
    }
  }
  return settingsStoreFrom(lazy, opts.secrets, { now: opts.now })
}

function settingsExtension(l: { fileExtension?: string }): string {
  if (l.fileExtension === undefined) return '.json' // conf's default
  return l.fileExtension ? `.${l.fileExtension}` : ''
}

/**
 * The folder the tray app keeps its settings in (Electron's userData, `appData/scale-tray`), so
 * the CLI without `--config` reads the same clusters on every OS: `~/.config/scale-tray` on Linux
 * (or `$XDG_CONFIG_HOME/scale-tray`), `~/Library/Application Support/scale-tray` on macOS,
 * `%APPDATA%\scale-tray` on Windows. `SCALE_TRAY_CONFIG_DIR` overrides it.
 */
export function defaultSettingsDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform
): string {
  if (env.SCALE_TRAY_CONFIG_DIR) return path.resolve(env.SCALE_TRAY_CONFIG_DIR)
  const home = os.homedir()
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'scale-tray')
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'scale-tray')
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'scale-tray')
}

function confLocation(file: string | undefined): {
  cwd: string
  configName: string
  fileExtension?: string
} {
  if (!file) return { cwd: defaultSettingsDir(), configName: 'settings' }
  const abs = path.resolve(file)
  const ext = path.extname(abs).slice(1) // '' for `config`, `.scale-tray` and `settings.`
  return {
    cwd: path.dirname(abs),
    configName: ext ? path.basename(abs, `.${ext}`) : path.basename(abs),
    fileExtension: ext
  }
}

/** The settings store over an existing conf-like instance (electron-store in the app). */
export function settingsStoreFrom(
  conf: ConfLike,
  secrets: SecretStore,
  opts: { now?: (() => number) | undefined; newId?: () => string } = {}
): SettingsStore {
  const now = opts.now ?? Date.now
  const newId = opts.newId ?? randomUUID
  /** Why the file must not be written, from the last load(). */
  let readOnly: string | undefined
  const write = (settings: Settings) => {
    const doc = Settings.parse(settings) // parse strips anything that is not a setting
    const unsafe = unsafeTarget(conf.path)
    if (unsafe) throw new Error(`settings not saved: ${conf.path} ${unsafe}`)
    conf.store = doc
  }
  return {
    get path() {
      return conf.path
    },
    load(opts) {
      readOnly = undefined
      const writing = opts?.write ?? true
      const file = readSettingsFile(conf.path)
      if (file.kind === 'missing') {
        const ro = unwritable(conf.path, false)
        if (!ro) return { settings: defaultSettings(), problems: [] }
        readOnly = ro
        return {
          settings: defaultSettings(),
          problems: [
            {
              path: '',
              message: `${conf.path} does not exist and cannot be created: ${ro}`,
              action: `${NOT_SAVED}; check the folder's permissions`
            }
          ],
          readOnly
        }
      }
      if (file.kind === 'refused') {
        readOnly = file.problem.message
        return { settings: defaultSettings(), problems: [file.problem], readOnly }
      }
      const decoded = decodeSettingsBytes(file.bytes)
      const r = interpretSettings(
        decoded.text,
        // Reading only: a migration moves plain-text tokens into a store that is thrown away.
        { secrets: writing ? secrets : new MemorySecretStore(), newId },
        writing ? undefined : 'the file keeps it'
      )
      const problems = [...(file.readOnly ? [file.readOnly] : [])]
      if (decoded.encoding !== 'utf-8') {
        problems.push({
          path: '',
          message: `the file is ${decoded.encoding.toUpperCase()} text (as Windows PowerShell writes), not UTF-8`,
          action: file.readOnly || r.readOnly ? 'read it' : 'read it and rewrote it as UTF-8'
        })
      }
      problems.push(...r.problems)
      const result: LoadResult = { settings: r.settings, problems }
      if (r.migrated) result.migrated = r.migrated
      readOnly = file.readOnly?.message ?? r.readOnly
      if (readOnly) {
        result.readOnly = readOnly
        return result // nothing is rewritten, so nothing needs a backup
      }
      if (!writing) return result
      const backupTag = r.backupTag ?? (decoded.encoding === 'utf-8' ? undefined : 'utf16')
      if (!backupTag) return result
      try {
        result.backupPath = copyAside(conf.path, file.bytes, backupTag, now())
      } catch (err) {
        // No copy, no rewrite: the original must survive until it is safely aside.
        result.problems.push({
          path: '',
          message: `could not copy the file aside before repairing it (${errorCode(err)})`,
          action: 'using the repaired settings for now and leaving the file alone'
        })
        return result
      }
      if (r.migrated && r.secretsMoved > 0) {
        r.migrated.notes.push(
          `the old file is kept as ${result.backupPath}; it still holds the tokens in plain text ` +
            '(readable by you only) — delete it once you have checked the migration'
        )
      }
      try {
        write(r.settings)
      } catch (err) {
        result.problems.push({
          path: '',
          message: `could not save the repaired settings (${errorCode(err)})`,
          action: `using them for now; the original is in ${result.backupPath}`
        })
      }
      return result
    },
    save(settings) {
      if (readOnly) throw new Error(`settings not saved: ${readOnly}`)
      write(settings)
    }
  }
}

/**
 * Copy the settings file, when there is one, to `<file>.<tag>-<time>` before a change the user may
 * want to undo (an import). `error` (an errno code) when it could not be copied: do not write then.
 */
export function backUpSettings(
  file: string,
  tag: string,
  now: number = Date.now()
): { path?: string; error?: string } {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch (err) {
    const code = errorCode(err)
    return code === 'ENOENT' ? {} : { error: code }
  }
  try {
    return { path: copyAside(file, bytes, tag, now) }
  } catch (err) {
    return { error: errorCode(err) }
  }
}

/** C0 and C1 control characters and DEL: never part of a name. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/
const CONTROL_CHARS_ALL = new RegExp(CONTROL_CHARS.source, 'g')

/** The `kind` of a settings export file (transfer.ts writes them), so a load can tell one. */
export const EXPORT_KIND = 'scale-tray-settings-export'

/** The end of every read-only problem's action. */
const NOT_SAVED = 'read only: changes in this run are not saved'

type FileRead =
  | { kind: 'missing' }
  /** Not read at all: not a regular file, or unreadable. The problem says which. */
  | { kind: 'refused'; problem: SettingsProblem }
  /** Read; `readOnly` when it must not be written (a link, no write permission). */
  | { kind: 'read'; bytes: Buffer; readOnly?: SettingsProblem }

/**
 * The settings file's bytes, checked first with lstat so that a FIFO is never opened (the read
 * would block), a directory or device never read, and a symbolic link never written through.
 */
function readSettingsFile(file: string): FileRead {
  const refused = (message: string, action: string): FileRead => ({
    kind: 'refused',
    problem: { path: '', message, action }
  })
  let link: fs.Stats | undefined
  try {
    link = fs.lstatSync(file, { throwIfNoEntry: false })
  } catch (err) {
    return refused(
      `cannot reach ${file} (${errorCode(err)})`,
      `using the defaults; ${NOT_SAVED}; check the permissions of its folder`
    )
  }
  if (!link) return { kind: 'missing' }
  let readOnly: SettingsProblem | undefined
  if (link.isSymbolicLink()) {
    let target: fs.Stats | undefined
    try {
      target = fs.statSync(file, { throwIfNoEntry: false })
    } catch {
      // A loop or an unreadable folder on the way: described as a link to nothing readable.
      target = undefined
    }
    const to = linkTarget(file)
    if (!target?.isFile()) {
      return refused(
        `${file} is a symbolic link to ${target ? fileKind(target) : 'nothing'}${to}, not a settings file`,
        `nothing was read or written; ${NOT_SAVED}; give the real settings file instead`
      )
    }
    readOnly = {
      path: '',
      message: `${file} is a symbolic link${to}; settings are never written through a link`,
      action: `read it; ${NOT_SAVED}; give the real file instead to keep changes`
    }
  } else if (!link.isFile()) {
    return refused(
      `${file} is ${fileKind(link)}, not a settings file`,
      `nothing was read or written; ${NOT_SAVED}; give the path of a settings file${link.isDirectory() ? ` (e.g. ${path.join(file, 'settings.json')})` : ''}`
    )
  }
  let bytes: Buffer
  try {
    bytes = readRegularFile(file, link.isSymbolicLink())
  } catch (err) {
    return refused(
      `cannot read ${file} (${errorCode(err)})`,
      `using the defaults and leaving the file alone; ${NOT_SAVED}; check its permissions`
    )
  }
  if (!readOnly) {
    const ro = unwritable(file, true)
    if (ro) readOnly = { path: '', message: `${file} ${ro}`, action: `read it; ${NOT_SAVED}` }
  }
  return readOnly ? { kind: 'read', bytes, readOnly } : { kind: 'read', bytes }
}

/**
 * Read a regular file without blocking: O_NONBLOCK so a FIFO swapped in after the lstat cannot
 * hang the open, O_NOFOLLOW (unless `follow`) so a link swapped in is not followed, and an fstat of
 * what was opened.
 */
function readRegularFile(file: string, follow: boolean): Buffer {
  const c = fs.constants as Partial<typeof fs.constants>
  const flags = (c.O_RDONLY ?? 0) | (c.O_NONBLOCK ?? 0) | (follow ? 0 : (c.O_NOFOLLOW ?? 0))
  const fd = fs.openSync(file, flags)
  try {
    if (!fs.fstatSync(fd).isFile())
      throw Object.assign(new Error('not a file'), { code: 'ENOTREG' })
    return fs.readFileSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/** Why `file` (or, when it does not exist, the file to be created there) cannot be written. */
function unwritable(file: string, exists: boolean): string | undefined {
  if (exists && !canWrite(file)) return 'is read-only'
  // The atomic write renames a new file into the folder, which the folder must allow. A folder
  // not there yet is created, so the nearest one that is must allow that instead.
  let dir = path.dirname(file)
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  return canWrite(dir) ? undefined : `is in a folder that is not writable (${dir})`
}

/**
 * access(W_OK), and on POSIX also some write bit set: root passes access() on any file, but a file
 * or folder with no write bit at all was made read-only on purpose.
 */
function canWrite(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.W_OK)
    return process.platform === 'win32' || (fs.statSync(p).mode & 0o222) !== 0
  } catch {
    // EACCES/EROFS/EPERM, or gone: not writable either way.
    return false
  }
}

/** Why writing `file` now would be unsafe (a link or not a regular file), or undefined. */
function unsafeTarget(file: string): string | undefined {
  let st: fs.Stats | undefined
  try {
    st = fs.lstatSync(file, { throwIfNoEntry: false })
  } catch {
    // Cannot even look: the write fails on its own with the real error.
    return undefined
  }
  if (!st || st.isFile()) return undefined
  return st.isSymbolicLink()
    ? 'is a symbolic link; settings are never written through a link'
    : `is ${fileKind(st)}, not a settings file`
}

function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory'
  if (st.isFIFO()) return 'a named pipe (FIFO)'
  if (st.isSocket()) return 'a socket'
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device'
  if (st.isSymbolicLink()) return 'a symbolic link'
  return st.isFile() ? 'a file' : 'not a regular file'
}

function linkTarget(file: string): string {
  try {
    return ` (to ${fs.readlinkSync(file)})`
  } catch {
    // The link vanished meanwhile: say nothing about where it led.
    return ''
  }
}

/**
 * The text of a settings file: UTF-8 (with or without a byte-order mark), or UTF-16 with a BOM
 * (what Windows PowerShell 5 writes with `>` or `Out-File`) or without one (told by the zero
 * bytes of the ASCII `{` or `[` a settings file starts with).
 */
export function decodeSettingsBytes(bytes: Uint8Array): {
  text: string
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be'
} {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const [b0, b1] = [b[0], b[1]]
  const le = (b0 === 0xff && b1 === 0xfe) || (b.length >= 2 && b0 !== 0 && b1 === 0)
  const be = (b0 === 0xfe && b1 === 0xff) || (b.length >= 2 && b0 === 0 && b1 !== 0)
  if (le) return { text: b.toString('utf16le').replace(/^\uFEFF/, ''), encoding: 'utf-16le' }
  if (be) {
    const swapped = Buffer.from(b.subarray(0, b.length - (b.length % 2))).swap16()
    return { text: swapped.toString('utf16le').replace(/^\uFEFF/, ''), encoding: 'utf-16be' }
  }
  return { text: b.toString('utf8'), encoding: 'utf-8' }
}

export interface Interpretation {
  settings: Settings
  problems: SettingsProblem[]
  migrated?: { from: number; notes: string[] }
  /** Set when the file must be copied aside and rewritten: `corrupt`, `v1`, `v3`… */
  backupTag?: string
  /** Plain-text secrets the old document held (a migration moves them to the secret store). */
  secretsMoved: number
  /** Set when the file must not be rewritten: it was written by a newer Scale Tray. */
  readOnly?: string
}

/**
 * The pure core of `load()` (apart from secrets a migration moves): text in, settings and the
 * list of repairs out. Never throws on any text.
 */
export function interpretSettings(
  text: string,
  ctx: MigrationContext,
  /** Where a left-out field survives when the file is not rewritten (default: the backup). */
  keptBy?: string
): Interpretation {
  const salvage = salvageJson(text)
  const problems = [...salvage.problems]
  let doc = salvage.value
  let readOnly: string | undefined
  if (isRecord(doc) && doc.kind === EXPORT_KIND && isRecord(doc.settings)) {
    // An export given where the settings file goes: read the settings it carries, but never
    // rewrite it as a settings file (that would drop its note and look like damage).
    readOnly = 'the file is a settings export, not a settings file'
    problems.push({
      path: '',
      message: readOnly,
      action: `read the settings it holds; ${NOT_SAVED}; to keep them, use: scale-tray settings import FILE`
    })
    doc = doc.settings
  }
  let backupTag = salvage.method === 'json' ? undefined : 'corrupt'
  let migrated: Interpretation['migrated']
  let secretsMoved = 0
  if (isRecord(doc)) {
    const v = documentVersion(doc)
    if (v === undefined) {
      problems.push({
        path: 'version',
        message: `${show(doc.version)} is not a settings version`,
        action: `read as version ${SETTINGS_VERSION}`
      })
    } else if (v > SETTINGS_VERSION) {
      // Rewriting it as this version would lose whatever the newer one added: leave it be.
      readOnly ??= `settings written by a newer Scale Tray (version ${v}; this one reads version ${SETTINGS_VERSION})`
      problems.push({
        path: 'version',
        message: `${v}: ${readOnly}`,
        action: `read what this version knows; ${NOT_SAVED}, and the file is left as it is`
      })
    } else if (v < SETTINGS_VERSION) {
      secretsMoved = countPlainTokens(doc)
      const m = migrateSettings(doc, ctx)
      doc = m.document
      migrated = { from: m.from, notes: m.notes }
    }
  }
  const repaired = repairSettings(doc, {
    newId: ctx.newId,
    partial: salvage.partial,
    ...(readOnly ? { keptBy: 'the file keeps it' } : keptBy ? { keptBy } : {})
  })
  problems.push(...repaired.problems)
  if (!backupTag && problems.length > 0) backupTag = 'corrupt'
  if (!backupTag && migrated) backupTag = `v${migrated.from}`
  const out: Interpretation = { settings: repaired.settings, problems, secretsMoved }
  if (migrated) out.migrated = migrated
  if (readOnly) out.readOnly = readOnly
  else if (backupTag) out.backupTag = backupTag
  return out
}

/** v1 documents kept plain-text tokens: how many, so the user can be told the backup has them. */
function countPlainTokens(doc: Record<string, unknown>): number {
  const clusters = Array.isArray(doc.clusters) ? doc.clusters : []
  return clusters.filter((c) => isRecord(c) && typeof c.token === 'string' && c.token !== '').length
}

// ---------------------------------------------------------------------------------------------
// Salvage: read what can be read from text that is not JSON.

export interface Salvage {
  /** The document, or the complete parts of it; undefined when nothing could be read. */
  value: unknown
  /** `json`: it parsed; `lenient`: after removing comments and trailing commas; `pieces`: by scanning. */
  method: 'json' | 'lenient' | 'pieces'
  problems: SettingsProblem[]
  /** Paths (`clusters[4]`) of objects that were cut off or damaged and kept in part. */
  partial: Set<string>
}

/**
 * Parse `text` as JSON, or read as much of it as possible: strip comments and trailing commas
 * and retry; failing that, scan it (string- and bracket-aware) key by key and element by element,
 * keeping every complete value, so a file cut off in the 5th cluster still yields the first 4
 * (and whatever of the 5th came before the cut). Never throws.
 */
export function salvageJson(text: string): Salvage {
  const partial = new Set<string>()
  const t = text.replace(/^\uFEFF/, '')
  const strict = tryParse(t)
  if (strict.ok) return { value: strict.value, method: 'json', problems: [], partial }
  if (t.trim() === '') {
    return {
      value: undefined,
      method: 'pieces',
      problems: [{ path: '', message: 'the file is empty', action: 'started from the defaults' }],
      partial
    }
  }
  const lenientText = stripLenient(t)
  const lenient = tryParse(lenientText)
  if (lenient.ok) {
    return {
      value: lenient.value,
      method: 'lenient',
      problems: [
        {
          path: '',
          message: 'the file is not strict JSON (it has comments or trailing commas)',
          action: 'read it anyway and rewrote it as strict JSON (comments are not kept)'
        }
      ],
      partial
    }
  }
  const acc: Acc = { problems: [], partial }
  let value: Record<string, unknown> | unknown[] | undefined
  let cut = false
  let deepAt: string | undefined
  const start = skipWs(lenientText, 0)
  if (lenientText[start] === '{') {
    const r = salvageObject(lenientText, start, '', acc, 0)
    value = r.value
    cut = r.cut
    deepAt = r.deepAt
  } else if (lenientText[start] === '[') {
    // A bare list of clusters (repairSettings reads a top-level list as the clusters).
    const r = salvageArray(lenientText, start, 'clusters', acc, 0)
    value = r.items
    cut = r.cut
    deepAt = r.deepAt
  } else {
    // Not an object at all: still look for a clusters list anywhere in it.
    const m = /"clusters"\s*:\s*\[/.exec(lenientText)
    if (m) {
      const r = salvageArray(lenientText, m.index + m[0].length - 1, 'clusters', acc, 1)
      value = { clusters: r.items }
      cut = r.cut
      deepAt = r.deepAt
    }
  }
  if (deepAt !== undefined) acc.problems.push(tooDeep(deepAt))
  const readSome = value !== undefined && Object.keys(value).length > 0
  acc.problems.unshift({
    path: '',
    message: cut
      ? 'the file is not valid JSON: it ends early, as if cut off while being written'
      : 'the file is not valid JSON',
    action: readSome
      ? 'kept every part that could be read; the rest uses the defaults'
      : 'nothing in it could be read; started from the defaults'
  })
  return { value, method: 'pieces', problems: acc.problems, partial }
}

interface Acc {
  problems: SettingsProblem[]
  partial: Set<string>
}

/**
 * How deep the salvage scanner goes. No setting is nested more than five levels; the bound keeps a
 * file of a million `[` from overflowing the stack (the scanner recurses) or taking quadratic time.
 */
const MAX_SALVAGE_DEPTH = 32

function tooDeep(at: string): SettingsProblem {
  return {
    path: at,
    message: `nested more than ${MAX_SALVAGE_DEPTH} levels deep (no setting is)`,
    action: 'could not be read and was skipped (the backup holds it)'
  }
}

type Parsed = { ok: true; value: unknown } | { ok: false }

function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    // Not JSON; the caller falls back to the next way of reading it.
    return { ok: false }
  }
}

const isWs = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r'

function skipWs(t: string, i: number): number {
  while (i < t.length && isWs(t[i])) i++
  return i
}

function skipSeparators(t: string, i: number): number {
  while (i < t.length && (isWs(t[i]) || t[i] === ',')) i++
  return i
}

/** Index after the string starting at `i` (a `"`), or -1 if the text ends inside it. */
function stringEnd(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    if (t[j] === '\\') j++
    else if (t[j] === '"') return j + 1
  }
  return -1
}

/** Index after the JSON value starting at `i`, by brackets and strings; -1 if the text ends first. */
function valueEnd(t: string, i: number): number {
  const c = t[i]
  if (c === '"') return stringEnd(t, i)
  if (c === '{' || c === '[') {
    let depth = 0
    for (let j = i; j < t.length; j++) {
      const d = t[j]
      if (d === '"') {
        const e = stringEnd(t, j)
        if (e < 0) return -1
        j = e - 1
      } else if (d === '{' || d === '[') depth++
      else if (d === '}' || d === ']') {
        depth--
        if (depth === 0) return j + 1
      }
    }
    return -1
  }
  let j = i
  while (j < t.length && !isWs(t[j]) && t[j] !== ',' && t[j] !== '}' && t[j] !== ']') j++
  // A scalar running into the end of the text may itself be cut (`30` of `300`).
  return j >= t.length ? -1 : j
}

/**
 * Comments and trailing commas replaced by spaces (newlines kept, so positions stay true), outside
 * strings. A string the text ends inside is left as it is.
 */
function stripLenient(t: string): string {
  const out = t.split('')
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' '
  }
  for (let i = 0; i < t.length; i++) {
    const c = t[i]
    if (c === '"') {
      const e = stringEnd(t, i)
      if (e < 0) break
      i = e - 1
    } else if (c === '/' && t[i + 1] === '/') {
      const nl = t.indexOf('\n', i)
      const end = nl < 0 ? t.length : nl
      blank(i, end)
      i = end - 1
    } else if (c === '/' && t[i + 1] === '*') {
      const close = t.indexOf('*/', i + 2)
      const end = close < 0 ? t.length : close + 2
      blank(i, end)
      i = end - 1
    }
  }
  // Trailing commas, on the comment-free text.
  const text = out.join('')
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      const e = stringEnd(text, i)
      if (e < 0) break
      i = e - 1
    } else if (c === ',') {
      const next = text[skipWs(text, i + 1)]
      if (next === '}' || next === ']') out[i] = ' '
    }
  }
  return out.join('')
}

function lineOf(t: string, i: number): number {
  let n = 1
  for (let k = 0; k < i && k < t.length; k++) if (t[k] === '\n') n++
  return n
}

/** `deepAt`: the first value inside that was nested too deeply to read (and was left out). */
function salvageObject(
  t: string,
  start: number,
  at: string,
  acc: Acc,
  depth: number
): { value: Record<string, unknown>; cut: boolean; deepAt?: string } {
  const value: Record<string, unknown> = {}
  let deepAt: string | undefined
  const done = (cut: boolean) => (deepAt === undefined ? { value, cut } : { value, cut, deepAt })
  let i = start + 1
  let reportedStray = false
  const stray = (pos: number) => {
    if (reportedStray) return
    reportedStray = true
    acc.problems.push({
      path: at,
      message: `unreadable text at line ${lineOf(t, pos)}`,
      action: 'skipped it and read on'
    })
  }
  for (;;) {
    i = skipSeparators(t, i)
    if (i >= t.length) return done(true)
    if (t[i] === '}') return done(false)
    if (t[i] !== '"') {
      // Not the start of a key: skip to the next quote, which may start one.
      stray(i)
      const next = t.indexOf('"', i + 1)
      if (next < 0) return done(true)
      i = next
      continue
    }
    const keyEnd = stringEnd(t, i)
    if (keyEnd < 0) return done(true)
    const key = tryParse(t.slice(i, keyEnd))
    i = skipWs(t, keyEnd)
    if (!key.ok || typeof key.value !== 'string' || t[i] !== ':') {
      stray(i)
      continue
    }
    i = skipWs(t, i + 1)
    if (i >= t.length) return done(true)
    const sub = at ? `${at}.${key.value}` : key.value
    const end = valueEnd(t, i)
    if (end >= 0) {
      const parsed = tryParse(t.slice(i, end))
      if (parsed.ok) {
        setOwn(value, key.value, parsed.value)
        i = end
        continue
      }
    }
    const piece = salvageValue(t, i, end, sub, acc, depth + 1)
    if (piece.present) setOwn(value, key.value, piece.value)
    else if (piece.deep) deepAt ??= piece.deepAt ?? sub
    if (end < 0) return done(true)
    i = end
  }
}

function salvageArray(
  t: string,
  start: number,
  at: string,
  acc: Acc,
  depth: number
): { items: unknown[]; cut: boolean; deepAt?: string } {
  const items: unknown[] = []
  let deepAt: string | undefined
  const done = (cut: boolean) => (deepAt === undefined ? { items, cut } : { items, cut, deepAt })
  let i = start + 1
  for (let n = 0; ; n++) {
    i = skipSeparators(t, i)
    if (i >= t.length) return done(true)
    if (t[i] === ']') return done(false)
    if (t[i] === '}') {
      acc.problems.push({
        path: at,
        message: `the list is damaged at line ${lineOf(t, i)}`,
        action: 'kept the entries before the damage'
      })
      return done(false)
    }
    const end = valueEnd(t, i)
    if (end >= 0) {
      const parsed = tryParse(t.slice(i, end))
      if (parsed.ok) {
        items.push(parsed.value)
        i = end
        continue
      }
    }
    const piece = salvageValue(t, i, end, `${at}[${n}]`, acc, depth + 1)
    if (piece.present) {
      if (piece.partial) acc.partial.add(`${at}[${items.length}]`)
      items.push(piece.value)
    } else if (piece.deep) deepAt ??= piece.deepAt ?? `${at}[${n}]`
    if (end < 0) return done(true)
    i = end
  }
}

/**
 * A value that was cut off (`end` < 0) or did not parse: keep its readable parts, say so. A value
 * nested too deeply to read, and a list or object holding nothing else, is `deep`: left out, and
 * reported once, by the nearest level that keeps something (`deepAt` names the value).
 */
function salvageValue(
  t: string,
  i: number,
  end: number,
  at: string,
  acc: Acc,
  depth: number
): { present: boolean; value?: unknown; partial?: boolean; deep?: boolean; deepAt?: string } {
  const what = end < 0 ? 'the file ends inside this entry' : 'this entry is damaged'
  if ((t[i] === '{' || t[i] === '[') && depth > MAX_SALVAGE_DEPTH)
    return { present: false, deep: true }
  if (t[i] === '{') {
    const r = salvageObject(t, i, at, acc, depth)
    const keys = Object.keys(r.value)
    if (keys.length === 0 && r.deepAt !== undefined)
      return { present: false, deep: true, deepAt: at }
    if (r.deepAt !== undefined) acc.problems.push(tooDeep(r.deepAt))
    if (keys.length === 0) {
      acc.problems.push({
        path: at,
        message: `${what} before any of it could be read`,
        action: 'it could not be recovered; add it again (the backup holds what remained)'
      })
      return { present: false }
    }
    acc.problems.push({
      path: at,
      message: what,
      action: `kept what could be read (${keys.join(', ')}); the rest uses the defaults`
    })
    return { present: true, value: r.value, partial: true }
  }
  if (t[i] === '[') {
    const r = salvageArray(t, i, at, acc, depth)
    if (r.items.length === 0 && r.deepAt !== undefined)
      return { present: false, deep: true, deepAt: at }
    if (r.deepAt !== undefined) acc.problems.push(tooDeep(r.deepAt))
    acc.problems.push({
      path: at,
      message: end < 0 ? 'the file ends inside this list' : 'this list is damaged',
      action: `kept the ${r.items.length} entries that could be read`
    })
    return { present: true, value: r.items, partial: true }
  }
  acc.problems.push({
    path: at,
    message: `${what} and cannot be read`,
    action: 'the default is used'
  })
  return { present: false }
}

// ---------------------------------------------------------------------------------------------
// Repair: defaults for the broken parts only, every repair listed, no cluster dropped.

type Shape = Record<string, z.ZodType>

/** Keys a store file may hold that are not settings: conf's own migration bookkeeping. */
const CONF_KEYS = new Set(['__internal__'])

/**
 * A valid Settings document from any parsed value. Fields that fail the schema get their default
 * (or are removed when optional), unknown fields are left out, and every such change is a
 * problem. Every entry under `clusters` stays a cluster: see `repairCluster`.
 */
export function repairSettings(
  doc: unknown,
  opts: {
    newId?: (() => string) | undefined
    partial?: ReadonlySet<string>
    /** Where a left-out unknown field survives, for its message: `the backup keeps it`. */
    keptBy?: string
  } = {}
): { settings: Settings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = []
  const newId = opts.newId ?? randomUUID
  const fields: FieldContext = { problems, keptBy: opts.keptBy ?? 'the backup keeps it' }
  if (Array.isArray(doc) && doc.some((c) => isRecord(c))) {
    // `[{ "name": …, "url": … }, …]`: a list of clusters written by hand or by another tool.
    problems.push({
      path: '',
      message: 'the file holds a list, not a settings object',
      action: `read its ${doc.length} entries as the clusters`
    })
    doc = { clusters: doc }
  }
  if (!isRecord(doc)) {
    if (doc !== undefined) {
      problems.push({
        path: '',
        message: `the file holds ${show(doc)}, not a settings object`,
        action: 'started from the defaults'
      })
    }
    return { settings: defaultSettings(), problems }
  }
  const { version: _version, clusters: rawClusters, ...rest } = doc
  const entries = clusterEntries(rawClusters, problems)
  const clusters: ClusterConfig[] = []
  const seen = new Map<string, number>()
  entries.forEach(({ raw, nameHint }, i) => {
    const at = `clusters[${i}]`
    const c = repairCluster(
      raw,
      i,
      at,
      { newId, partial: opts.partial?.has(at) ?? false, nameHint },
      fields
    )
    const first = seen.get(c.id)
    if (first !== undefined) {
      const id = newId()
      problems.push({
        path: `${at}.id`,
        message: `${show(c.id)} is also the id of clusters[${first}]`,
        action: `gave this cluster the new id ${id}`
      })
      c.id = id
    }
    seen.set(c.id, i)
    clusters.push(c)
  })
  const { version: _v, clusters: _c, ...topShape } = Settings.shape
  const fixed = repairFields(topShape, rest, '', fields, CONF_KEYS)
  const parsed = Settings.safeParse({ ...fixed, version: SETTINGS_VERSION, clusters })
  if (parsed.success) return { settings: parsed.data, problems }
  // Not expected (every field was checked on its own); keep the clusters whatever happens.
  problems.push({
    path: '',
    message: `the settings could not be repaired field by field (${parsed.error.issues[0]?.message ?? 'unknown'})`,
    action: 'kept the clusters and used the defaults for everything else'
  })
  return { settings: { ...defaultSettings(), clusters }, problems }
}

function clusterEntries(
  raw: unknown,
  problems: SettingsProblem[]
): { raw: unknown; nameHint?: string }[] {
  if (raw === undefined) return []
  if (Array.isArray(raw)) return raw.map((r: unknown) => ({ raw: r }))
  if (isRecord(raw)) {
    // `{ "prod": {…}, "test": {…} }`: a hand-written map; its values are the clusters.
    const list = Object.entries(raw).map(([k, v]) => ({ raw: v, nameHint: k }))
    problems.push({
      path: 'clusters',
      message: 'is an object, not a list',
      action: `read its ${list.length} entries as clusters (named after their keys where they have no name)`
    })
    return list
  }
  if (typeof raw === 'string' && raw.trim() !== '') {
    problems.push({
      path: 'clusters',
      message: `${show(raw)} is not a list`,
      action: 'read it as one cluster'
    })
    return [{ raw }]
  }
  problems.push({
    path: 'clusters',
    message: `${show(raw)} is not a list of clusters`,
    action: 'no clusters could be read from it'
  })
  return []
}

/**
 * One cluster from any entry. Good fields are kept; bad ones get defaults. A missing id gets a
 * new one; a missing name is taken from the URL's host. A cluster without a usable http(s) URL is
 * kept but disabled: a bad URL is kept as written, a missing one becomes `PLACEHOLDER_URL`. An
 * entry that is not an object at all becomes a disabled placeholder (a string is taken as its URL),
 * so the user sees it and can fix or delete it.
 */
function repairCluster(
  raw: unknown,
  i: number,
  at: string,
  ctx: { newId: () => string; partial: boolean; nameHint?: string | undefined },
  fieldCtx: FieldContext
): ClusterConfig {
  const problems = fieldCtx.problems
  let obj: Record<string, unknown>
  let disable = ctx.partial
  if (isRecord(raw)) obj = raw
  else if (typeof raw === 'string' && raw.trim() !== '') {
    obj = { url: raw.trim() }
    problems.push({
      path: at,
      message: `${show(raw)} is a bare string, not a cluster`,
      action: 'kept it as a cluster with that URL; check its name and settings'
    })
  } else {
    obj = {}
    disable = true
    problems.push({
      path: at,
      message: `${show(raw)} is not a cluster`,
      action: 'kept a disabled placeholder in its place; fix or delete it'
    })
  }
  const { id: rawId, name: rawName, url: rawUrl, ...rest } = obj

  let id: string
  if (typeof rawId === 'string' && rawId.trim() !== '') id = rawId
  else {
    id = ctx.newId()
    problems.push({
      path: `${at}.id`,
      message: rawId === undefined ? 'missing' : `${show(rawId)} is not an id`,
      action: `gave the cluster the id ${id}`
    })
  }

  let url: string
  if (typeof rawUrl === 'string' && rawUrl.trim() !== '') {
    url = rawUrl.trim()
    if (!isHttpUrl(url)) {
      disable = true
      problems.push({
        path: `${at}.url`,
        message: `${show(url)} is not an http:// or https:// URL`,
        action: 'kept it as written and disabled the cluster; correct the URL, then enable it'
      })
    }
  } else {
    url = PLACEHOLDER_URL
    disable = true
    problems.push({
      path: `${at}.url`,
      message: rawUrl === undefined || rawUrl === '' ? 'missing' : `${show(rawUrl)} is not a URL`,
      action: `set to the placeholder ${PLACEHOLDER_URL} (a name that never resolves) and disabled the cluster; enter its URL, then enable it`
    })
  }

  let name: string
  let trimmed = typeof rawName === 'string' ? rawName.trim() : ''
  if (CONTROL_CHARS.test(trimmed)) {
    // A terminal would obey them: colours, a cleared screen, a forged line of output.
    const cleaned = trimmed.replace(CONTROL_CHARS_ALL, '').trim()
    problems.push({
      path: `${at}.name`,
      message: 'holds control characters (escape sequences, line breaks)',
      action: cleaned ? `removed them: ${show(cleaned)}` : 'removed them, which left no name'
    })
    trimmed = cleaned
  }
  if (trimmed !== '' && trimmed.length <= 80) name = trimmed
  else if (trimmed.length > 80) {
    name = trimmed.slice(0, 80).trim()
    problems.push({
      path: `${at}.name`,
      message: `is ${trimmed.length} characters long (the most is 80)`,
      action: `shortened to ${show(name)}`
    })
  } else {
    name = fallbackName(url, ctx.nameHint, i)
    problems.push({
      path: `${at}.name`,
      message: rawName === undefined ? 'missing' : `${show(rawName)} is not a name`,
      action: `named it ${show(name)}`
    })
  }

  const { id: _i, name: _n, url: _u, ...shape } = ClusterConfig.shape
  const fields = repairFields(shape, rest, at, fieldCtx)
  if (disable && fields.enabled !== false) {
    fields.enabled = false
    if (ctx.partial) {
      problems.push({
        path: `${at}.enabled`,
        message: 'the cluster could only be read in part',
        action: 'disabled it; check its settings, then enable it'
      })
    }
  }
  const input: ClusterConfigInput = { ...fields, id, name, url }
  const parsed = ClusterConfig.safeParse(input)
  if (parsed.success) return parsed.data
  // Not expected (every field was checked on its own); never drop the cluster for it.
  problems.push({
    path: at,
    message: `could not be repaired field by field (${parsed.error.issues[0]?.message ?? 'unknown'})`,
    action: 'kept its id, name and URL with default settings, disabled'
  })
  return ClusterConfig.parse({ id, name, url, enabled: false })
}

function fallbackName(url: string, hint: string | undefined, i: number): string {
  if (hint?.trim()) return hint.trim().slice(0, 80)
  if (url !== PLACEHOLDER_URL && URL.canParse(url)) {
    const host = new URL(url).hostname
    if (host) return host.slice(0, 80)
  }
  return `Cluster ${i + 1}`
}

function isHttpUrl(s: string): boolean {
  if (!URL.canParse(s)) return false
  const u = new URL(s)
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== ''
}

interface FieldContext {
  problems: SettingsProblem[]
  /** Where a left-out unknown field survives: `the backup keeps it`. */
  keptBy: string
}

/**
 * The fields of `value` that `shape` accepts, recursing into nested objects and records, so a bad
 * leaf costs only that leaf. Failing and unknown fields are left out (the schema's default then
 * applies) and listed in `problems`. `ignore` names keys to drop without a word.
 */
function repairFields(
  shape: Shape,
  value: Record<string, unknown>,
  at: string,
  ctx: FieldContext,
  ignore: ReadonlySet<string> = new Set()
): Record<string, unknown> {
  const problems = ctx.problems
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const p = at ? `${at}.${key}` : key
    if (ignore.has(key)) continue
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined
    if (!field) {
      problems.push({
        path: p,
        message: 'not a setting this version knows',
        action: `left it out (${ctx.keptBy})`
      })
      continue
    }
    if (v === undefined) continue
    const inner = unwrap(field)
    if (inner instanceof z.ZodObject && isRecord(v)) {
      setOwn(out, key, repairFields(inner.shape, v, p, ctx))
      continue
    }
    if (inner instanceof z.ZodRecord && isRecord(v)) {
      setOwn(out, key, repairRecord(inner, v, p, problems))
      continue
    }
    const r = field.safeParse(v)
    if (r.success) {
      setOwn(out, key, v)
      continue
    }
    const issue = r.error.issues[0]
    const fallback = field.safeParse(undefined)
    problems.push({
      path: p,
      message: issue ? describeIssue(issue, v) : `${show(v)} is not valid`,
      action:
        !fallback.success || fallback.data === undefined
          ? 'removed it'
          : isRecord(fallback.data)
            ? 'set to the defaults'
            : `set to ${show(fallback.data)}`
    })
  }
  return out
}

function repairRecord(
  schema: z.ZodRecord,
  value: Record<string, unknown>,
  at: string,
  problems: SettingsProblem[]
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const p = `${at}[${JSON.stringify(key)}]`
    const k = (schema.keyType as z.ZodType).safeParse(key)
    const r = (schema.valueType as z.ZodType).safeParse(v)
    if (k.success && r.success) setOwn(out, key, v)
    else {
      const issue = k.success ? (r.success ? undefined : r.error.issues[0]) : k.error.issues[0]
      problems.push({
        path: p,
        message: issue ? describeIssue(issue, k.success ? v : key) : 'is not valid',
        action: 'removed this entry'
      })
    }
  }
  return out
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s
  while (cur instanceof z.ZodDefault || cur instanceof z.ZodOptional)
    cur = cur.unwrap() as z.ZodType
  return cur
}

const TYPE_NAMES: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  string: 'text',
  object: 'an object',
  array: 'a list'
}

/** "0.1 is below the minimum 1", "\"loud\" is not one of \"ignore\", \"info\", …". */
function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const v = valueAt(root, issue.path)
  const where =
    issue.path.length > 0 ? ` (at ${issue.path.map((k) => `[${String(k)}]`).join('')})` : ''
  const s = show(v)
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'number'
        ? `${s} is below the minimum ${String(issue.minimum)}${where}`
        : `${s} is too short${where}`
    case 'too_big':
      return issue.origin === 'number'
        ? `${s} is above the maximum ${String(issue.maximum)}${where}`
        : `${s} is too long${where}`
    case 'invalid_type':
      return `${s} is not ${TYPE_NAMES[issue.expected] ?? issue.expected}${where}`
    case 'invalid_value':
      return `${s} is not one of ${issue.values.map((x) => show(x)).join(', ')}${where}`
    case 'invalid_format':
      // Our regexes carry a readable message ("a colour like #3b82f6").
      return `${s} is not ${issue.message.startsWith('a') ? issue.message : `a valid ${issue.format}`}${where}`
    default:
      return `${s}: ${issue.message}${where}`
  }
}

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
  let cur = root
  for (const k of p) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<PropertyKey, unknown>)[k]
  }
  return cur
}

/** A short, JSON-like rendering of a value for messages. */
function show(v: unknown): string {
  if (v === undefined) return 'nothing'
  let s: string
  try {
    s = JSON.stringify(v) ?? typeof v
  } catch {
    // Cannot happen for parsed JSON; the type is enough for a message.
    s = typeof v
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s
}

/** Define `key` on `obj` as an own property, even `__proto__` (a key JSON.parse can produce). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return code ?? (err instanceof Error ? err.message : String(err))
}
