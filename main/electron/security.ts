// Electron shell: the security boundary — the app:// protocol serving the built renderer (path
// traversal refused, CSP on every response), the sender check for IPC, and the hardening of
// sessions and web contents (no permissions, no navigation, no new windows, no webviews).
import { readFile, stat } from 'node:fs/promises'
import { bundleFileFor, contentTypeOf } from '../core/app/bundle.ts'
import {
  protocol,
  type HandlerDetails,
  type Session,
  type WebContents,
  type WebFrameMain,
  type WindowOpenHandlerResponse
} from 'electron'
import { isClusterLink } from '../core/app/controller.ts'
import type { ClusterConfig } from '../core/settings/schema.ts'
import { APP_HOST, APP_SCHEME, CSP } from './constants.ts'

function headers(type: string): Record<string, string> {
  return {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache'
  }
}

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: headers('text/plain; charset=utf-8') })
}

/**
 * The file an `app://bundle/…` URL names inside `root`, or null when the URL is not the bundle's
 * or tries to leave `root`: `..` (plain or %2e-encoded, which URL parsing folds), encoded slashes
 * or backslashes (`..%2f`, `%5c`), NUL bytes, drive letters and absolute paths.
 */
export function bundleFile(url: string, root: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null
  return bundleFileFor(u.pathname, root)
}

/** Answer one request of the app:// protocol from the built renderer in `root`. */
export async function bundleResponse(
  request: Pick<Request, 'url' | 'method'>,
  root: string
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return refuse(405, 'method not allowed')
  const file = bundleFile(request.url, root)
  if (!file) return refuse(403, 'forbidden')
  try {
    const st = await stat(file)
    if (!st.isFile()) return refuse(404, 'not found')
    const body = await readFile(file)
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: headers(contentTypeOf(file))
    })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return refuse(404, 'not found')
    return refuse(500, 'error')
  }
}

/** Before `ready`: make app:// a standard, secure scheme (origin, fetch, relative URLs work). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
    }
  ])
}

/** After `ready`: serve the built renderer from `root` on the session's app:// protocol. */
export function serveBundle(ses: Session, root: string): void {
  ses.protocol.handle(APP_SCHEME, (request) => bundleResponse(request, root))
}

/** True for the top frame of our own page (`app://bundle/…`); IPC from anything else is refused. */
export function isAppFrame(
  frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined
): boolean {
  if (!frame || frame.parent !== null || !URL.canParse(frame.url)) return false
  const { protocol: scheme, host } = new URL(frame.url) // app:// origins compare by parts
  return scheme === `${APP_SCHEME}:` && host === APP_HOST
}

/** Only writing text the user asked to copy; every other permission (camera, notifications…) is refused. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write'])

function isAppOrigin(origin: string | undefined): boolean {
  if (!origin || !URL.canParse(origin)) return false
  const u = new URL(origin)
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST
}

/** Deny permission requests and checks (except a clipboard write from our page), downloads but the app's own. */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((contents, permission, callback) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isAppOrigin(contents.getURL()))
  })
  ses.setPermissionCheckHandler(
    (_contents, permission, origin) => ALLOWED_PERMISSIONS.has(permission) && isAppOrigin(origin)
  )
  ses.setDevicePermissionHandler(() => false)
  ses.on('will-download', (event, item) => {
    // History export saves a blob the page made; nothing else may be downloaded.
    if (!item.getURL().startsWith(`blob:${APP_SCHEME}://${APP_HOST}/`)) event.preventDefault()
  })
}

export interface LinkPolicy {
  /** The configured clusters: only their http(s) origins may be opened, in the user's browser. */
  clusters(): readonly Pick<ClusterConfig, 'url' | 'uiUrl'>[]
  openExternal(url: string): void
}

/** The window-open decision: always deny; a configured cluster's link goes to the browser instead. */
export function windowOpenDecision(
  details: Pick<HandlerDetails, 'url'>,
  links: LinkPolicy
): WindowOpenHandlerResponse {
  if (isClusterLink(details.url, links.clusters())) links.openExternal(details.url)
  return { action: 'deny' }
}

/** No navigation away from the bundle, no new windows, no webviews: links of clusters open outside. */
export function hardenContents(contents: WebContents, links: LinkPolicy): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault()
    if (isClusterLink(event.url, links.clusters())) links.openExternal(event.url)
  })
  contents.on('will-frame-navigate', (event) => event.preventDefault()) // subframes too
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler((details) => windowOpenDecision(details, links))
}
