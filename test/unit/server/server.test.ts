// The serve HTTP bridge over real loopback: token, Host and Origin checks, static files and
// traversal, CSP, commands validated by the contract, and pushes over SSE.
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Controller } from '../../../main/core/app/controller.ts'
import { Monitor } from '../../../main/core/monitor/monitor.ts'
import { makeReader } from '../../../main/core/monitor/reader.ts'
import { MemorySecretStore } from '../../../main/core/settings/secrets.ts'
import { defaultSettings, makeCluster } from '../../../main/core/settings/schema.ts'
import { startServer, CSP, type RunningServer } from '../../../main/server/server.ts'
import { startSim, type RunningSim } from '../../../main/sim/server.ts'
import type { PushEvent, Snapshot } from '../../../preload/contract.ts'

let dir: string
let sim: RunningSim
let server: RunningServer
let monitor: Monitor
let controller: Controller
const TOKEN = 'test-token-abcdefghijklmnop'

interface Raw {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw request, so tests control the Host and Origin headers browsers would send. */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Raw> {
  const u = new URL(server.origin)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8')
          })
        )
      }
    )
    req.on('error', reject)
    if (opts.body) req.write(opts.body)
    req.end()
  })
}

const auth = { authorization: `Bearer ${TOKEN}` }
const json = { ...auth, 'content-type': 'application/json' }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scale-tray-serve-'))
  await mkdir(join(dir, 'assets'))
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Scale Tray</title>')
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(join(tmpdir(), 'scale-tray-secret.txt'), 'outside')
  sim = await startSim({ port: 0 })
  const secrets = new MemorySecretStore()
  const settings = {
    ...defaultSettings(),
    clusters: [makeCluster({ id: 'a', name: 'alpha', url: sim.urlFor('healthy'), intervalSec: 1 })]
  }
  const readerFor = (s: Pick<MemorySecretStore, 'get'>) => makeReader({ secrets: s })
  monitor = new Monitor({ settings, read: readerFor(secrets) })
  controller = new Controller({
    monitor,
    secrets,
    settings,
    readerFor,
    platform: {
      mode: 'serve',
      version: 'test',
      notificationsSupported: true,
      showTestNotification: () => Promise.resolve({ shown: true, detail: 'x' }),
      openExternal: () => Promise.resolve({ ok: true, value: null })
    }
  })
  server = await startServer({ controller, rendererDir: dir, port: 0, token: TOKEN })
})

afterAll(async () => {
  monitor.stop()
  await server.close()
  await sim.close()
  await rm(dir, { recursive: true, force: true })
})

describe('access', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=test-token-abcdefghijklmnop$/)
  })

  it('refuses a request without the token', async () => {
    const r = await raw('/')
    expect(r.status).toBe(401)
    expect(r.body).toMatch(/URL that scale-tray serve printed/)
  })

  it('trades the URL token for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const r = await raw(`/?token=${TOKEN}`)
    expect(r.status).toBe(303)
    expect(r.headers.location).toBe('/')
    expect(String(r.headers['set-cookie'])).toMatch(
      /scale_tray_token=.+; HttpOnly; SameSite=Strict; Path=\//
    )
    const cookie = String(r.headers['set-cookie']).split(';')[0] as string
    const page = await raw('/', { headers: { cookie } })
    expect(page.status).toBe(200)
  })

  it('refuses a wrong token', async () => {
    expect((await raw('/', { headers: { authorization: 'Bearer nope' } })).status).toBe(401)
    expect((await raw('/?token=nope')).status).toBe(401)
  })

  it('refuses a foreign Host even with the token (DNS rebinding)', async () => {
    const r = await raw('/', {
      headers: { ...auth, host: `evil.example:${new URL(server.origin).port}` }
    })
    expect(r.status).toBe(421)
  })

  it('refuses a malformed cookie like a missing token (401, not a server error)', async () => {
    expect((await raw('/', { headers: { cookie: 'scale_tray_token=%E0%A4%A' } })).status).toBe(401)
  })

  it("on a wildcard bind, prints a reachable URL and accepts only this machine's names as Host", async () => {
    const wide = await startServer({
      controller,
      rendererDir: dir,
      host: '0.0.0.0',
      port: 0,
      token: TOKEN
    })
    try {
      expect(wide.url).not.toContain('0.0.0.0')
      const port = new URL(wide.origin).port
      const get = (host: string): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = httpRequest(
            { host: '127.0.0.1', port, path: '/', headers: { ...auth, host } },
            (res) => {
              res.resume()
              resolve(res.statusCode ?? 0)
            }
          )
          req.on('error', reject)
          req.end()
        })
      expect(await get(`127.0.0.1:${port}`)).toBe(200)
      expect(await get(`${new URL(wide.origin).hostname}:${port}`)).toBe(200)
      expect(await get(`evil.example:${port}`)).toBe(421)
    } finally {
      await wide.close()
    }
  })

  it('accepts localhost as well as 127.0.0.1 for a loopback server', async () => {
    const r = await raw('/', {
      headers: { ...auth, host: `localhost:${new URL(server.origin).port}` }
    })
    expect(r.status).toBe(200)
  })
})

