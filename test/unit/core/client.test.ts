// Contract tests: the client against the simulator over real loopback HTTP, every scenario.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  classifyError,
  closeDefaultDispatcher,
  clusterUrls,
  readCluster
} from '../../../main/core/scale/client.ts'
import { authorizationHeader, describeAuth, type Auth } from '../../../main/core/scale/auth.ts'
import { DEFAULT_SIM_TOKEN, startSim, type RunningSim } from '../../../main/sim/server.ts'
import { SCENARIOS, type ScenarioName } from '../../../main/sim/scenarios.ts'
import { generateStatus } from '../../../main/sim/generate.ts'
import type { ReadOutcome } from '../../../main/core/types.ts'
import { closedPort, startTinyServer, type TinyServer } from '../../helpers/http.ts'

const SLOW_TIMEOUT_MS = 1000

let sim: RunningSim
let tiny: TinyServer

beforeAll(async () => {
  sim = await startSim({ port: 0, delayMs: 3000, hugeBytes: 8 * 1024 * 1024 })
  tiny = await startTinyServer((req, res) => {
    const path = req.url ?? ''
    if (path.startsWith('/declared/')) {
      // Says 100 MiB are coming, sends one byte, then stalls.
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': 100 * 1024 * 1024
      })
      res.write('{')
      return
    }
    if (path.startsWith('/reset/')) return void req.socket.destroy()
    if (path.startsWith('/login/')) {
      res.writeHead(200, { 'content-type': 'text/html' })
      return void res.end(
        '<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>'
      )
    }
    if (path.includes('/version/')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end('{"version": "6.0.0"}')
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(generateStatus({ nodes: 2 })))
  })
})

afterAll(async () => {
  await closeDefaultDispatcher()
  await sim.close()
  await tiny.close()
})

type Expect = {
  kind: ReadOutcome['kind']
  version: string | null
  failure?: string
  httpStatus?: number
  detail?: string | null
  check?: (o: ReadOutcome) => void
}

function failureOf(o: ReadOutcome): Extract<ReadOutcome, { kind: 'failure' }>['failure'] {
  if (o.kind !== 'failure') throw new Error(`expected a failure, got ${o.kind}`)
  return o.failure
}

const EXPECTED: Record<ScenarioName, Expect> = {
  healthy: {
    kind: 'ok',
    version: '7.2.1',
    check: (o) => {
      if (o.kind !== 'ok') return
      expect(o.status.nodes).toHaveLength(12)
      expect(o.status.dependencies).toBeDefined()
      expect(o.bytes).toBeGreaterThan(1000)
    }
  },
  degraded: {
    kind: 'ok',
    version: '7.2.1',
    check: (o) => {
      if (o.kind !== 'ok') return
      expect(o.status.nodes.filter((n) => n.state.name === 'DEGRADED')).toHaveLength(2)
    }
  },
  'dependency-down': {
    kind: 'ok',
    version: '7.2.1',
    check: (o) => {
      if (o.kind === 'ok') expect(o.status.dependencies?.msg_queue?.OK).toBe(false)
    }
  },
  paused: {
    kind: 'ok',
    version: '7.2.1',
    check: (o) => {
      if (o.kind === 'ok') expect(o.status.scheduler?.state.name).toBe('PAUSED')
    }
  },
  stale: {
    kind: 'stale',
    version: '7.2.1',
    httpStatus: 503,
    detail: 'Status is over 12 seconds old'
  },
  missing: {
    kind: 'stale',
    version: '7.2.1',
    httpStatus: 503,
    detail: 'Status is missing. Scheduler may be down.'
  },
  'legacy-5x': {
    kind: 'ok',
    version: '5.9.9',
    check: (o) => {
      if (o.kind !== 'ok') return
      expect(o.status.dependencies).toBeUndefined()
      expect(o.status.scheduler?.warnings).toBeUndefined()
    }
  },
  'legacy-5x-stale': { kind: 'stale', version: '5.9.9', httpStatus: 204, detail: null },
  'auth-required': {
    kind: 'failure',
    version: '7.2.1',
    failure: 'auth',
    httpStatus: 403,
    detail: 'Authentication credentials were not provided.'
  },
  'not-found': {
    kind: 'failure',
    version: null,
    failure: 'not-found',
    httpStatus: 404,
    check: (o) => expect(failureOf(o).looksLikeHtml).toBe(true)
  },
  garbage: {
    kind: 'failure',
    version: '7.2.1',
    failure: 'not-json',
    check: (o) => expect(failureOf(o).looksLikeHtml).toBe(false)
  },
  slow: { kind: 'failure', version: '7.2.1', failure: 'timeout' },
  hang: { kind: 'failure', version: null, failure: 'timeout' },
  huge: {
    kind: 'failure',
    version: '7.2.1',
    failure: 'too-large',
    check: (o) => expect(failureOf(o).message).toMatch(/1\.0 MiB limit/)
  },
  flapping: { kind: 'ok', version: '7.2.1' },
  big: {
    kind: 'ok',
    version: '7.2.1',
    check: (o) => {
      if (o.kind === 'ok') expect(o.status.nodes).toHaveLength(3000)
    }
  },
  'server-error': {
    kind: 'failure',
    version: null,
    failure: 'http',
    httpStatus: 500,
    check: (o) => expect(failureOf(o).looksLikeHtml).toBe(true)
  },
  'redirect-login': {
    kind: 'failure',
    version: null,
    failure: 'redirect',
    httpStatus: 302,
    check: (o) =>
      expect(failureOf(o).location).toBe(`${sim.origin}/accounts/login/?next=/api/v6/status/`)
  }
}

