// Electron-free: log in to Scale for a token — `POST <api root>/api-token-auth/` with the user
// name and password as JSON (scale-status-api.md §8.4). The password is sent once and never kept;
// the token is what callers store. Never throws: every outcome is data.
import { request, type Dispatcher } from 'undici'
import { classifyError, defaultDispatcher, DEFAULT_TIMEOUT_MS, type RouteInfo } from './client.ts'
import { looksLikeHtml } from './parse.ts'
import type { Failure } from '../types.ts'
import { redactSecrets } from '../settings/secrets.ts'

export interface LoginOptions {
  /** The cluster's API base (`https://h/api`), a versioned base, or its `/status/` URL. */
  url: string
  username: string
  password: string
  dispatcher?: Dispatcher
  route?: RouteInfo
  timeoutMs?: number
  signal?: AbortSignal
}

export type LoginResult =
  { ok: true; token: string } | { ok: false; failure: Failure; message: string }

const USER_AGENT = 'scale-tray/0.1 (+https://github.com/ngageoint/scale)'
const MAX_BYTES = 64 * 1024

/**
 * Where Scale's token login lives: the API root with any version and endpoint removed.
 * `https://h/api` → `https://h/api/api-token-auth/`; `…/api/v6` and `…/api/v6/status/` alike.
 */
export function loginUrl(url: string): string | { error: string } {
  let u: URL
  try {
    u = new URL(url.trim())
  } catch {
    return { error: `"${url}" is not a URL; give the API base, e.g. https://scale.example.com/api` }
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { error: `"${url}" must start with http:// or https://` }
  const path = u.pathname
    .replace(/\/+$/, '')
    .replace(/\/(status|version)$/, '')
    .replace(/\/v\d+$/, '')
  return `${u.origin}${path}/api-token-auth/`
}

/** The server's words from a DRF error body: `non_field_errors`, a field's first error, or `detail`. */
function serverMessage(text: string): string | undefined {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    // Not JSON (an HTML error page): the status code is all there is.
    return undefined
  }
  if (typeof json !== 'object' || json === null) return undefined
  const o = json as Record<string, unknown>
  const first = (v: unknown): string | undefined =>
    Array.isArray(v) && typeof v[0] === 'string' ? v[0] : typeof v === 'string' ? v : undefined
  const nfe = first(o.non_field_errors)
  if (nfe) return nfe
  if (typeof o.detail === 'string') return o.detail
  for (const [k, v] of Object.entries(o)) {
    const m = first(v)
    if (m) return `${k}: ${m}`
  }
  return undefined
}

/** Log in for a token. Wrong credentials come back as a `login` failure with the server's message. */
export async function login(o: LoginOptions): Promise<LoginResult> {
  const target = loginUrl(o.url)
  // A server may echo the request back in its error: never let the password out with it.
  const pw = [o.password, encodeURIComponent(o.password), JSON.stringify(o.password).slice(1, -1)]
  const fail = (failure: Failure): LoginResult => {
    const f: Failure = { ...failure, message: redactSecrets(failure.message, pw) }
    if (f.detail !== undefined) f.detail = redactSecrets(f.detail, pw)
    if (f.location !== undefined) f.location = redactSecrets(f.location, pw)
    return { ok: false, failure: f, message: f.message }
  }
  if (typeof target !== 'string') return fail({ kind: 'bad-url', message: target.error })
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const deadline = AbortSignal.timeout(timeoutMs)
  const signal = o.signal ? AbortSignal.any([deadline, o.signal]) : deadline
  let status: number
  let text: string
  let location: string | undefined
  try {
    const res = await request(target, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'user-agent': USER_AGENT
      },
      body: JSON.stringify({ username: o.username, password: o.password }),
      signal,
      dispatcher: o.dispatcher ?? defaultDispatcher()
    })
    status = res.statusCode
    const loc = res.headers.location
    location = Array.isArray(loc) ? loc[0] : loc
    let bytes = 0
    const chunks: Buffer[] = []
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      bytes += chunk.length
      if (bytes > MAX_BYTES) {
        res.body.destroy()
        break
      }
      chunks.push(chunk)
    }
    text = Buffer.concat(chunks).toString('utf8')
  } catch (err) {
    return fail(classifyError(err, deadline.aborted, o.route))
  }
  if (status === 200) {
    let token: unknown
    try {
      token = (JSON.parse(text) as { token?: unknown }).token
    } catch {
      // Handled below: no token is no token, whatever the body was.
      token = undefined
    }
    if (typeof token === 'string' && token !== '') return { ok: true, token }
    return fail({
      kind: 'login',
      username: o.username,
      httpStatus: 200,
      message: `${target} answered 200 without a token${looksLikeHtml(text) ? ' (an HTML page: is this the API base?)' : ''}`
    })
  }
  const said = serverMessage(text)
  if (status === 400 || status === 401 || status === 403) {
    return fail({
      kind: 'login',
      username: o.username,
      httpStatus: status,
      ...(said ? { detail: said } : {}),
      message: said ?? `The login was refused (HTTP ${status})`
    })
  }
  if (status === 407)
    return fail({
      kind: 'proxy',
      proxyReason: 'auth',
      httpStatus: 407,
      ...(o.route?.proxy ? { proxy: o.route.proxy } : {}),
      message: 'The proxy wants credentials (HTTP 407)'
    })
  if (status >= 300 && status < 400) {
    return fail({
      kind: 'redirect',
      httpStatus: status,
      location: location ?? '(no Location header)',
      message: `HTTP ${status}: the login was redirected to ${location ?? '(no Location header)'}`
    })
  }
  return fail({
    kind: 'login',
    username: o.username,
    httpStatus: status,
    ...(said ? { detail: said } : {}),
    message:
      status === 404 || status === 405
        ? `No token login at ${target} (HTTP ${status}): Scale before 7.0 has none (use --token or --basic), or the URL is not the API base`
        : `The login failed (HTTP ${status}${said ? `: "${said}"` : ''})`
  })
}
