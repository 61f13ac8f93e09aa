// Electron-free: settings export and import. An export is the settings document with every
// secret reference removed (secrets never leave the secret store) and a note of which clusters
// need credentials again; an import validates and repairs like loading a file does, adds the
// clusters that are new, and replaces existing ones only when asked.
import { randomUUID } from 'node:crypto'
import { migrateSettings, documentVersion } from './migrate.ts'
import { SETTINGS_VERSION, type ClusterConfig, type Settings } from './schema.ts'
import { MemorySecretStore, secretRef } from './secrets.ts'
import { describeProblem, PLACEHOLDER_URL, repairSettings } from './store.ts'
import type { ImportReport } from '../types.ts'

export type { ImportReport }

/** The `kind` of an export file, so an import can tell it from a plain settings file. */
export const EXPORT_KIND = 'scale-tray-settings-export'

export interface CredentialNeed {
  name: string
  /** `token`, `bearer`, `basic as alice`, `client certificate passphrase`… */
  what: string[]
}

/** A proxy URL without user:password (a proxy password is a secret too). */
function stripUserinfo(url: string | undefined): { url: string | undefined; stripped: boolean } {
  if (!url) return { url, stripped: false }
  try {
    const u = new URL(url)
    if (!u.username && !u.password) return { url, stripped: false }
    u.username = ''
    u.password = ''
    return { url: u.href, stripped: true }
  } catch {
    // Not a URL: it cannot be used as a proxy anyway; keep nothing that might be a password.
    return { url: undefined, stripped: true }
  }
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

/** A cluster as exported: no secret references, no proxy password, no snooze (that is state). */
function exportCluster(c: ClusterConfig): { cluster: ClusterConfig; proxyStripped: boolean } {
  const { secretRef: _s, ...auth } = c.auth
  const { passphraseRef: _p, ...tls } = c.tls
  const proxy = stripUserinfo(c.proxy.url)
  const { snoozedUntil: _z, ...rest } = c
  return {
    cluster: {
      ...rest,
      auth,
      tls,
      proxy: { ...c.proxy, ...(proxy.url === undefined ? { url: undefined } : { url: proxy.url }) }
    },
    proxyStripped: proxy.stripped
  }
}

/** The export file for `settings`: JSON text and a file name stamped with the time. */
export function exportSettings(
  settings: Settings,
  now: number = Date.now()
): { filename: string; content: string; needCredentials: CredentialNeed[] } {
  const needCredentials: CredentialNeed[] = []
  const proxyStripped: string[] = []
  const clusters = settings.clusters.map((c) => {
    const e = exportCluster(c)
    const what = credentialNeeds(c)
    if (what.length > 0) needCredentials.push({ name: c.name, what })
    if (e.proxyStripped) proxyStripped.push(c.name)
    return e.cluster
  })
  const { snoozedUntil: _z, ...notifications } = settings.notifications
  const lines = [
    'Secrets are never exported: tokens, passwords and passphrases stay in the secret store of the machine that exported this file.',
    needCredentials.length > 0
      ? `After importing, enter credentials for: ${needCredentials.map((n) => `${n.name} (${n.what.join(', ')})`).join('; ')}.`
      : 'No cluster needs credentials.',
    ...(proxyStripped.length > 0
      ? [`The proxy user and password were removed from: ${proxyStripped.join(', ')}.`]
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

/** Comparable form of a cluster URL: origin + path without trailing slashes, lower-case host. */
function urlKey(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`.toLowerCase()
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

/**
 * Merge an export (or a plain settings file) into `current`. Every cluster is validated and
 * repaired like a loaded settings file; one whose id or URL is already present is skipped unless
 * `replace`, which replaces the existing cluster in place (keeping its id, so its stored
 * credentials and history stay with it). Global options are taken from the file only with
 * `replace`. Secret references in the file are ignored. Never throws on any text.
 */
export function importSettings(
  current: Settings,
  content: string,
  opts: {
    replace: boolean
    /** Whether the secret store holds this reference (`cluster:<id>:auth`, `…:passphrase`). */
    hasSecret?: (ref: string) => boolean
    newId?: () => string
  }
): { ok: true; settings: Settings; report: ImportReport } | { ok: false; error: string } {
  const newId = opts.newId ?? randomUUID
  let json: unknown
  try {
    json = JSON.parse(content.replace(/^\uFEFF/, ''))
  } catch (err) {
    return { ok: false, error: `not a settings file: it is not JSON (${(err as Error).message})` }
  }
  const source: unknown = isRecord(json) && json.kind === EXPORT_KIND ? json.settings : json
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
  const repaired = repairSettings(doc, { newId })
  for (const p of repaired.problems) notes.push(describeProblem(p))

  const report: ImportReport = { added: [], replaced: [], skipped: [], needCredentials: [], notes }
  const clusters = [...current.clusters]
  const seenUrls = new Map<string, string>()
  for (const raw of repaired.settings.clusters) {
    // Secret references never come from a file: each cluster uses its own id's entries.
    const { secretRef: _s, ...auth } = raw.auth
    const { passphraseRef: _p, ...tls } = raw.tls
    const imported: ClusterConfig = { ...raw, auth, tls }
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
    const at = clusters.findIndex((c) => c.id === imported.id || urlKey(c.url) === key)
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
      next.name = uniqueName(next.name, clusters, existing.id)
      clusters[at] = next
      report.replaced.push(next.name)
      if (missingCredentials(next, opts.hasSecret)) report.needCredentials.push(next.name)
      continue
    }
    const name = uniqueName(imported.name, clusters, undefined)
    if (name !== imported.name)
      notes.push(`"${imported.name}" was renamed "${name}" (the name was taken)`)
    // A cluster id from another machine could collide with nothing here, but keep ids unique anyway.
    const added: ClusterConfig = { ...imported, name }
    clusters.push(added)
    report.added.push(name)
    if (missingCredentials(added, opts.hasSecret)) report.needCredentials.push(name)
  }
  let settings: Settings = { ...current, clusters }
  if (opts.replace) {
    const { clusters: _c, version: _v, ...globals } = repaired.settings
    settings = { ...settings, ...globals }
  } else if ('notifications' in source || 'watchdogMinutes' in source) {
    notes.push("your notification and polling options were kept (replace takes the file's)")
  }
  return { ok: true, settings, report }
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

/** `name`, or `name (2)`, `name (3)`… when another cluster (other than `selfId`) has it. */
function uniqueName(
  name: string,
  clusters: readonly ClusterConfig[],
  selfId: string | undefined
): string {
  const taken = new Set(
    clusters.filter((c) => c.id !== selfId).map((c) => c.name.trim().toLowerCase())
  )
  if (!taken.has(name.trim().toLowerCase())) return name
  for (let n = 2; ; n++) {
    const candidate = `${name.slice(0, 74)} (${n})`
    if (!taken.has(candidate.toLowerCase())) return candidate
  }
}