describe('static files', () => {
  it('serves the dashboard with the strict CSP and no framing', async () => {
    const r = await raw('/', { headers: auth })
    expect(r.status).toBe(200)
    expect(r.headers['content-security-policy']).toBe(CSP)
    expect(r.headers['content-security-policy']).toMatch(/script-src 'self'/)
    expect(r.headers['content-security-policy']).not.toMatch(/unsafe/)
    expect(r.headers['x-frame-options']).toBe('DENY')
    expect(r.headers['x-content-type-options']).toBe('nosniff')
  })

  it('serves assets with their type', async () => {
    const r = await raw('/assets/app.js', { headers: auth })
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toMatch(/javascript/)
  })

  it.each([
    '/../scale-tray-secret.txt',
    '/%2e%2e/scale-tray-secret.txt',
    '/assets/..%2f..%2fscale-tray-secret.txt',
    '/..%5cscale-tray-secret.txt',
    '/%00'
  ])('never serves a file outside the dashboard folder: %s', async (path) => {
    const r = await raw(path, { headers: auth })
    expect([400, 403, 404]).toContain(r.status)
    expect(r.body).not.toContain('outside')
  })
})

describe('bridge commands', () => {
  it('answers getSnapshot with clusters, tray and settings, and no secret', async () => {
    const r = await raw('/bridge/getSnapshot', { method: 'POST', headers: json, body: 'null' })
    expect(r.status).toBe(200)
    const snap = JSON.parse(r.body) as Snapshot
    expect(snap.clusters.map((c) => c.name)).toEqual(['alpha'])
    expect(snap.settings.clusters[0]?.hasSecret).toBe(false)
    expect(snap.app.mode).toBe('serve')
  })

  it('validates payloads against the contract and says what is wrong', async () => {
    const r = await raw('/bridge/setEnabled', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ id: 'a', enabled: 'yes' })
    })
    expect(r.status).toBe(400)
    expect((JSON.parse(r.body) as { error: string }).error).toMatch(/enabled/)
  })

  it('refuses unknown commands, non-JSON bodies and cross-origin callers', async () => {
    expect(
      (await raw('/bridge/constructor', { method: 'POST', headers: json, body: 'null' })).status
    ).toBe(404)
    expect(
      (
        await raw('/bridge/getSnapshot', {
          method: 'POST',
          headers: { ...auth, 'content-type': 'text/plain' },
          body: 'null'
        })
      ).status
    ).toBe(415)
    expect(
      (
        await raw('/bridge/getSnapshot', {
          method: 'POST',
          headers: { ...json, origin: 'http://evil.example' },
          body: 'null'
        })
      ).status
    ).toBe(403)
    expect(
      (
        await raw('/bridge/getSnapshot', {
          method: 'POST',
          headers: { ...json, origin: server.origin },
          body: 'null'
        })
      ).status
    ).toBe(200)
    expect((await raw('/bridge/getSnapshot', { headers: auth })).status).toBe(405)
  })

  it('adds a cluster with a token that never comes back out', async () => {
    const r = await raw('/bridge/addCluster', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        name: 'beta',
        url: sim.urlFor('auth-required'),
        auth: { kind: 'token' },
        secret: 'super-secret-token-123'
      })
    })
    const res = JSON.parse(r.body) as { ok: boolean; value: { hasSecret: boolean } }
    expect(res.ok).toBe(true)
    expect(res.value.hasSecret).toBe(true)
    const snap = await raw('/bridge/getSnapshot', { method: 'POST', headers: json, body: 'null' })
    expect(snap.body).not.toContain('super-secret-token-123')
    expect(snap.body).toContain('"hasSecret":true')
  })

  it('returns field errors as data for a bad cluster', async () => {
    const r = await raw('/bridge/addCluster', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: '', url: 'ftp://x' })
    })
    const res = JSON.parse(r.body) as { ok: boolean; fields: Record<string, string> }
    expect(res.ok).toBe(false)
    expect(Object.keys(res.fields)).toEqual(expect.arrayContaining(['url', 'name']))
  })

  it('tests a connection and reports the exact outcome', async () => {
    const r = await raw('/bridge/testConnection', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ edit: { name: 'probe', url: sim.urlFor('auth-required') } })
    })
    const res = JSON.parse(r.body) as {
      ok: true
      value: { level: string; httpStatus: number; findings: { title: string }[]; version: string }
    }
    expect(res.value.level).toBe('unknown')
    expect(res.value.httpStatus).toBe(403)
    expect(res.value.findings[0]?.title).toMatch(/credentials/i)
    expect(res.value.version).toBe('7.2.1')
  })
})

describe('pushes', () => {
  it('streams cluster changes as Server-Sent Events', async () => {
    const u = new URL(server.origin)
    const got: PushEvent[] = []
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        { host: u.hostname, port: u.port, path: '/bridge/events', headers: auth },
        (res) => {
          expect(res.headers['content-type']).toMatch(/text\/event-stream/)
          let buf = ''
          res.on('data', (c: Buffer) => {
            buf += c.toString('utf8')
            for (const frame of buf.split('\n\n').slice(0, -1)) {
              const line = frame.split('\n').find((l) => l.startsWith('data: '))
              if (line) got.push(JSON.parse(line.slice(6)) as PushEvent)
            }
            buf = buf.slice(buf.lastIndexOf('\n\n') + 2)
            if (got.some((e) => e.type === 'cluster' && e.cluster.lastPollAt !== null)) {
              req.destroy()
              resolve()
            }
          })
        }
      )
      req.on('error', (e) => (got.length ? resolve() : reject(e)))
      req.end()
      setTimeout(() => monitor.start(), 50)
    })
    const c = got.find((e) => e.type === 'cluster')
    expect(c?.type).toBe('cluster')
  })
})
