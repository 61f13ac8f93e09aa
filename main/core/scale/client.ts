// Electron-free: reads a Scale cluster's `/status/` and `/version/` over HTTP with undici.
//
// The client never throws to its caller: every outcome, including every transport failure, comes
// back as a `ReadOutcome`. One overall deadline covers connect + headers + body; the body is
// capped; redirects are not followed (Scale never redirects an API call, so a redirect means a
// login page or a wrong URL, and the operator needs to see where it pointed).
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { Agent, request, type Dispatcher } from 'undici'
import { authorizationHeader, type Auth } from './auth.ts'
import { parseDetail, parseStatusText, parseVersionText, looksLikeHtml } from './parse.ts'
import type { Failure, FailureKind, Finding, ReadOutcome } from '../types.ts'
import { redactSecrets } from '../settings/secrets.ts'

export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024
export type ApiVersion = 'v6' | 'v7'

const USER_AGENT = 'scale-tray/0.1 (+https://github.com/ngageoint/scale)'

export interface ReadOptions {
  /** API base (`https://scale.example.com/api`), a versioned base (`…/api/v6`), or a full `…/status/` URL. */
  url: string
  api?: ApiVersion
  timeoutMs?: number
  maxBytes?: number
  auth?: Auth
  /** undici dispatcher carrying TLS and proxy settings; a shared keep-alive Agent by default. */
  dispatcher?: Dispatcher
  /** Skip `/version/` (the monitor asks for it once in a while, not on every poll). */
  skipVersion?: boolean
  /** Abort from outside (the monitor suspends or stops); reported as a timeout-like failure. */
  signal?: AbortSignal
  now?: () => number
  /** How `dispatcher` reaches the cluster, so failures can be told apart (see `RouteInfo`). */
  route?: RouteInfo
  /** Findings about the transport to carry on the outcome (see `ReadOutcome.notes`). */
  notes?: Finding[]
}

/** What the transport did for a request: used to classify failures (a refusal by a proxy is not one by the cluster). */
export interface RouteInfo {
  /** A client certificate was offered. */
  clientCert?: boolean
  /** The proxy the request went through (without credentials); undefined = direct. */
  proxy?: string
}

export interface ClusterUrls {
  statusUrl: string
  versionUrl: string
}

/**
 * Where to ask. `https://h/api` → `https://h/api/v6/status/`; `https://h/api/v7` →
 * `…/api/v7/status/`; a URL already ending in `/status/` is used as is.
 */
export function clusterUrls(url: string, api: ApiVersion = 'v6'): ClusterUrls | { error: string } {
  let u: URL
  try {
    u = new URL(url.trim())
  } catch {
    return {
      error: `"${redactUrl(url)}" is not a URL; give the API base, e.g. https://scale.example.com/api`
    }
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return { error: `"${redactUrl(url)}" must start with http:// or https://` }
  }
  if (u.username || u.password) {
    return { error: 'put credentials in --token/--basic, not in the URL (URLs end up in logs)' }
  }
  const path = u.pathname.replace(/\/+$/, '')
  const base = `${u.origin}${path}`
  const search = u.search
  if (/\/status$/.test(path)) {
    return {
      statusUrl: `${base}/${search}`,
      versionUrl: `${base.replace(/\/status$/, '/version')}/${search}`
    }
  }
  if (/\/v\d+$/.test(path)) {
    return { statusUrl: `${base}/status/${search}`, versionUrl: `${base}/version/${search}` }
  }
  return {
    statusUrl: `${base}/${api}/status/${search}`,
    versionUrl: `${base}/${api}/version/${search}`
  }
}

/** A URL fit to print: any `user:password@` taken out (the URL was refused for carrying it). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url.trim())
    if (!u.username && !u.password) return url
    u.username = ''
    u.password = ''
    return u.href
  } catch {
    // Not a URL: strip anything that looks like userinfo before printing it.
    return url.replace(/\/\/[^/@\s]*@/g, '//')
  }
}

let sharedAgent: Agent | undefined
/** The default dispatcher: keep-alive connections shared by every cluster without its own settings. */
export function defaultDispatcher(): Agent {
  sharedAgent ??= new Agent({
    connections: 4,
    keepAliveTimeout: 30_000,
    connect: { timeout: DEFAULT_TIMEOUT_MS }
  })
  return sharedAgent
}
/** Close the default dispatcher (a CLI run ends; keep-alive sockets must not hold the process). */
export async function closeDefaultDispatcher(): Promise<void> {
  const a = sharedAgent
  sharedAgent = undefined
  if (a) await a.destroy()
}

