// Electron-free: the HTTP face of `scale-tray serve` — the built dashboard plus the bridge
// (JSON commands at POST /bridge/<name>, pushes as Server-Sent Events at /bridge/events).
//
// Security: loopback by default; a random per-run token on every request (taken from the URL
// once, then an HttpOnly SameSite=Strict cookie or an Authorization header); the Host header must
// name the bound address (DNS rebinding); JSON-only commands with an Origin check (CSRF); a
// strict CSP and no framing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { AddressInfo, Socket } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'
import { HTTP_PREFIX, SSE_PATH, type InvokeTypes, type PushEvent } from '../../preload/contract.ts'
import { parseRequest } from '../core/app/requests.ts'
import { CSP } from '../core/app/csp.ts'
import { bundleFileFor, contentTypeOf } from '../core/app/bundle.ts'
import type { Controller } from '../core/app/controller.ts'

export { CSP }

const COOKIE = 'scale_tray_token'
const MAX_BODY = 1024 * 1024
const HEARTBEAT_MS = 15_000

export interface ServeOptions {
  controller: Controller
  /** Folder of the built renderer (index.html and assets). */
  rendererDir: string
  host?: string
  port?: number
  /** Fixed token (tests); random per run otherwise. */
  token?: string
  log?: (line: string) => void
}

export interface RunningServer {
  /** The dashboard URL with the token, to open once. */
  url: string
  origin: string
  token: string
  close(): Promise<void>
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]'
}

/** Every address of this machine's interfaces, and its host name. */
function machineNames(): string[] {
  const out = new Set<string>([hostname().toLowerCase()])
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) out.add(a.address.toLowerCase())
  return [...out]
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost'
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieToken(req: IncomingMessage): string | undefined {
  const raw = req.headers.cookie
  if (!raw) return undefined
  for (const part of raw.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k !== COOKIE) continue
    try {
      return decodeURIComponent(v.join('='))
    } catch {
      // A malformed cookie is no token: the request is refused like one without.
      return undefined
    }
  }
  return undefined
}

function baseHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...extra
  }
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(
    code,
    baseHeaders({
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      'cache-control': 'no-store'
    })
  )
  res.end(text)
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(
    code,
    baseHeaders({
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      'cache-control': 'no-store'
    })
  )
  res.end(text)
}

