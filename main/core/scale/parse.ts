// Electron-free: turns a response body into a Scale status document, or says exactly why not.
import { ScaleStatus, ScaleVersion, ErrorDetail } from './schema.ts'
import { compileValidator } from './validator.ts'
import type { Failure } from '../types.ts'

const isScaleStatus = compileValidator(ScaleStatus)

/** `nodes[3].state.name` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`
    else out += out ? `.${String(p)}` : String(p)
  }
  return out || '(document root)'
}

/** Heuristic for "this is a web page, not an API answer": login pages, proxy error pages. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 512).trimStart().toLowerCase()
  return (
    head.startsWith('<!doctype html') ||
    head.startsWith('<html') ||
    /<(head|body|title)[\s>]/.test(head)
  )
}

export type ParseResult = { ok: true; status: ScaleStatus } | { ok: false; failure: Failure }

/** Parse and validate a `/status/` body. Never throws. */
export function parseStatusText(text: string): ParseResult {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    const html = looksLikeHtml(text)
    const reason = err instanceof Error ? err.message : String(err)
    return {
      ok: false,
      failure: {
        kind: 'not-json',
        looksLikeHtml: html,
        message: html
          ? 'The server answered with an HTML page instead of JSON (a login page or a proxy error page?)'
          : text.trim() === ''
            ? 'The server answered with an empty body instead of a status document'
            : `The server's answer is not valid JSON (${reason})`
      }
    }
  }
  return validateStatus(json)
}

/** Validate an already-parsed value as a Scale status document. */
export function validateStatus(json: unknown): ParseResult {
  // Fast path: a compiled check that allocates nothing; zod runs only to explain a failure.
  if (isScaleStatus(json)) return { ok: true, status: json as ScaleStatus }
  const r = ScaleStatus.safeParse(json)
  if (r.success) return { ok: true, status: r.data }
  const issue = r.error.issues[0]
  const path = issue ? formatPath(issue.path) : '(document root)'
  const detail = ErrorDetail.safeParse(json)
  const what = detail.success
    ? `an error message ("${detail.data.detail}")`
    : Array.isArray(json)
      ? 'a JSON array'
      : json === null || typeof json !== 'object'
        ? `a JSON ${json === null ? 'null' : typeof json}`
        : 'JSON, but not a Scale status document'
  return {
    ok: false,
    failure: {
      kind: 'not-scale',
      path,
      detail: detail.success ? detail.data.detail : undefined,
      message: `The server answered with ${what}: at ${path}, ${issue?.message ?? 'invalid'}`
    }
  }
}

/** The `detail` of a DRF error body, if the text is one. */
export function parseDetail(text: string): string | undefined {
  try {
    const r = ErrorDetail.safeParse(JSON.parse(text))
    return r.success ? r.data.detail : undefined
  } catch {
    // Not JSON: there is no detail to report, which the caller handles.
    return undefined
  }
}

/** The version string of a `/version/` body, or null. */
export function parseVersionText(text: string): string | null {
  try {
    const r = ScaleVersion.safeParse(JSON.parse(text))
    return r.success ? r.data.version : null
  } catch {
    // The version is a nicety; a bad body just means we do not know it.
    return null
  }
}

/**
 * Scale versions are not strict semver (`7.0.1-snapshot+1a2b3c4d`, `5.9.6buildtest`, `7.0.1rc4`):
 * take the leading `major.minor.patch` and keep the rest as a suffix (§7).
 */
export function parseScaleVersion(
  v: string | null | undefined
): { major: number; minor: number; patch: number; suffix: string } | null {
  if (!v) return null
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?(.*)$/.exec(v)
  if (!m) return null
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3] ?? 0),
    suffix: (m[4] ?? '').trim()
  }
}
