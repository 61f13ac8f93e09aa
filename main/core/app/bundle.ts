// Electron-free: finding a file of the built dashboard for a request path, for both places that
// serve it (the app:// protocol in the Electron shell, and `scale-tray serve`): one traversal
// check and one table of content types.
import { extname, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8'
}

/** The Content-Type for a file of the bundle, by its extension. */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file a URL path (still %-encoded) names inside `root`, or null when it tries to leave
 * `root`: `..` (plain, or %2e-encoded once the URL parser has folded it), encoded slashes or
 * backslashes (`..%2f`, `%5c`), NUL bytes, drive letters, or a malformed %-escape. `/` is
 * `/index.html`.
 */
export function bundleFileFor(pathname: string, root: string): string | null {
  let rel: string
  try {
    rel = decodeURIComponent(pathname)
  } catch {
    return null // malformed %-escape
  }
  if (rel === '' || rel === '/') rel = '/index.html'
  // Decoded text may now hold what the URL parser could not see: refuse anything path-like.
  if (/[\\\0:]/.test(rel) || rel.split('/').some((seg) => seg === '..' || seg === '.')) return null
  const base = resolve(root)
  const file = resolve(base, `.${rel}`)
  return file.startsWith(base + sep) ? file : null
}