/** Start the dashboard server; resolves once it listens. */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1'
  const token = o.token ?? randomBytes(24).toString('base64url')
  const root = resolve(o.rendererDir)
  const streams = new Set<ServerResponse>()
  const sockets = new Set<Socket>()
  let allowedHosts = new Set<string>()
  let origin = ''

  const unsubscribe = o.controller.onEvent((e: PushEvent) => {
    const frame = `data: ${JSON.stringify(e)}\n\n`
    for (const s of streams) s.write(frame)
  })

  const sameOrigin = (from: string): boolean => {
    try {
      const u = new URL(from)
      return u.protocol === 'http:' && allowedHosts.has(u.host.toLowerCase())
    } catch {
      return false
    }
  }

  const authorized = (req: IncomingMessage, url: URL): 'ok' | 'url' | false => {
    const auth = req.headers.authorization
    if (auth?.startsWith('Bearer ') && safeEqual(auth.slice(7), token)) return 'ok'
    const c = cookieToken(req)
    if (c && safeEqual(c, token)) return 'ok'
    const q = url.searchParams.get('token')
    if (q && safeEqual(q, token)) return 'url'
    return false
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    // Path traversal: whatever the request says, the file must be inside the renderer folder.
    const file = bundleFileFor(pathname, root)
    if (!file) return sendText(res, 403, 'forbidden')
    try {
      const st = await stat(file)
      if (!st.isFile()) return sendText(res, 404, 'not found')
      const body = await readFile(file)
      const type = contentTypeOf(file)
      const headers = baseHeaders({
        'content-type': type,
        'content-length': String(body.length),
        'cache-control': pathname.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : 'no-cache'
      })
      if (type.startsWith('text/html')) headers['content-security-policy'] = CSP
      res.writeHead(200, headers)
      res.end(body)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT' && file === join(root, 'index.html'))
        return sendText(
          res,
          500,
          `The dashboard is not built: run "npm run build:renderer" (missing ${file}).`
        )
      return sendText(res, code === 'ENOENT' ? 404 : 500, code === 'ENOENT' ? 'not found' : 'error')
    }
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = []
    let n = 0
    for await (const c of req as AsyncIterable<Buffer>) {
      n += c.length
      if (n > MAX_BODY) throw new Error('request body too large')
      chunks.push(c)
    }
    const text = Buffer.concat(chunks).toString('utf8')
    return text.trim() === '' ? undefined : JSON.parse(text)
  }

  async function bridge(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' })
    // CSRF: a cross-site form cannot send JSON without a preflight, and a browser names its origin.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return sendJson(res, 415, { error: 'send application/json' })
    const from = req.headers.origin
    if (from !== undefined && !sameOrigin(from))
      return sendJson(res, 403, { error: 'cross-origin request refused' })
    const c = o.controller as unknown as Record<string, (r: unknown) => Promise<unknown>>
    if (!Object.hasOwn(channelNames, name))
      return sendJson(res, 404, { error: `no command ${name}` })
    let body: unknown
    try {
      body = await readJson(req)
    } catch (err) {
      return sendJson(res, 400, { error: `bad JSON: ${(err as Error).message}` })
    }
    let parsed: unknown
    try {
      parsed = parseRequest(name as keyof InvokeTypes, body)
    } catch (err) {
      return sendJson(res, 400, { error: (err as Error).message })
    }
    const fn = c[name]
    if (typeof fn !== 'function') return sendJson(res, 404, { error: `no command ${name}` })
    const result = await fn.call(o.controller, parsed)
    sendJson(res, 200, result ?? null)
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(
      200,
      baseHeaders({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no'
      })
    )
    res.write(': scale-tray\nretry: 2000\n\n')
    streams.add(res)
    const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS)
    beat.unref()
    req.on('close', () => {
      clearInterval(beat)
      streams.delete(res)
    })
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still sends its own Host.
    const hostHeader = (req.headers.host ?? '').toLowerCase()
    if (!allowedHosts.has(hostHeader)) return sendText(res, 421, 'wrong Host for this server')
    const url = new URL(req.url ?? '/', origin)
    const who = authorized(req, url)
    if (!who) {
      o.log?.(`refused ${req.method ?? ''} ${url.pathname}: no token`)
      return sendText(
        res,
        401,
        'Open the dashboard with the URL that scale-tray serve printed (it carries the access token).'
      )
    }
    if (who === 'url') {
      // Trade the URL token for a cookie, and take it out of the address bar and history.
      url.searchParams.delete('token')
      res.writeHead(
        303,
        baseHeaders({
          location: url.pathname + url.search + url.hash,
          'set-cookie': `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
          'cache-control': 'no-store'
        })
      )
      return void res.end()
    }
    if (url.pathname === SSE_PATH) return events(req, res)
    if (url.pathname.startsWith(HTTP_PREFIX))
      return bridge(req, res, url.pathname.slice(HTTP_PREFIX.length))
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'GET only')
    return serveStatic(res, url.pathname)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      o.log?.(`error: ${(err as Error).message}`)
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.destroy()
    })
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((ok, bad) => {
    server.once('error', bad)
    server.listen(o.port ?? 0, host, () => {
      server.off('error', bad)
      ok()
    })
  })
  const port = (server.address() as AddressInfo).port
  // A wildcard bind answers on every address of this machine: accept those (and its host
  // name) as Host, still nothing else, and print a URL that other machines can use.
  const names = isWildcard(host) ? machineNames() : [host]
  const shown = isWildcard(host)
    ? (names.find((n) => /^\d+\.\d+\.\d+\.\d+$/.test(n) && !n.startsWith('127.')) ?? '127.0.0.1')
    : host
  const bracket = (h: string): string => (h.includes(':') ? `[${h}]` : h)
  origin = `http://${bracket(shown)}:${port}`
  allowedHosts = new Set(names.map((h) => `${bracket(h)}:${port}`.toLowerCase()))
  if (isLoopback(host) || isWildcard(host))
    for (const h of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${h}:${port}`)
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((done) => {
        unsubscribe()
        for (const s of streams) s.end()
        streams.clear()
        for (const s of sockets) s.destroy()
        server.close(() => done())
      })
  }
}

/** The command names of the contract (what POST /bridge/<name> accepts). */
const channelNames: Record<keyof InvokeTypes, true> = {
  getSnapshot: true,
  getClusterStatus: true,
  getHistory: true,
  refresh: true,
  addCluster: true,
  updateCluster: true,
  removeCluster: true,
  setEnabled: true,
  testConnection: true,
  acknowledge: true,
  snooze: true,
  mute: true,
  setNotificationSettings: true,
  testNotification: true,
  exportHistory: true,
  openExternal: true,
  exportSettings: true,
  importSettings: true,
  setStartAtLogin: true
}
