// The security boundary with electron mocked: the app:// protocol (traversal refused, CSP on every
// response), the IPC sender check, navigation and window-open rules, session permissions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { WebContents, Session } from 'electron'
import { FakeEvent, FakeWebContents, type FakeElectron } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron())

const electron = (await import('electron')) as unknown as FakeElectron
const {
  bundleFile,
  bundleResponse,
  hardenContents,
  hardenSession,
  isAppFrame,
  registerAppScheme,
  serveBundle,
  windowOpenDecision
} = await import('../../../main/electron/security.ts')
const { CSP } = await import('../../../main/electron/constants.ts')

let dir: string
let root: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scale-tray-bundle-'))
  root = join(dir, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Scale Tray</title>')
  writeFileSync(join(root, 'assets', 'app-1234.js'), 'console.log(1)')
  writeFileSync(join(root, 'assets', 'app-1234.css'), 'body{}')
  writeFileSync(join(dir, 'secret.txt'), 'token=hunter2') // beside the bundle: must never be served
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const get = (url: string, method = 'GET') => bundleResponse({ url, method }, root)

describe('the app:// protocol', () => {
  it('serves the bundle with its content type and the CSP header', async () => {
    for (const [url, type] of [
      ['app://bundle/', 'text/html; charset=utf-8'],
      ['app://bundle/index.html', 'text/html; charset=utf-8'],
      ['app://bundle/assets/app-1234.js', 'text/javascript; charset=utf-8'],
      ['app://bundle/assets/app-1234.css', 'text/css; charset=utf-8']
    ] as const) {
      const res = await get(url)
      expect(res.status, url).toBe(200)
      expect(res.headers.get('content-type')).toBe(type)
      expect(res.headers.get('content-security-policy')).toBe(CSP)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    }
    expect(await (await get('app://bundle/index.html')).text()).toContain(
      '<title>Scale Tray</title>'
    )
  })

  it('has the strict CSP: nothing inline, nothing remote', () => {
    expect(CSP).toContain(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'"
    )
    expect(CSP).not.toMatch(/unsafe|https?:|\*/)
  })

  it.each([
    'app://bundle/../secret.txt',
    'app://bundle/assets/../../secret.txt',
    'app://bundle/%2e%2e/secret.txt',
    'app://bundle/%2E%2E/secret.txt',
    'app://bundle/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://bundle/..%2fsecret.txt',
    'app://bundle/..%5csecret.txt',
    'app://bundle/%5c..%5csecret.txt',
    'app://bundle/%2fetc%2fpasswd',
    'app://bundle//etc/passwd',
    'app://bundle/C:%5cWindows%5cwin.ini',
    'app://bundle/index.html%00.js',
    'app://bundle/%E0%A4%A'
  ])('never serves anything outside the bundle: %s', async (url) => {
    const res = await get(url)
    expect([403, 404]).toContain(res.status)
    expect(res.headers.get('content-security-policy')).toBe(CSP)
    expect(await res.text()).not.toContain('hunter2')
  })

  it('refuses other hosts and schemes, and methods other than GET and HEAD', async () => {
    expect((await get('app://other/index.html')).status).toBe(403)
    expect((await get('file:///etc/passwd')).status).toBe(403)
    expect((await get('app://bundle/index.html', 'POST')).status).toBe(405)
    const head = await get('app://bundle/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('maps only bundle URLs to files inside the root', () => {
    expect(bundleFile('app://bundle/assets/app-1234.js', root)).toBe(
      join(root, 'assets', 'app-1234.js')
    )
    expect(bundleFile('app://bundle/', root)).toBe(join(root, 'index.html'))
    // URL parsing folds %2e%2e before we see it: the path stays inside the root.
    expect(bundleFile('app://bundle/%2e%2e/secret.txt', root)).toBe(join(root, 'secret.txt'))
    expect(bundleFile('app://bundle/..%2fsecret.txt', root)).toBeNull()
    expect(bundleFile('not a url', root)).toBeNull()
  })

  it('answers 404 for a missing file or a folder', async () => {
    expect((await get('app://bundle/nope.js')).status).toBe(404)
    expect((await get('app://bundle/assets')).status).toBe(404)
  })

  it('registers app:// as a standard secure scheme and serves it on the session', async () => {
    registerAppScheme()
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }) as unknown
      })
    ])
    serveBundle(electron.session.defaultSession as unknown as Session, root)
    const [scheme, handler] = electron.session.defaultSession.protocol.handle.mock
      .lastCall as unknown as [string, (r: Request) => Promise<Response>]
    expect(scheme).toBe('app')
    expect((await handler(new Request('app://bundle/index.html'))).status).toBe(200)
  })
})

describe('the IPC sender check', () => {
  it('accepts only the top frame of app://bundle', () => {
    expect(isAppFrame({ url: 'app://bundle/index.html', parent: null })).toBe(true)
    expect(isAppFrame({ url: 'app://bundle/', parent: null })).toBe(true)
  })

  it.each([
    ['a web page', { url: 'https://evil.example/', parent: null }],
    ['a file page', { url: 'file:///home/user/index.html', parent: null }],
    ['another app:// host', { url: 'app://bundle.evil/index.html', parent: null }],
    ['a subframe of the app', { url: 'app://bundle/index.html', parent: {} }],
    ['about:blank', { url: 'about:blank', parent: null }],
    ['a frame that is gone', null]
  ] as const)('refuses %s', (_what, frame) => {
    expect(isAppFrame(frame as never)).toBe(false)
  })
})