describe('readCluster against every simulator scenario', () => {
  it('covers every scenario', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...SCENARIOS].sort())
  })

  it.each([...SCENARIOS])('%s', async (scenario) => {
    const e = EXPECTED[scenario]
    const timed = scenario === 'slow' || scenario === 'hang'
    const timeoutMs = timed ? SLOW_TIMEOUT_MS : 5000
    const t0 = performance.now()
    const maxBytes = scenario === 'huge' ? 1024 * 1024 : undefined
    const o = await readCluster({ url: sim.urlFor(scenario), timeoutMs, maxBytes })
    const elapsed = performance.now() - t0
    expect(o.kind).toBe(e.kind)
    expect(o.version).toBe(e.version)
    expect(o.url).toBe(`${sim.urlFor(scenario)}/v6/status/`)
    if (e.failure) expect(failureOf(o).kind).toBe(e.failure)
    if (e.httpStatus !== undefined) {
      const status =
        o.kind === 'stale' ? o.httpStatus : o.kind === 'failure' ? o.failure.httpStatus : 200
      expect(status).toBe(e.httpStatus)
    }
    if (e.detail !== undefined) {
      const detail =
        o.kind === 'stale' ? o.detail : o.kind === 'failure' ? o.failure.detail : undefined
      expect(detail).toBe(e.detail)
    }
    e.check?.(o)
    if (timed) {
      expect(elapsed).toBeGreaterThanOrEqual(SLOW_TIMEOUT_MS - 50)
      expect(elapsed).toBeLessThan(SLOW_TIMEOUT_MS + 500)
    }
    if (scenario === 'huge') expect(elapsed).toBeLessThan(2000)
  })

  it('flapping alternates healthy and dependency-down on each request', async () => {
    sim.setCluster('flap-test', { scenario: 'flapping' })
    const msgQueueOk: (boolean | undefined)[] = []
    for (let i = 0; i < 4; i++) {
      const o = await readCluster({
        url: sim.urlFor('flap-test'),
        timeoutMs: 5000,
        skipVersion: true
      })
      msgQueueOk.push(o.kind === 'ok' ? o.status.dependencies?.msg_queue?.OK : undefined)
    }
    expect(msgQueueOk).toEqual([true, false, true, false])
    expect(sim.requestCount('flap-test')).toBe(4)
  })

  it('skipVersion does not ask /version/', async () => {
    const o = await readCluster({ url: sim.url, skipVersion: true, timeoutMs: 5000 })
    expect(o.kind).toBe('ok')
    expect(o.version).toBeNull()
  })
})

