// Electron-free: settings export and import. An export is the settings document with every
// secret reference removed (secrets never leave the secret store) and a note of which clusters
// need credentials again; an import validates and repairs like loading a file does, adds the
// clusters that are new, and replaces existing ones only when asked.
import { randomUUID } from 'node:crypto'
import { migrateSettings, documentVersion } from './migrate.ts'
import { SETTINGS_VERSION, type ClusterConfig, type Settings } from './schema.ts'
import { MemorySecretStore, secretRef } from './secrets.ts'
import { describeProblem, EXPORT_KIND, PLACEHOLDER_URL, repairSettings } from './store.ts'
import type { ImportReport } from '../types.ts'

export type { ImportReport }

export { EXPORT_KIND }

export interface CredentialNeed {
  name: string
  /** `token`, `bearer`, `basic as alice`, `client certificate passphrase`… */
  what: string[]
}

/**
 * A URL without user:password. Text that is not a URL is dropped when `dropNonUrl` (a proxy
 * "URL" that cannot be used might be a password) and kept as it is otherwise.
 */
function stripUserinfo(
  url: string | undefined,
  dropNonUrl = false
): { url: string | undefined; stripped: boolean } {
  if (!url) return { url, stripped: false }
  if (!URL.canParse(url))
    return dropNonUrl ? { url: undefined, stripped: true } : { url, stripped: false }
  const u = new URL(url)
  if (!u.username && !u.password) return { url, stripped: false }
  u.username = ''
  u.password = ''
  return { url: u.href, stripped: true }
}

/** What a cluster needs entered after import: its auth secret and/or a certificate passphrase. */
export function credentialNeeds(c: ClusterConfig): string[] {
  const what: string[] = []
  switch (c.auth.kind) {
    case 'none':
      break
    case 'basic':
      what.push(`Basic auth password${c.auth.username ? ` for ${c.auth.username}` : ''}`)
      break
    case 'token':
      what.push(c.auth.username ? `Scale token (or log in as ${c.auth.username})` : 'Scale token')
      break
    case 'bearer':
      what.push('bearer token')
      break
    case 'dcos':
      what.push('DC/OS token')
      break
  }
  if (c.tls.pfxFile || c.tls.passphraseRef) what.push('client certificate passphrase')
  return what
}

/**
 * `c` without a user or password in its API, Scale UI or proxy URL (a password typed into a URL
 * is a secret too); `stripped` names the fields that had one.
 */
function withoutUserinfo(c: ClusterConfig): { cluster: ClusterConfig; stripped: string[] } {
  const stripped: string[] = []
  const url = stripUserinfo(c.url)
  const uiUrl = stripUserinfo(c.uiUrl)
  const proxy = stripUserinfo(c.proxy.url, true)
  if (url.stripped) stripped.push('API URL')
  if (uiUrl.stripped) stripped.push('Scale UI URL')
  if (proxy.stripped) stripped.push('proxy URL')
  if (stripped.length === 0) return { cluster: c, stripped }
  const { uiUrl: _u, ...rest } = c
  return {
    cluster: {
      ...rest,
      url: url.url ?? c.url,
      ...(uiUrl.url === undefined ? {} : { uiUrl: uiUrl.url }),
      proxy: { ...c.proxy, url: proxy.url }
    },
    stripped
  }
}

/** A cluster as exported: no secret references, no password in a URL, no snooze (that is state). */
function exportCluster(c: ClusterConfig): { cluster: ClusterConfig; stripped: string[] } {
  const { secretRef: _s, ...auth } = c.auth
  const { passphraseRef: _p, ...tls } = c.tls
  const { snoozedUntil: _z, ...rest } = c
  return withoutUserinfo({ ...rest, auth, tls })
}

