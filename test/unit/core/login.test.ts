// Token login against the simulator's `POST /api/api-token-auth/` over real HTTP(S): the token
// works, wrong credentials give the server's own words, and every other failure is classified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, loginUrl } from '../../../main/core/scale/login.ts'
import { readCluster } from '../../../main/core/scale/client.ts'
import { buildTransport } from '../../../main/core/scale/transport.ts'
import { evaluate, failureFinding } from '../../../main/core/health/rules.ts'
import { makeCluster } from '../../../main/core/settings/schema.ts'
import { MemorySecretStore } from '../../../main/core/settings/secrets.ts'
import type { Finding, ReadOutcome } from '../../../main/core/types.ts'
import { DEFAULT_SIM_TOKEN, startSim, type RunningSim } from '../../../main/sim/server.ts'
import { scenarioStatus } from '../../../main/sim/scenarios.ts'
import { makeTestPki, type TestPki } from '../../helpers/certs.ts'
import { startTestProxy, type TestProxy } from '../../helpers/proxy.ts'
import { closedPort, startTinyServer } from '../../helpers/http.ts'

let sim: RunningSim
let tlsSim: RunningSim
let pki: TestPki
let proxy: TestProxy

beforeAll(async () => {
  pki = makeTestPki()
  ;[sim, tlsSim, proxy] = await Promise.all([
    startSim({ scenario: 'auth-required', username: 'alice', password: 'correct horse' }),
    startSim({
      scenario: 'auth-required',
      username: 'alice',
      password: 'correct horse',
      tls: { key: pki.server.key, cert: pki.server.cert }
    }),
    startTestProxy()
  ])
})
afterAll(async () => {
  await Promise.all([sim.close(), tlsSim.close(), proxy.close()])
  pki.cleanup()
})

describe('loginUrl', () => {
  it.each([
    ['https://h/api', 'https://h/api/api-token-auth/'],
    ['https://h/api/', 'https://h/api/api-token-auth/'],
    ['https://h/api/v6', 'https://h/api/api-token-auth/'],
    ['https://h/api/v7/status/', 'https://h/api/api-token-auth/'],
    ['https://h:8443/scale/api/v6/version', 'https://h:8443/scale/api/api-token-auth/']
  ])('%s → %s', (url, want) => {
    expect(loginUrl(url)).toBe(want)
  })
  it('refuses what is not an http(s) URL', () => {
    expect(loginUrl('ftp://h/api')).toEqual({ error: expect.stringMatching(/http/) as unknown })
    expect(loginUrl('not a url')).toEqual({ error: expect.stringMatching(/not a URL/) as unknown })
  })
})

describe('login', () => {
  it('returns the token, which then reads a cluster that demands credentials', async () => {
    const r = await login({ url: sim.url, username: 'alice', password: 'correct horse' })
    expect(r).toEqual({ ok: true, token: DEFAULT_SIM_TOKEN })
    const without = await readCluster({ url: sim.url, skipVersion: true })
    expect(without.kind === 'failure' && without.failure.kind).toBe('auth')
    const read = await readCluster({
      url: `${sim.url}/v6/status/`,
      auth: { kind: 'token', secret: r.ok ? r.token : '' }
    })
    expect(read.kind).toBe('ok')
  })

  it("wrong credentials: the server's own message, as an auth.login finding", async () => {
    const r = await login({ url: sim.url, username: 'alice', password: 'wrong' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.message).toBe('Unable to log in with provided credentials.')
    expect(r.failure).toMatchObject({ kind: 'login', httpStatus: 400, username: 'alice' })
    const f = failureFinding(r.failure, loginUrl(sim.url) as string)
    expect(f).toMatchObject({ id: 'auth.login', title: 'Login as alice refused' })
    expect(f.message).toBe('Scale says: "Unable to log in with provided credentials."')
    expect(JSON.stringify(f)).not.toContain('wrong')
  })

  it("over TLS with the cluster's transport (private CA); without it, the TLS reason", async () => {
    const c = makeCluster({ id: 't', name: 't', url: tlsSim.url, tls: { caFile: pki.ca.certFile } })
    const t = await buildTransport(c, { secrets: new MemorySecretStore(), env: {} })
    const r = await login({
      url: tlsSim.url,
      username: 'alice',
      password: 'correct horse',
      dispatcher: t.dispatcher,
      route: t.route
    })
    await t.dispatcher.destroy()
    expect(r.ok).toBe(true)
    const bare = await login({ url: tlsSim.url, username: 'alice', password: 'correct horse' })
    expect(!bare.ok && bare.failure).toMatchObject({ kind: 'tls', tlsReason: 'unknown-issuer' })
  })

  it('through an explicit proxy (the proxy sees a tunnel, never the password)', async () => {
    const c = makeCluster({
      id: 'p',
      name: 'p',
      url: tlsSim.url,
      tls: { caFile: pki.ca.certFile },
      proxy: { mode: 'explicit', url: proxy.url }
    })
    const t = await buildTransport(c, { secrets: new MemorySecretStore(), env: {} })
    const before = proxy.tunnels.length
    const r = await login({ url: tlsSim.url, username: 'alice', password: 'correct horse', ...t })
    await t.dispatcher.destroy()
    expect(r.ok).toBe(true)
    expect(proxy.tunnels.length).toBe(before + 1)
    expect(proxy.seen.join(' ')).not.toContain('correct horse')
  })

  it('nothing listening: a connection failure, not a login failure', async () => {
    const port = await closedPort()
    const r = await login({ url: `http://127.0.0.1:${port}/api`, username: 'a', password: 'b' })
    expect(!r.ok && r.failure.kind).toBe('refused')
  })

  it('a Scale without token login (before 7.0: an HTML 404) says so', async () => {
    const legacy = await startTinyServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' })
      res.end('<html><body>Not Found</body></html>')
    })
    try {
      const r = await login({ url: `${legacy.origin}/api`, username: 'a', password: 'b' })
      expect(!r.ok && r.failure).toMatchObject({ kind: 'login', httpStatus: 404 })
      expect(r.ok ? '' : r.message).toMatch(/Scale before 7\.0 has none/)
      expect(legacy.requests[0]).toMatchObject({ method: 'POST', url: '/api/api-token-auth/' })
      expect(legacy.requests[0]?.headers['content-type']).toBe('application/json')
    } finally {
      await legacy.close()
    }
  })

  it('missing fields, a 200 without a token, a redirect: each is data', async () => {
    let mode = 'fields'
    const odd = await startTinyServer((_req, res) => {
      if (mode === 'fields') {
        res.writeHead(400, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ password: ['This field is required.'] }))
      } else if (mode === 'notoken') {
        res.writeHead(200, { 'content-type': 'text/html' })
        res.end('<html>login</html>')
      } else {
        res.writeHead(302, { location: '/accounts/login/' })
        res.end()
      }
    })
    try {
      const url = `${odd.origin}/api`
      const a = await login({ url, username: 'a', password: 'b' })
      expect(a.ok ? '' : a.message).toBe('password: This field is required.')
      mode = 'notoken'
      const b = await login({ url, username: 'a', password: 'b' })
      expect(b.ok ? '' : b.message).toMatch(/without a token \(an HTML page/)
      mode = 'redirect'
      const c = await login({ url, username: 'a', password: 'b' })
      expect(!c.ok && c.failure).toMatchObject({ kind: 'redirect', location: '/accounts/login/' })
    } finally {
      await odd.close()
    }
  })

  it('a hung login times out on time', async () => {
    const hang = await startTinyServer(() => {
      // Never answer.
    })
    try {
      const t0 = performance.now()
      const r = await login({
        url: `${hang.origin}/api`,
        username: 'a',
        password: 'b',
        timeoutMs: 300
      })
      expect(!r.ok && r.failure.kind).toBe('timeout')
      expect(performance.now() - t0).toBeLessThan(1500)
    } finally {
      await hang.close()
    }
  })
})