interface Fetched {
  statusCode: number
  headers: Record<string, string | string[] | undefined>
  text: string
  bytes: number
}

class BodyTooLarge extends Error {
  readonly bytes: number
  constructor(bytes: number) {
    super('body too large')
    this.bytes = bytes
  }
}

/** Throw away an unread body without an unhandled 'error' event (undici emits one on destroy). */
function discard(body: { on(e: 'error', f: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => {
    // The body is being dropped on purpose (too large); its abort error is expected.
  })
  body.destroy()
}

/**
 * The body as text. We never ask for compression, but a proxy may compress anyway; a byte-order
 * mark (UTF-8, or UTF-16 from a Windows tool) is honoured rather than reported as "not JSON".
 */
export function decodeBody(
  buf: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number
): string {
  const enc = (contentEncoding ?? '').trim().toLowerCase()
  let bytes = buf
  const opts = { maxOutputLength: maxBytes }
  if (enc === 'gzip' || enc === 'x-gzip') bytes = gunzipSync(buf, opts)
  else if (enc === 'deflate') bytes = inflateSync(buf, opts)
  else if (enc === 'br') bytes = brotliDecompressSync(buf, opts)
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return bytes.subarray(3).toString('utf8')
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le')
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le')
  return bytes.toString('utf8')
}

async function fetchText(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  maxBytes: number,
  dispatcher: Dispatcher
): Promise<Fetched> {
  const res = await request(url, { method: 'GET', headers, signal, dispatcher })
  const declared = Number(res.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) {
    discard(res.body)
    throw new BodyTooLarge(declared)
  }
  const chunks: Buffer[] = []
  let bytes = 0
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      bytes += chunk.length
      if (bytes > maxBytes) throw new BodyTooLarge(bytes)
      chunks.push(chunk)
    }
  } finally {
    if (bytes > maxBytes) discard(res.body)
  }
  const encoding = res.headers['content-encoding']
  const buf = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
  let text: string
  try {
    text = decodeBody(buf, Array.isArray(encoding) ? encoding[0] : encoding, maxBytes)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLarge(maxBytes + 1)
    throw new BadBody(
      `the answer is compressed (${String(encoding)}) and could not be decompressed (${code ?? 'error'})`
    )
  }
  return { statusCode: res.statusCode, headers: res.headers, text, bytes }
}

class BadBody extends Error {}

/** All codes found on an error and its causes (undici and fetch wrap Node's errors). */
function errorCodes(err: unknown): {
  codes: string[]
  messages: string[]
  names: string[]
  bytesRead?: number
} {
  const codes: string[] = []
  const messages: string[] = []
  const names: string[] = []
  let bytesRead: number | undefined
  let e: unknown = err
  for (let depth = 0; e && depth < 6; depth++) {
    if (typeof e === 'object') {
      const o = e as {
        code?: unknown
        message?: unknown
        name?: unknown
        cause?: unknown
        errors?: unknown
        socket?: { bytesRead?: unknown }
      }
      if (typeof o.code === 'string') codes.push(o.code)
      if (typeof o.message === 'string') messages.push(o.message)
      if (typeof o.name === 'string') names.push(o.name)
      // undici's SocketError says how much of an answer had arrived when the socket closed.
      if (bytesRead === undefined && typeof o.socket?.bytesRead === 'number')
        bytesRead = o.socket.bytesRead
      // AggregateError (happy eyeballs tried several addresses): look at the first.
      if (Array.isArray(o.errors) && o.errors.length > 0 && !o.cause) {
        e = o.errors[0]
        continue
      }
      e = o.cause
    } else break
  }
  return { codes, messages, names, ...(bytesRead === undefined ? {} : { bytesRead }) }
}

const TLS_REASONS: Record<string, string> = {
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-issuer',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-issuer',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-issuer',
  // The server sent a root this machine does not trust: a private CA, not a self-signed leaf.
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-issuer',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname-mismatch',
  CERT_REVOKED: 'revoked',
  CERT_SIGNATURE_FAILURE: 'bad-signature',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'client-cert-required',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'handshake',
  // OpenSSL 3 names alert 40 this way (the slash is in the code).
  'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE': 'handshake',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA_CLIENT: 'client-cert-rejected',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'client-cert-rejected',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: 'client-cert-rejected',
  ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: 'client-cert-rejected',
  'ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_EXPIRED': 'client-cert-rejected',
  'ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE': 'client-cert-rejected',
  'ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_UNKNOWN': 'client-cert-rejected',
  'ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_REVOKED': 'client-cert-rejected',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'client-cert-rejected',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'client-cert-rejected',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'client-cert-rejected',
  ERR_SSL_TLSV1_ALERT_ACCESS_DENIED: 'client-cert-rejected',
  ERR_SSL_WRONG_VERSION_NUMBER: 'not-tls',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'not-tls'
}