const clusters = [
  { url: 'https://scale.example.com/api', uiUrl: undefined },
  { url: 'http://10.0.0.5:8080/api', uiUrl: 'https://ui.example.org/scale/' }
]

describe('navigation and new windows', () => {
  function setup() {
    const wc = new FakeWebContents()
    const openExternal = vi.fn<(url: string) => void>()
    hardenContents(wc as unknown as WebContents, { clusters: () => clusters, openExternal })
    return { wc, openExternal }
  }

  it('prevents every navigation; a configured cluster link opens in the browser instead', () => {
    const { wc, openExternal } = setup()
    for (const url of [
      'https://evil.example/',
      'app://bundle/other.html',
      'file:///etc/passwd',
      'https://scale.example.com/api/v6/status/'
    ]) {
      const e = new FakeEvent({ url })
      wc.emit('will-navigate', e)
      expect(e.defaultPrevented, url).toBe(true)
    }
    expect(openExternal.mock.calls).toEqual([['https://scale.example.com/api/v6/status/']])
  })

  it('prevents frame navigations, redirects and webviews', () => {
    const { wc } = setup()
    for (const name of ['will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = new FakeEvent({ url: 'https://evil.example/' })
      wc.emit(name, e)
      expect(e.defaultPrevented, name).toBe(true)
    }
  })

  it('denies every window-open; only http(s) links of configured clusters go to openExternal', () => {
    const { wc, openExternal } = setup()
    const open = (url: string) => wc.windowOpenHandler?.({ url })
    const allowed = [
      'https://scale.example.com/',
      'https://scale.example.com/jobs?id=3',
      'http://10.0.0.5:8080/api/',
      'https://ui.example.org/scale/#/nodes'
    ]
    const refused = [
      'https://evil.example/',
      'https://scale.example.com.evil.example/',
      'http://scale.example.com/', // another origin: the cluster is https
      'https://user:pass@scale.example.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'app://bundle/index.html',
      'data:text/html,<script>alert(1)</script>',
      'smb://scale.example.com/share'
    ]
    for (const url of [...allowed, ...refused]) expect(open(url), url).toEqual({ action: 'deny' })
    expect(openExternal.mock.calls.map((c) => c[0])).toEqual(allowed)
  })

  it('decides with the clusters as they are now', () => {
    const list = [...clusters]
    const openExternal = vi.fn()
    const links = { clusters: () => list, openExternal }
    windowOpenDecision({ url: 'https://new.example.net/' }, links)
    list.push({ url: 'https://new.example.net/api', uiUrl: undefined })
    windowOpenDecision({ url: 'https://new.example.net/' }, links)
    expect(openExternal).toHaveBeenCalledTimes(1)
  })
})

describe('session permissions and downloads', () => {
  const ses = electron.session.defaultSession
  hardenSession(ses as unknown as Session)
  const request = ses.setPermissionRequestHandler.mock.lastCall?.[0] as unknown as (
    wc: { getURL(): string },
    p: string,
    cb: (ok: boolean) => void
  ) => void
  const check = ses.setPermissionCheckHandler.mock.lastCall?.[0] as unknown as (
    wc: unknown,
    p: string,
    origin: string
  ) => boolean
  const device = ses.setDevicePermissionHandler.mock.lastCall?.[0] as unknown as () => boolean
  const app = { getURL: () => 'app://bundle/index.html' }
  const web = { getURL: () => 'https://evil.example/' }

  it.each([
    'media',
    'geolocation',
    'notifications',
    'openExternal',
    'clipboard-read',
    'fullscreen',
    'hid',
    'serial'
  ])('denies %s', (permission) => {
    const cb = vi.fn()
    request(app, permission, cb)
    expect(cb).toHaveBeenCalledWith(false)
    expect(check(app, permission, 'app://bundle')).toBe(false)
  })

  it('allows writing copied text from our page only', () => {
    const cb = vi.fn()
    request(app, 'clipboard-sanitized-write', cb)
    request(web, 'clipboard-sanitized-write', cb)
    expect(cb.mock.calls).toEqual([[true], [false]])
    expect(check(app, 'clipboard-sanitized-write', 'app://bundle')).toBe(true)
    expect(check(web, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false)
  })

  it('denies devices', () => {
    expect(device()).toBe(false)
  })

  it('cancels downloads except the blobs our page saves (history export)', () => {
    const download = (url: string): boolean => {
      const e = new FakeEvent()
      ses.emit('will-download', e, { getURL: () => url })
      return e.defaultPrevented
    }
    expect(download('blob:app://bundle/5b0c1f2e-0000-4000-8000-000000000000')).toBe(false)
    expect(download('https://evil.example/payload.exe')).toBe(true)
    expect(download('blob:https://evil.example/abc')).toBe(true)
    expect(download('data:application/octet-stream;base64,AAAA')).toBe(true)
  })
})