describe('transport notes in the verdict', () => {
  const at = Date.now()
  const base = { url: 'https://s/api/v6/status/', version: null, durationMs: 1, at }
  const insecure: Finding = {
    id: 'tls.insecure',
    severity: 'warning',
    title: 'TLS not verified',
    message: 'm'
  }
  const expired: Finding = {
    ...insecure,
    id: 'tls.client-cert-expired',
    severity: 'critical',
    title: 'Client certificate expired'
  }

  it('stale outcome: the note is listed after the stale finding', () => {
    const o: ReadOutcome = {
      ...base,
      kind: 'stale',
      httpStatus: 503,
      detail: 'Status is over 12 seconds old',
      notes: [insecure]
    }
    const e = evaluate(o)
    expect(e.findings.map((f) => f.id)).toEqual(['status.stale', 'tls.insecure'])
    expect(e.level).toBe('critical')
  })

  it('failure outcome: still unknown (nothing was read), the notes listed and named in the summary', () => {
    const failure: ReadOutcome = {
      ...base,
      kind: 'failure',
      failure: { kind: 'refused', message: 'refused', code: 'ECONNREFUSED' }
    }
    expect(evaluate({ ...failure, notes: [insecure] }).level).toBe('unknown')
    const e = evaluate({ ...failure, notes: [expired] })
    expect(e.level).toBe('unknown')
    expect(e.findings.map((f) => [f.id, f.severity])).toEqual([
      ['connection.refused', 'warning'],
      ['tls.client-cert-expired', 'critical']
    ])
    expect(e.summary).toBe('Connection refused by s (ECONNREFUSED); Client certificate expired')
    const info = evaluate({ ...failure, notes: [{ ...insecure, severity: 'info' }] })
    expect(info.summary).toBe('Connection refused by s (ECONNREFUSED)')
  })

  it('ok outcome: a note weighs like any finding', () => {
    const status = scenarioStatus('healthy', new Date(at), 3)
    expect(evaluate({ ...base, kind: 'ok', status, bytes: 1 }).level).toBe('ok')
    const ok = evaluate({ ...base, kind: 'ok', status, bytes: 1, notes: [expired] })
    expect(ok.level).toBe('critical')
    expect(ok.summary).toBe('Client certificate expired')
  })

  it('notes obey overrides like any finding', () => {
    const failure: ReadOutcome = {
      ...base,
      kind: 'failure',
      failure: { kind: 'refused', message: 'r' },
      notes: [insecure]
    }
    const e = evaluate(failure, { overrides: { 'tls.insecure': 'info' } })
    expect(e.level).toBe('unknown')
    expect(e.findings[1]).toMatchObject({
      id: 'tls.insecure',
      severity: 'info',
      overridden: { from: 'warning' }
    })
    const ignored = evaluate(failure, { overrides: { tls: 'ignore' } })
    expect(ignored.findings.map((f) => f.id)).toEqual(['connection.refused'])
  })
})