describe('authentication against auth-required', () => {
  const url = (): string => sim.urlFor('auth-required')

  it('no credentials → auth failure "Authentication credentials were not provided."', async () => {
    const o = await readCluster({ url: url(), timeoutMs: 5000 })
    expect(failureOf(o)).toMatchObject({
      kind: 'auth',
      httpStatus: 403,
      detail: 'Authentication credentials were not provided.'
    })
  })

  it('a wrong token → auth failure "Invalid token." (and /version/ refuses it too)', async () => {
    const o = await readCluster({
      url: url(),
      timeoutMs: 5000,
      auth: { kind: 'token', secret: 'nope' }
    })
    expect(failureOf(o)).toMatchObject({ kind: 'auth', httpStatus: 403, detail: 'Invalid token.' })
    expect(o.version).toBeNull()
  })

  it('the right token → ok', async () => {
    const o = await readCluster({
      url: url(),
      timeoutMs: 5000,
      auth: { kind: 'token', secret: DEFAULT_SIM_TOKEN }
    })
    expect(o.kind).toBe('ok')
    expect(o.version).toBe('7.2.1')
  })

  it('the right secret as a bearer token is not a Scale token → "Invalid token."', async () => {
    const o = await readCluster({
      url: url(),
      timeoutMs: 5000,
      auth: { kind: 'bearer', secret: DEFAULT_SIM_TOKEN }
    })
    expect(failureOf(o).detail).toBe('Invalid token.')
  })
})

