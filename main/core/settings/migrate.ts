// Electron-free: bring an older settings document up to SETTINGS_VERSION, one version at a time.
//
// Migrations work on the raw parsed JSON, before validation, and are lenient: a value they do not
// understand is passed on unchanged for the repair step (store.ts) to report. They are pure except
// for writing secrets through the SecretStore they are given.
import { randomUUID } from 'node:crypto'
import { SETTINGS_VERSION } from './schema.ts'
import { secretRef, type SecretStore } from './secrets.ts'

/**
 * Version 1, the format of the first release (a document without `version` is version 1):
 *
 * ```json
 * { "version": 1,
 *   "clusters": [{ "name": "prod", "url": "https://scale.example/api",
 *                  "token": "…plain text…", "intervalMs": 30000, "enabled": true,
 *                  "apiVersion": "v6" }],
 *   "notify": true, "quietStart": "22:00", "quietEnd": "07:00" }
 * ```
 * Only `name` and `url` were required in a cluster; `token`, `intervalMs`, `enabled` and
 * `apiVersion` ("v6" | "v7") and the three top-level options were optional.
 */
export const FIRST_VERSION = 1

export interface MigrationContext {
  /** Receives secrets that older versions kept in the settings file (v1 tokens). */
  secrets: SecretStore
  /** New cluster ids; `crypto.randomUUID` unless a test pins them. */
  newId?: () => string
}

export interface MigrationOutcome {
  /** The document in the current version's shape (not yet validated). */
  document: Record<string, unknown>
  from: number
  to: number
  /** What was done, for the user: "moved the token of cluster "prod" into the secret store (file)". */
  notes: string[]
}

type Step = (
  doc: Record<string, unknown>,
  ctx: Required<MigrationContext>,
  notes: string[]
) => Record<string, unknown>

/** `STEPS[n]` turns a version-n document into a version n+1 document. */
const STEPS: Record<number, Step> = { 1: v1ToV2 }

/**
 * The version a document declares: a missing `version` is 1 (the first release wrote none);
 * undefined when `version` is present but not a positive whole number.
 */
export function documentVersion(doc: Record<string, unknown>): number | undefined {
  const v = doc.version
  if (v === undefined) return FIRST_VERSION
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined
}

/** Whether `migrateSettings` would change `doc` (a known version older than the current one). */
export function needsMigration(doc: Record<string, unknown>): boolean {
  const v = documentVersion(doc)
  return v !== undefined && v < SETTINGS_VERSION
}

/**
 * Migrate `doc` step by step to SETTINGS_VERSION. A document at the current version, a newer one
 * or one with an unreadable version is returned as it is (`from === to` or `from > to`): the
 * caller decides what to do with those.
 */
export function migrateSettings(
  doc: Record<string, unknown>,
  ctx: MigrationContext
): MigrationOutcome {
  const from = documentVersion(doc) ?? SETTINGS_VERSION
  const full: Required<MigrationContext> = { secrets: ctx.secrets, newId: ctx.newId ?? randomUUID }
  const notes: string[] = []
  let document = doc
  for (let v = from; v < SETTINGS_VERSION; v++) {
    const step = STEPS[v]
    if (!step) throw new Error(`no settings migration from version ${v}`) // a gap is a bug here
    document = step(document, full, notes)
  }
  return { document, from, to: Math.max(from, SETTINGS_VERSION), notes }
}

/**
 * 1 → 2: clusters get ids; `intervalMs` → `intervalSec`; `apiVersion` → `api`; a plain-text
 * `token` moves into the secret store under `cluster:<id>:auth` (auth kind `token`); `notify` →
 * `notifications.enabled`; `quietStart`/`quietEnd` → `notifications.quietHours` (enabled).
 */
function v1ToV2(
  doc: Record<string, unknown>,
  ctx: Required<MigrationContext>,
  notes: string[]
): Record<string, unknown> {
  const { version: _version, clusters, notify, quietStart, quietEnd, ...rest } = doc
  const out: Record<string, unknown> = { version: 2, ...rest }
  if (Array.isArray(clusters))
    out.clusters = clusters.map((c, i) => clusterV1ToV2(c, i, ctx, notes))
  else if (clusters !== undefined) out.clusters = clusters // not a list: the repair step reports it

  if (notify !== undefined || quietStart !== undefined || quietEnd !== undefined) {
    const notifications: Record<string, unknown> = isRecord(rest.notifications)
      ? { ...rest.notifications }
      : {}
    if (notify !== undefined) notifications.enabled = notify
    if (quietStart !== undefined || quietEnd !== undefined) {
      notifications.quietHours = {
        enabled: true,
        ...(quietStart === undefined ? {} : { start: quietStart }),
        ...(quietEnd === undefined ? {} : { end: quietEnd })
      }
      const clock = (v: unknown, dflt: string) => (typeof v === 'string' ? v : dflt)
      notes.push(
        `quiet hours ${clock(quietStart, '22:00')}–${clock(quietEnd, '07:00')} kept, every day`
      )
    }
    out.notifications = notifications
  }
  return out
}

function clusterV1ToV2(
  c: unknown,
  i: number,
  ctx: Required<MigrationContext>,
  notes: string[]
): unknown {
  if (!isRecord(c)) return c // not a cluster object: the repair step keeps and reports it
  const { token, intervalMs, apiVersion, ...rest } = c
  const label =
    typeof rest.name === 'string' && rest.name.trim() ? `"${rest.name.trim()}"` : `#${i + 1}`
  const id = typeof rest.id === 'string' && rest.id !== '' ? rest.id : ctx.newId()
  const out: Record<string, unknown> = { ...rest, id }
  if (apiVersion !== undefined) out.api = apiVersion

  if (typeof intervalMs === 'number' && Number.isFinite(intervalMs)) {
    const sec = Math.max(1, Math.round(intervalMs / 1000))
    out.intervalSec = sec
    if (sec * 1000 !== intervalMs)
      notes.push(`cluster ${label}: interval ${intervalMs} ms became ${sec} s`)
  } else if (intervalMs !== undefined) {
    notes.push(
      `cluster ${label}: intervalMs ${JSON.stringify(intervalMs)} is not a number of milliseconds — the default interval is used`
    )
  }

  if (typeof token === 'string' && token !== '') {
    const ref = secretRef(id)
    out.auth = { kind: 'token', secretRef: ref }
    try {
      ctx.secrets.set(ref, token)
      notes.push(`moved the token of cluster ${label} into the secret store (${ctx.secrets.kind})`)
    } catch (err) {
      // The settings must not keep the token either way; the backup of the old file still has it.
      notes.push(
        `could not move the token of cluster ${label} into the secret store (${ctx.secrets.kind}): ` +
          `${err instanceof Error ? err.message : String(err)} — enter the token again`
      )
    }
  } else if (token !== undefined && token !== '' && token !== null) {
    notes.push(`cluster ${label}: its token was not text and was left out — enter it again`)
  }
  return out
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