const TLS_TEXT: Record<string, string> = {
  'unknown-issuer': 'the certificate is signed by a CA this machine does not trust',
  'self-signed': 'the certificate is self-signed',
  expired: 'the certificate has expired',
  'not-yet-valid': "the certificate is not valid yet (check this machine's clock)",
  'hostname-mismatch': 'the certificate is for a different host name',
  revoked: 'the certificate has been revoked',
  'bad-signature': 'the certificate signature is invalid',
  'client-cert-required': 'the server requires a client certificate',
  'client-cert-rejected': 'the server refused the client certificate (or requires one)',
  'not-tls': 'the server did not speak TLS on this port (http:// instead of https://?)',
  handshake: 'the TLS handshake failed'
}

/** Undici's words when a proxy answers CONNECT with anything but 200. */
const PROXY_STATUS = /Proxy response \((\d{3})\) !== 200/

/**
 * Classify a thrown transport error by its `code` (never by `instanceof`: undici wraps errors).
 * `route` says how the request was sent: through a proxy, a refusal or a DNS failure is the
 * proxy's (the client never connects to the cluster itself); with a client certificate offered,
 * a server that hangs up before the first byte of an answer refused it (TLS 1.3 reports a
 * client-certificate rejection only after the handshake, and Node servers send no alert).
 */
export function classifyError(err: unknown, timedOut: boolean, route: RouteInfo = {}): Failure {
  const { codes, messages, names, bytesRead } = errorCodes(err)
  const first = codes[0]
  const msg = messages[0] ?? String(err)
  const has = (...c: string[]): string | undefined => codes.find((x) => c.includes(x))
  const f = (kind: FailureKind, message: string, extra: Partial<Failure> = {}): Failure => ({
    kind,
    message,
    ...(first ? { code: first } : {}),
    ...extra
  })
  if (route.proxy) {
    const proxy = route.proxy
    const answered = messages.map((m) => PROXY_STATUS.exec(m)).find(Boolean)
    if (answered) {
      const status = Number(answered[1])
      const reason = status === 407 ? 'auth' : status >= 500 ? 'upstream' : 'refused'
      const text =
        reason === 'auth'
          ? `The proxy ${proxy} wants credentials (HTTP 407)`
          : reason === 'upstream'
            ? `The proxy ${proxy} could not connect to the cluster (HTTP ${status})`
            : `The proxy ${proxy} refused to open a tunnel to the cluster (HTTP ${status})`
      return f('proxy', text, { proxy, proxyReason: reason, httpStatus: status })
    }
    const toProxy = has(
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'EAI_FAIL',
      'EAI_NONAME',
      'EAI_NODATA',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'UND_ERR_PRX_CONN',
      'UND_ERR_PRX_TLS'
    )
    if (toProxy && !timedOut) {
      return f(
        'proxy',
        `Cannot connect to the proxy ${proxy} (${toProxy === 'ECONNREFUSED' ? 'connection refused' : toProxy})`,
        { proxy, proxyReason: 'unreachable', code: toProxy }
      )
    }
  }
  if (route.clientCert && !timedOut) {
    const closedEarly =
      (has('UND_ERR_SOCKET') && bytesRead === 0) ||
      (has('ECONNRESET') && messages.some((m) => /before secure TLS connection/i.test(m)))
    if (closedEarly) {
      return f(
        'tls',
        `TLS failed: ${TLS_TEXT['client-cert-rejected']}: the server hung up before answering (${first ?? 'closed'})`,
        { tlsReason: 'client-cert-rejected' }
      )
    }
  }
  if (
    timedOut ||
    names.includes('TimeoutError') ||
    has('UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT')
  ) {
    return f('timeout', 'No complete answer before the timeout')
  }
  const dns = has('ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA')
  if (dns) {
    return f(
      'dns',
      dns === 'EAI_AGAIN'
        ? 'The host name could not be resolved right now (DNS temporary failure)'
        : 'The host name does not resolve (DNS)',
      { code: dns }
    )
  }
  const refused = has('ECONNREFUSED')
  if (refused)
    return f('refused', 'Connection refused: nothing is listening at that address and port', {
      code: refused
    })
  const tls = codes.find(
    (c) =>
      c in TLS_REASONS ||
      c.startsWith('ERR_SSL_') ||
      c.startsWith('ERR_TLS_') ||
      c.startsWith('CERT_')
  )
  if (tls) {
    const reason = TLS_REASONS[tls] ?? 'handshake'
    return f('tls', `TLS failed: ${TLS_TEXT[reason] ?? reason} (${tls})`, {
      code: tls,
      tlsReason: reason
    })
  }
  const reset = has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED')
  if (reset) {
    // A reset during the handshake with a TLS server that wants a client certificate looks like this too.
    return f(
      'reset',
      'The connection was closed by the server or a proxy before a complete answer',
      { code: reset }
    )
  }
  const net = has('EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN')
  if (net)
    return f('network', 'The network or host is unreachable from this machine', { code: net })
  if (names.includes('AbortError'))
    return f('timeout', 'The request was aborted before a complete answer')
  return f('network', `Request failed: ${msg}`)
}