describe('the Authorization header', () => {
  const cases: [Auth, string | undefined][] = [
    [{ kind: 'none' }, undefined],
    [{ kind: 'token', secret: 'abc123' }, 'Token abc123'],
    [{ kind: 'bearer', secret: 'geoaxis tok-1' }, 'Bearer geoaxis tok-1'],
    [
      { kind: 'basic', username: 'alice', secret: 'pa:ss wörd' },
      `Basic ${Buffer.from('alice:pa:ss wörd', 'utf8').toString('base64')}`
    ],
    [{ kind: 'dcos', secret: 'eyJhbGciOi' }, 'token=eyJhbGciOi']
  ]

  it.each(cases)('authorizationHeader(%j) → %s', (auth, header) => {
    expect(authorizationHeader(auth)).toBe(header)
  })

  it('describeAuth never shows the secret', () => {
    for (const [auth] of cases) {
      const d = describeAuth(auth)
      if (auth.kind !== 'none') expect(d).not.toContain(auth.secret)
    }
    expect(describeAuth({ kind: 'basic', username: 'alice', secret: 'x' })).toBe(
      'Basic auth as alice'
    )
  })

  it.each(cases.filter(([a]) => a.kind !== 'none'))(
    'is sent on the wire for %j, with Accept: application/json',
    async (auth, header) => {
      tiny.requests.length = 0
      const o = await readCluster({ url: `${tiny.origin}/api`, auth, timeoutMs: 5000 })
      expect(o.kind).toBe('ok')
      expect(o.version).toBe('6.0.0')
      const status = tiny.requests.find((r) => r.url === '/api/v6/status/')
      const version = tiny.requests.find((r) => r.url === '/api/v6/version/')
      expect(status?.headers.authorization).toBe(header)
      expect(version?.headers.authorization).toBe(header)
      expect(status?.headers.accept).toBe('application/json')
      expect(status?.headers['user-agent']).toMatch(/^scale-tray\//)
    }
  )

  it('is absent without credentials', async () => {
    tiny.requests.length = 0
    await readCluster({ url: `${tiny.origin}/api`, timeoutMs: 5000 })
    expect(tiny.requests.length).toBeGreaterThan(0)
    for (const r of tiny.requests) expect(r.headers.authorization).toBeUndefined()
  })
})

describe('URLs', () => {
  it('a URL ending in /status/ is used as is', async () => {
    const url = `${sim.url}/v6/status/`
    const o = await readCluster({ url, timeoutMs: 5000 })
    expect(o.kind).toBe('ok')
    expect(o.url).toBe(url)
    expect(o.version).toBe('7.2.1')
  })

  it('--api v7 asks /v7/status/', async () => {
    const o = await readCluster({ url: sim.url, api: 'v7', timeoutMs: 5000 })
    expect(o.kind).toBe('ok')
    expect(o.url).toBe(`${sim.url}/v7/status/`)
  })

  it('a 5.x cluster has no v7: HTML 404 → not-found', async () => {
    const o = await readCluster({ url: sim.urlFor('legacy-5x'), api: 'v7', timeoutMs: 5000 })
    expect(failureOf(o)).toMatchObject({ kind: 'not-found', httpStatus: 404, looksLikeHtml: true })
  })

  it('a base without /api reaches nothing: not-found', async () => {
    const o = await readCluster({ url: sim.origin, timeoutMs: 5000 })
    expect(failureOf(o).kind).toBe('not-found')
  })

  it('trailing slashes on the base do not matter', async () => {
    const o = await readCluster({ url: `${sim.url}///`, timeoutMs: 5000 })
    expect(o.kind).toBe('ok')
    expect(o.url).toBe(`${sim.url}/v6/status/`)
  })

  it.each([
    [
      'https://scale.example.com/api',
      'https://scale.example.com/api/v6/status/',
      'https://scale.example.com/api/v6/version/'
    ],
    [
      'https://scale.example.com/api/',
      'https://scale.example.com/api/v6/status/',
      'https://scale.example.com/api/v6/version/'
    ],
    [
      '  https://scale.example.com/api//  ',
      'https://scale.example.com/api/v6/status/',
      'https://scale.example.com/api/v6/version/'
    ],
    [
      'https://scale.example.com/api?format=json',
      'https://scale.example.com/api/v6/status/?format=json',
      'https://scale.example.com/api/v6/version/?format=json'
    ],
    [
      'https://scale.example.com/api/v7',
      'https://scale.example.com/api/v7/status/',
      'https://scale.example.com/api/v7/version/'
    ],
    [
      'https://scale.example.com/api/v6/status/',
      'https://scale.example.com/api/v6/status/',
      'https://scale.example.com/api/v6/version/'
    ],
    [
      'https://scale.example.com/api/v6/status',
      'https://scale.example.com/api/v6/status/',
      'https://scale.example.com/api/v6/version/'
    ],
    [
      'https://scale.example.com/api/v6/status/?format=json',
      'https://scale.example.com/api/v6/status/?format=json',
      'https://scale.example.com/api/v6/version/?format=json'
    ],
    [
      'https://scale.example.com',
      'https://scale.example.com/v6/status/',
      'https://scale.example.com/v6/version/'
    ],
    [
      'HTTPS://Scale.Example.COM:8443/api#top',
      'https://scale.example.com:8443/api/v6/status/',
      'https://scale.example.com:8443/api/v6/version/'
    ]
  ])('clusterUrls(%j)', (input, statusUrl, versionUrl) => {
    expect(clusterUrls(input)).toEqual({ statusUrl, versionUrl })
  })

  it('clusterUrls honours api v7 for a plain base', () => {
    expect(clusterUrls('https://h/api', 'v7')).toEqual({
      statusUrl: 'https://h/api/v7/status/',
      versionUrl: 'https://h/api/v7/version/'
    })
  })

  it.each([
    ['https://alice:secret@scale.example.com/api', /credentials/],
    ['https://alice@scale.example.com/api', /credentials/],
    ['ftp://scale.example.com/api', /http:\/\/ or https:\/\//],
    ['file:///etc/passwd', /http:\/\/ or https:\/\//],
    ['scale.example.com/api', /not a URL/],
    ['', /not a URL/]
  ])('clusterUrls rejects %j', (input, message) => {
    const r = clusterUrls(input)
    expect(r).toHaveProperty('error')
    expect((r as { error: string }).error).toMatch(message)
  })

  it('the credentials-in-URL error does not repeat the password', () => {
    const r = clusterUrls('https://alice:hunter2@scale.example.com/api') as { error: string }
    expect(r.error).not.toContain('hunter2')
  })
})

describe('transport failures', () => {
  it('a closed port → refused', async () => {
    const port = await closedPort()
    const o = await readCluster({ url: `http://127.0.0.1:${port}/api`, timeoutMs: 5000 })
    expect(failureOf(o)).toMatchObject({ kind: 'refused', code: 'ECONNREFUSED' })
  })

  it('a .invalid host → dns', async () => {
    const o = await readCluster({ url: 'http://scale-tray-test.invalid/api', timeoutMs: 5000 })
    expect(failureOf(o).kind).toBe('dns')
  })

  it('a connection closed before the answer → reset', async () => {
    const o = await readCluster({ url: `${tiny.origin}/reset/api`, timeoutMs: 5000 })
    expect(failureOf(o).kind).toBe('reset')
  })

  it('a declared Content-Length over the cap → too-large at once, without waiting for the body', async () => {
    const t0 = performance.now()
    const o = await readCluster({
      url: `${tiny.origin}/declared/api`,
      timeoutMs: 5000,
      maxBytes: 1024 * 1024,
      skipVersion: true
    })
    expect(failureOf(o).kind).toBe('too-large')
    expect(failureOf(o).message).toMatch(/100\.0 MiB/)
    expect(performance.now() - t0).toBeLessThan(1000)
  })

  it('a 200 HTML login page → not-json that looks like HTML', async () => {
    const o = await readCluster({
      url: `${tiny.origin}/login/api`,
      timeoutMs: 5000,
      skipVersion: true
    })
    expect(failureOf(o)).toMatchObject({ kind: 'not-json', looksLikeHtml: true })
  })

  it('classifyError reads codes through causes and aggregate errors', () => {
    const wrapped = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNRESET' })
    })
    expect(classifyError(wrapped, false).kind).toBe('reset')
    const aggregate = Object.assign(
      new AggregateError([Object.assign(new Error('r'), { code: 'ECONNREFUSED' })]),
      {}
    )
    expect(classifyError(aggregate, false).kind).toBe('refused')
    const tls = Object.assign(new Error('cert'), { code: 'CERT_HAS_EXPIRED' })
    expect(classifyError(tls, false)).toMatchObject({ kind: 'tls', tlsReason: 'expired' })
    expect(
      classifyError(Object.assign(new Error('t'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), false)
        .tlsReason
    ).toBe('hostname-mismatch')
    expect(classifyError(new Error('whatever'), true).kind).toBe('timeout')
    expect(classifyError('a string', false).kind).toBe('network')
  })
})

describe('readCluster never throws', () => {
  it.each([
    ['an empty URL', { url: '' }, 'bad-url'],
    ['an ftp URL', { url: 'ftp://x' }, 'bad-url'],
    ['not a URL', { url: 'not a url' }, 'bad-url'],
    ['a port out of range', { url: 'http://127.0.0.1:99999/api' }, 'bad-url'],
    ['credentials in the URL', { url: 'http://u:p@127.0.0.1/api' }, 'bad-url']
  ])('%s → a bad-url failure', async (_what, opts, kind) => {
    const o = await readCluster({ ...opts, timeoutMs: 1000 })
    expect(failureOf(o).kind).toBe(kind)
    expect(o.durationMs).toBe(0)
  })

  it('a header value that undici refuses (a newline in the token) → a failure, not an exception', async () => {
    const o = await readCluster({
      url: sim.url,
      timeoutMs: 2000,
      auth: { kind: 'token', secret: 'a\r\nb' }
    })
    expect(o.kind).toBe('failure')
  })

  it('a zero timeout → an outcome, not an exception', async () => {
    const o = await readCluster({ url: sim.url, timeoutMs: 0 })
    expect(['ok', 'failure']).toContain(o.kind)
  })
})