/** The export file for `settings`: JSON text and a file name stamped with the time. */
export function exportSettings(
  settings: Settings,
  now: number = Date.now()
): { filename: string; content: string; needCredentials: CredentialNeed[] } {
  const needCredentials: CredentialNeed[] = []
  const stripped: string[] = []
  const clusters = settings.clusters.map((c) => {
    const e = exportCluster(c)
    const what = credentialNeeds(c)
    if (what.length > 0) needCredentials.push({ name: c.name, what })
    if (e.stripped.length > 0) stripped.push(`${c.name} (${e.stripped.join(', ')})`)
    return e.cluster
  })
  const { snoozedUntil: _z, ...notifications } = settings.notifications
  const lines = [
    'Secrets are never exported: tokens, passwords and passphrases stay in the secret store of the machine that exported this file.',
    needCredentials.length > 0
      ? `After importing, enter credentials for: ${needCredentials.map((n) => `${n.name} (${n.what.join(', ')})`).join('; ')}.`
      : 'No cluster needs credentials.',
    ...(stripped.length > 0
      ? [`The user and password written in these URLs were removed: ${stripped.join('; ')}.`]
      : []),
    ...(settings.clusters.some((c) => c.tls.caFile || c.tls.certFile || c.tls.pfxFile)
      ? ['CA and client-certificate files are referenced by path: copy them to the same place.']
      : [])
  ]
  const doc = {
    kind: EXPORT_KIND,
    exportedAt: new Date(now).toISOString(),
    note: lines.join(' '),
    needCredentials,
    settings: { ...settings, version: SETTINGS_VERSION, notifications, clusters }
  }
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-')
  return {
    filename: `scale-tray-settings-${stamp}.json`,
    content: `${JSON.stringify(doc, null, 2)}\n`,
    needCredentials
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Comparable form of a cluster URL: origin + path without trailing slashes (paths keep case). */
function urlKey(url: string): string {
  try {
    const u = new URL(url) // lower-cases the scheme and host already
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`
  } catch {
    // Not a URL: compare as written.
    return url.trim().toLowerCase()
  }
}

function isUsableUrl(url: string): boolean {
  if (url === PLACEHOLDER_URL || !URL.canParse(url)) return false
  const u = new URL(url)
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== ''
}

/** An import file read and repaired, ready to merge into any settings (see importSettings). */
export interface ImportFile {
  /** The file's settings, repaired like a loaded settings file. */
  settings: Settings
  /** Repairs made and other remarks about the file itself. */
  notes: string[]
  /** Whether the file carries global options (notifications, polling), not only clusters. */
  hasGlobals: boolean
}

/**
 * Read an export (or a plain settings file, or a bare list of clusters) for import: parse,
 * migrate and repair it. Separate from the merge so a caller can refuse a bad file before it
 * touches the settings. Never throws on any text.
 */
export function readImportFile(
  content: string,
  newId: () => string = randomUUID
): { ok: true; file: ImportFile } | { ok: false; error: string } {
  let json: unknown
  const text = content.replace(/^\uFEFF/, '')
  try {
    json = JSON.parse(text)
  } catch (err) {
    // Only where: V8's message quotes the text around the fault, which may be a secret.
    return {
      ok: false,
      error: `not a settings file: it is not JSON (${whereJsonFails(text, err)})`
    }
  }
  let source: unknown = isRecord(json) && json.kind === EXPORT_KIND ? json.settings : json
  // A bare list of clusters, as a settings file may be (repairSettings reads it the same way).
  if (Array.isArray(source) && source.some(isRecord)) source = { clusters: source }
  if (!isRecord(source) || !('clusters' in source || 'version' in source))
    return { ok: false, error: 'not a settings file: it has no "clusters" and no "version"' }
  let doc: Record<string, unknown> = source
  const notes: string[] = []
  const v = documentVersion(doc)
  if (v !== undefined && v > SETTINGS_VERSION)
    notes.push(
      `the file is settings version ${v}, newer than this Scale Tray (${SETTINGS_VERSION}): only what this version knows was read`
    )
  if (v !== undefined && v < SETTINGS_VERSION) {
    // Version 1 kept tokens in plain text: the migration moves them into a store we throw away.
    const plain = Array.isArray(doc.clusters)
      ? doc.clusters.filter((c) => isRecord(c) && typeof c.token === 'string' && c.token !== '')
          .length
      : 0
    doc = migrateSettings(doc, { secrets: new MemorySecretStore(), newId }).document
    if (plain > 0)
      notes.push(
        `the file held ${plain} plain-text token(s) (settings version 1); they were not imported: enter credentials for those clusters`
      )
  }
  // No backup of the imported file is made: it stays where it is, and keeps what was left out.
  const repaired = repairSettings(doc, { newId, keptBy: 'the imported file keeps it' })
  for (const p of repaired.problems) notes.push(describeProblem(p))
  return {
    ok: true,
    file: {
      settings: repaired.settings,
      notes,
      hasGlobals: 'notifications' in source || 'watchdogMinutes' in source
    }
  }
}

/**
 * Merge an export (or a plain settings file) into `current`. Every cluster is validated and
 * repaired like a loaded settings file; one whose id or URL is already present is skipped unless
 * `replace`, which replaces the existing cluster in place (keeping its id, so its stored
 * credentials and history stay with it). Global options are taken from the file only with
 * `replace`. Secret references in the file are ignored. Never throws on any text.
 */
export function importSettings(
  current: Settings,
  /** The file's text, or the file as readImportFile read it. */
  input: string | ImportFile,
  opts: {
    replace: boolean
    /** Whether the secret store holds this reference (`cluster:<id>:auth`, `…:passphrase`). */
    hasSecret?: (ref: string) => boolean
    newId?: () => string
  }
):
  | {
      ok: true
      settings: Settings
      report: ImportReport
      /**
       * Secret references to delete with the import: those of a cluster that `replace` pointed at
       * another server, whose stored credentials must not be sent there.
       */
      forgetSecrets: string[]
    }
  | { ok: false; error: string } {
  let file: ImportFile
  if (typeof input === 'string') {
    const read = readImportFile(input, opts.newId)
    if (!read.ok) return read
    file = read.file
  } else file = input
  const notes = [...file.notes]
  const report: ImportReport = { added: [], replaced: [], skipped: [], needCredentials: [], notes }
  const clusters = [...current.clusters]
  const names = new Names(clusters)
  // Where each current cluster is, by id and by URL (the first of each, as a search would find).
  const byId = new Map<string, number>()
  const byUrl = new Map<string, number>()
  const index = (c: ClusterConfig, i: number): void => {
    if (!byId.has(c.id)) byId.set(c.id, i)
    if (!byUrl.has(urlKey(c.url))) byUrl.set(urlKey(c.url), i)
  }
  clusters.forEach(index)
  const moves: { name: string; from: string; to: string; refs: string[] }[] = []
  const seenUrls = new Map<string, string>()
  for (const raw of file.settings.clusters) {
    // Secret references never come from a file: each cluster uses its own id's entries.
    const { secretRef: _s, ...auth } = raw.auth
    const { passphraseRef: _p, ...tls } = raw.tls
    const clean = withoutUserinfo({ ...raw, auth, tls })
    const imported = clean.cluster
    if (clean.stripped.length > 0)
      notes.push(
        `"${imported.name}": the user and password written in its ${clean.stripped.join(', ')} were left out; enter credentials instead`
      )
    if (!isUsableUrl(imported.url)) {
      report.skipped.push({
        name: imported.name,
        reason: `no usable URL (${imported.url === PLACEHOLDER_URL ? 'missing' : imported.url})`
      })
      continue
    }
    const key = urlKey(imported.url)
    const earlier = seenUrls.get(key)
    if (earlier !== undefined) {
      report.skipped.push({
        name: imported.name,
        reason: `same URL as ${earlier}, earlier in the file`
      })
      continue
    }
    seenUrls.set(key, imported.name)
    const at = byId.get(imported.id) ?? byUrl.get(key) ?? -1
    const existing = at >= 0 ? clusters[at] : undefined
    if (existing) {
      const why =
        existing.id === imported.id
          ? `a cluster with the same id exists (${existing.name})`
          : `a cluster with the same URL exists (${existing.name})`
      if (!opts.replace) {
        report.skipped.push({ name: imported.name, reason: `${why}; use replace to overwrite it` })
        continue
      }
      const next: ClusterConfig = { ...imported, id: existing.id }
      names.remove(existing.name)
      next.name = names.claim(next.name)
      clusters[at] = next
      if (byUrl.get(urlKey(existing.url)) === at) byUrl.delete(urlKey(existing.url))
      index(next, at)
      report.replaced.push(next.name)
      const moved = originOf(existing.url) !== originOf(next.url)
      if (moved) {
        // Same id, another server: the stored token (or passphrase) was given for the old one.
        const refs = [secretRef(existing.id), secretRef(existing.id, 'passphrase')]
        for (const r of [existing.auth.secretRef, existing.tls.passphraseRef])
          if (r && !refs.includes(r)) refs.push(r)
        const held = refs.filter((r) => opts.hasSecret?.(r) ?? true)
        if (held.length > 0)
          moves.push({ name: next.name, from: existing.url, to: next.url, refs: held })
      }
      if (
        moved
          ? next.auth.kind !== 'none' || !!next.tls.pfxFile
          : missingCredentials(next, opts.hasSecret)
      )
        report.needCredentials.push(next.name)
      continue
    }
    const name = names.claim(imported.name)
    if (name !== imported.name)
      notes.push(`"${imported.name}" was renamed "${name}" (the name was taken)`)
    // A cluster id from another machine could collide with nothing here, but keep ids unique anyway.
    const added: ClusterConfig = { ...imported, name }
    clusters.push(added)
    index(added, clusters.length - 1)
    report.added.push(name)
    if (missingCredentials(added, opts.hasSecret)) report.needCredentials.push(name)
  }
  // Forget what a moved cluster held, except references another cluster still uses as its own.
  const inUse = new Set<string>()
  for (const c of clusters) {
    if (moves.some((m) => m.name === c.name)) continue
    inUse.add(c.auth.secretRef ?? secretRef(c.id))
    inUse.add(c.tls.passphraseRef ?? secretRef(c.id, 'passphrase'))
  }
  const forgetSecrets: string[] = []
  for (const m of moves) {
    const refs = m.refs.filter((r) => !inUse.has(r) && !forgetSecrets.includes(r))
    forgetSecrets.push(...refs)
    if (refs.length > 0)
      notes.push(
        `"${m.name}" now points at ${originOf(m.to)} (it was ${originOf(m.from)}): its stored credentials were removed so they are not sent to another server; enter them again`
      )
    if (refs.length < m.refs.length)
      notes.push(
        `"${m.name}" now points at ${originOf(m.to)}, but shares stored credentials with another cluster, which keeps them: give "${m.name}" credentials of its own`
      )
  }
  let settings: Settings = { ...current, clusters }
  if (opts.replace) {
    const { clusters: _c, version: _v, ...globals } = file.settings
    settings = { ...settings, ...globals }
  } else if (file.hasGlobals) {
    notes.push("your notification and polling options were kept (replace takes the file's)")
  }
  return { ok: true, settings, report, forgetSecrets }
}

/** What JSON.parse found wrong, and where when it says: never the text there (it may be a secret). */
function whereJsonFails(text: string, err: unknown): string {
  if (text.trim() === '') return 'the file is empty'
  const message = (err as Error).message
  const m = /\(line (\d+) column (\d+)\)/.exec(message)
  if (m) return `a fault at line ${m[1]}, column ${m[2]}`
  if (message.startsWith('Unexpected end')) return 'it ends in the middle'
  return 'a character JSON does not allow'
}

/** `https://host:port` of a URL, lower-case; the text itself when it is not a URL. */
function originOf(url: string): string {
  try {
    return new URL(url).origin.toLowerCase()
  } catch {
    // Not a URL: compare as written.
    return url.trim().toLowerCase()
  }
}

/** Whether `c` needs a secret the store does not hold (its auth secret, a PKCS#12 passphrase). */
function missingCredentials(
  c: ClusterConfig,
  has: ((ref: string) => boolean) | undefined
): boolean {
  const held = (ref: string): boolean => has?.(ref) ?? false
  if (c.auth.kind !== 'none' && !held(secretRef(c.id))) return true
  return !!c.tls.pfxFile && !held(secretRef(c.id, 'passphrase'))
}

/**
 * The cluster names in use (case-insensitive), handing out `name`, or `name (2)`, `name (3)`… when
 * it is taken. Linear over an import: each base name remembers the next number to try.
 */
class Names {
  readonly #taken = new Map<string, number>()
  readonly #next = new Map<string, number>()

  constructor(clusters: readonly ClusterConfig[]) {
    for (const c of clusters) this.#add(c.name)
  }

  /** `name` or a free variant of it, now taken. */
  claim(name: string): string {
    if (!this.#taken.has(key(name))) {
      this.#add(name)
      return name
    }
    const base = name.slice(0, 74)
    for (let n = this.#next.get(key(base)) ?? 2; ; n++) {
      const candidate = `${base} (${n})`
      if (!this.#taken.has(key(candidate))) {
        this.#next.set(key(base), n + 1)
        this.#add(candidate)
        return candidate
      }
    }
  }

  /** Free a name (a cluster being replaced). */
  remove(name: string): void {
    const k = key(name)
    const n = (this.#taken.get(k) ?? 0) - 1
    if (n > 0) this.#taken.set(k, n)
    else this.#taken.delete(k)
  }

  #add(name: string): void {
    const k = key(name)
    this.#taken.set(k, (this.#taken.get(k) ?? 0) + 1)
  }
}

function key(name: string): string {
  return name.trim().toLowerCase()
}