function header(h: Fetched['headers'], name: string): string | undefined {
  const v = h[name]
  return Array.isArray(v) ? v[0] : v
}

function httpFailure(res: Fetched, url: string): Failure {
  const code = res.statusCode
  const detail = parseDetail(res.text)
  const d = detail ? `: "${detail}"` : ''
  if (code >= 300 && code < 400) {
    const location = header(res.headers, 'location')
    let where = location ?? '(no Location header)'
    if (location) {
      try {
        where = new URL(location, url).href
      } catch {
        // An unparsable Location is reported as the server sent it.
      }
    }
    return {
      kind: 'redirect',
      httpStatus: code,
      location: where,
      message: `HTTP ${code}: redirected to ${where}`
    }
  }
  if (code === 407) {
    // A forwarding proxy (plain-http cluster) answers for itself.
    return {
      kind: 'proxy',
      httpStatus: code,
      proxyReason: 'auth',
      message: 'The proxy wants credentials (HTTP 407)'
    }
  }
  if (code === 401 || code === 403) {
    return { kind: 'auth', httpStatus: code, detail, message: `HTTP ${code}${d}` }
  }
  if (code === 404) {
    return {
      kind: 'not-found',
      httpStatus: code,
      detail,
      looksLikeHtml: looksLikeHtml(res.text),
      message: `HTTP 404: no Scale API at this URL${d}`
    }
  }
  return {
    kind: 'http',
    httpStatus: code,
    detail,
    looksLikeHtml: looksLikeHtml(res.text),
    message: `HTTP ${code}${d || (looksLikeHtml(res.text) ? ' (an HTML error page)' : '')}`
  }
}

function tooLarge(bytes: number, max: number): Failure {
  const mib = (n: number): string =>
    n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`
  return {
    kind: 'too-large',
    message: `The answer is larger than the ${mib(max)} limit (at least ${mib(bytes)}); raise --max-bytes if this cluster is really that big`
  }
}

async function withDeadline<T>(
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal
): Promise<{ value: T } | { error: unknown; timedOut: boolean }> {
  const ctl = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    ctl.abort(new DOMException('deadline', 'TimeoutError'))
  }, timeoutMs)
  const onOuter = (): void => ctl.abort(new DOMException('aborted', 'AbortError'))
  if (outer?.aborted) onOuter()
  else outer?.addEventListener('abort', onOuter, { once: true })
  try {
    return { value: await run(ctl.signal) }
  } catch (error) {
    return { error, timedOut }
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener('abort', onOuter)
  }
}

/** GET `/version/`; null on any failure (it is informational). */
async function readVersion(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  dispatcher: Dispatcher,
  outer?: AbortSignal
): Promise<string | null> {
  const r = await withDeadline(
    timeoutMs,
    (signal) => fetchText(url, headers, signal, 64 * 1024, dispatcher),
    outer
  )
  if ('error' in r || r.value.statusCode !== 200) return null
  return parseVersionText(r.value.text)
}

/** Every form a credential can take on the wire, so an echo of it can be scrubbed. */
function secretForms(auth: Auth | undefined): string[] {
  if (!auth || auth.kind === 'none') return []
  const forms = [auth.secret, encodeURIComponent(auth.secret)]
  const header = authorizationHeader(auth)
  if (header) forms.push(header, encodeURIComponent(header))
  if (auth.kind === 'basic') {
    const pair = `${auth.username}:${auth.secret}`
    forms.push(pair, Buffer.from(pair, 'utf8').toString('base64'))
  }
  return forms
}

/**
 * A server (or a proxy) may echo the Authorization header back in an error body, a redirect
 * or a version string: take every form of our credential out of whatever we report.
 */
export function scrubOutcome(o: ReadOutcome, secrets: readonly string[]): ReadOutcome {
  if (secrets.length === 0) return o
  const clean = (t: string): string => redactSecrets(t, secrets)
  const out = { ...o, url: clean(o.url), version: o.version === null ? null : clean(o.version) }
  if (out.kind === 'stale' && out.detail !== null) out.detail = clean(out.detail)
  if (out.kind === 'failure') {
    const f = { ...out.failure, message: clean(out.failure.message) }
    if (f.detail !== undefined) f.detail = clean(f.detail)
    if (f.location !== undefined) f.location = clean(f.location)
    out.failure = f
  }
  return out
}

/** How long `/version/` may run on after `/status/` has answered (it is informational). */
const VERSION_GRACE_MS = 500

/** Read one cluster: `/status/` and `/version/` in parallel. Never throws. */
export async function readCluster(opts: ReadOptions): Promise<ReadOutcome> {
  const outcome = await readClusterRaw(opts)
  return scrubOutcome(outcome, secretForms(opts.auth))
}

async function readClusterRaw(opts: ReadOptions): Promise<ReadOutcome> {
  const now = opts.now ?? Date.now
  const started = performance.now()
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES
  const urls = clusterUrls(opts.url, opts.api)
  if ('error' in urls) {
    return {
      kind: 'failure',
      url: redactUrl(opts.url),
      version: null,
      durationMs: 0,
      at: now(),
      failure: { kind: 'bad-url', message: urls.error },
      ...(opts.notes && opts.notes.length > 0 ? { notes: opts.notes } : {})
    }
  }
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT }
  const authz = opts.auth ? authorizationHeader(opts.auth) : undefined
  if (authz) headers.authorization = authz
  const dispatcher = opts.dispatcher ?? defaultDispatcher()

  const versionAbort = new AbortController()
  const stopVersion = (): void => versionAbort.abort()
  opts.signal?.addEventListener('abort', stopVersion, { once: true })
  const versionP = opts.skipVersion
    ? Promise.resolve(null)
    : readVersion(urls.versionUrl, headers, timeoutMs, dispatcher, versionAbort.signal)
  const r = await withDeadline(
    timeoutMs,
    (signal) => fetchText(urls.statusUrl, headers, signal, maxBytes, dispatcher),
    opts.signal
  )
  // A /version/ that hangs must not hold the verdict: a short grace, then go without it.
  let graceTimer: NodeJS.Timeout | undefined
  const version = await Promise.race([
    versionP,
    new Promise<null>((resolve) => (graceTimer = setTimeout(() => resolve(null), VERSION_GRACE_MS)))
  ])
  clearTimeout(graceTimer)
  versionAbort.abort()
  opts.signal?.removeEventListener('abort', stopVersion)
  const base = {
    url: urls.statusUrl,
    version,
    durationMs: Math.round(performance.now() - started),
    at: now(),
    ...(opts.notes && opts.notes.length > 0 ? { notes: opts.notes } : {})
  }

  if ('error' in r) {
    if (r.error instanceof BodyTooLarge)
      return { ...base, kind: 'failure', failure: tooLarge(r.error.bytes, maxBytes) }
    if (r.error instanceof BadBody)
      return {
        ...base,
        kind: 'failure',
        failure: {
          kind: 'not-json',
          message: `The server's answer is not readable: ${r.error.message}`
        }
      }
    return { ...base, kind: 'failure', failure: classifyError(r.error, r.timedOut, opts.route) }
  }
  const res = r.value
  if (res.statusCode === 204) return { ...base, kind: 'stale', httpStatus: 204, detail: null }
  if (res.statusCode === 503)
    return { ...base, kind: 'stale', httpStatus: 503, detail: parseDetail(res.text) ?? null }
  if (res.statusCode !== 200)
    return { ...base, kind: 'failure', failure: httpFailure(res, urls.statusUrl) }
  const parsed = parseStatusText(res.text)
  if (!parsed.ok) return { ...base, kind: 'failure', failure: parsed.failure }
  return { ...base, kind: 'ok', status: parsed.status, bytes: res.bytes }
}
