// The simulator behaves like a Scale web server (scale-status-api.md §2–4, §8), over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSim, DEFAULT_SIM_TOKEN, type RunningSim } from '../../../main/sim/server.ts'
import { LEGACY_VERSION, SCALE_VERSION, SCENARIOS } from '../../../main/sim/scenarios.ts'
import { validateStatus } from '../../../main/core/scale/parse.ts'
import type { ScaleStatus } from '../../../main/core/scale/schema.ts'

let sim: RunningSim
let custom: RunningSim

beforeAll(async () => {
  sim = await startSim({ port: 0 })
  custom = await startSim({
    port: 0,
    scenario: 'auth-required',
    token: 'tok-123',
    username: 'alice',
    password: 's3cret',
    nodes: 5
  })
})

afterAll(async () => {
  await sim.close()
  await custom.close()
})

function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers: { accept: 'application/json', ...headers }, redirect: 'manual' })
}

async function status(url: string): Promise<ScaleStatus> {
  const res = await get(url)
  expect(res.status).toBe(200)
  const r = validateStatus(await res.json())
  if (!r.ok) throw new Error(r.failure.message)
  return r.status
}

describe('URL layout', () => {
  it('starts on 127.0.0.1 with a free port and names its API base', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/)
    expect(sim.urlFor('degraded')).toBe(`${sim.origin}/degraded/api`)
  })

  it('redirects a missing trailing slash with a 301, keeping the query', async () => {
    const res = await get(`${sim.url}/v6/status?format=json`)
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('/api/v6/status/?format=json')
  })

  it.each(['v5', 'v4', 'v8', 'v66'])('an unknown version prefix /api/%s/ → HTML 404', async (v) => {
    const res = await get(`${sim.url}/${v}/status/`)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await res.text()).toContain('Page not found')
  })

  it('serves v6 and v7 alike on a 7.x cluster', async () => {
    expect((await status(`${sim.url}/v6/status/`)).dependencies).toBeDefined()
    expect((await status(`${sim.url}/v7/status/`)).dependencies).toBeDefined()
  })

  it('allows v5 only on a legacy (5.x) cluster, where v7 does not exist', async () => {
    const legacy = sim.urlFor('legacy-5x')
    expect((await status(`${legacy}/v5/status/`)).dependencies).toBeUndefined()
    expect((await get(`${legacy}/v7/status/`)).status).toBe(404)
    expect(await (await get(`${legacy}/v5/version/`)).json()).toEqual({ version: LEGACY_VERSION })
  })

  it('an unknown cluster key or path → HTML 404', async () => {
    expect((await get(`${sim.origin}/no-such-cluster/api/v6/status/`)).status).toBe(404)
    expect((await get(`${sim.url}/v6/scheduler/`)).status).toBe(404)
    expect((await get(`${sim.origin}/`)).status).toBe(404)
  })

  it('refuses POST on /status/ with 405', async () => {
    const res = await fetch(`${sim.url}/v6/status/`, { method: 'POST' })
    expect(res.status).toBe(405)
    expect(await res.json()).toEqual({ detail: 'Method "POST" not allowed.' })
  })
})

describe('POST /api/api-token-auth/', () => {
  const tokenUrl = (): string => `${custom.url}/api-token-auth/`

  it('gives the token for the right credentials as JSON', async () => {
    const res = await fetch(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 's3cret' })
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ token: 'tok-123' })
  })

  it('gives the token for the right credentials as a form body', async () => {
    const res = await fetch(tokenUrl(), {
      method: 'POST',
      body: new URLSearchParams({ username: 'alice', password: 's3cret' })
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ token: 'tok-123' })
  })

  it('refuses wrong credentials with 400 non_field_errors', async () => {
    const res = await fetch(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'wrong' })
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      non_field_errors: ['Unable to log in with provided credentials.']
    })
  })

  it('names missing fields', async () => {
    const res = await fetch(tokenUrl(), {
      method: 'POST',
      body: new URLSearchParams({ username: 'alice' })
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ password: ['This field is required.'] })
  })

  it('answers GET with 405', async () => {
    const res = await get(tokenUrl())
    expect(res.status).toBe(405)
    expect(await res.json()).toEqual({ detail: 'Method "GET" not allowed.' })
  })

  it('the default credentials give the default token', async () => {
    const res = await fetch(`${sim.url}/api-token-auth/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin' })
    })
    expect(await res.json()).toEqual({ token: DEFAULT_SIM_TOKEN })
  })

  it('the token it hands out opens the status of an auth-required cluster', async () => {
    const res = await get(`${custom.url}/v6/status/`, { authorization: 'Token tok-123' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as ScaleStatus).nodes).toHaveLength(5)
  })
})

describe('auth-required', () => {
  it('403 "Authentication credentials were not provided." without a token', async () => {
    const res = await get(`${custom.url}/v6/status/`)
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it('403 "Invalid token." with a wrong one', async () => {
    const res = await get(`${custom.url}/v6/status/`, { authorization: 'Token nope' })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({ detail: 'Invalid token.' })
  })

  it('keeps /version/ public, but refuses a bad token there too', async () => {
    const open = await get(`${custom.url}/v6/version/`)
    expect(open.status).toBe(200)
    expect(await open.json()).toEqual({ version: SCALE_VERSION })
    expect((await get(`${custom.url}/v6/version/`, { authorization: 'Token nope' })).status).toBe(
      403
    )
  })
})

describe('the /_sim/ control API', () => {
  it('lists scenarios and clusters', async () => {
    const res = await get(`${sim.origin}/_sim/`)
    const body = (await res.json()) as {
      scenarios: Record<string, string>
      clusters: Record<string, unknown>
    }
    expect(Object.keys(body.scenarios).sort()).toEqual([...SCENARIOS].sort())
    expect(body.clusters).toHaveProperty('_default')
  })

  it('POST /_sim/clusters/<key> creates a cluster and changes its scenario', async () => {
    const set = (scenario: string): Promise<Response> =>
      fetch(`${sim.origin}/_sim/clusters/story`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenario, nodes: 4 })
      })
    const r1 = await set('stale')
    expect(r1.status).toBe(200)
    expect(await r1.json()).toEqual({ key: 'story', scenario: 'stale' })
    const stale = await get(`${sim.urlFor('story')}/v6/status/`)
    expect(stale.status).toBe(503)
    expect(await stale.json()).toEqual({ detail: 'Status is over 12 seconds old' })
    expect((await set('healthy')).status).toBe(200)
    expect((await status(`${sim.urlFor('story')}/v6/status/`)).nodes).toHaveLength(4)
    expect(sim.requestCount('story')).toBe(2)
  })

  it('a bad scenario → 400 listing the scenarios', async () => {
    const res = await fetch(`${sim.origin}/_sim/clusters/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'on-fire' })
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { detail: string }).detail).toMatch(
      /unknown scenario; one of: healthy, /
    )
  })

  it('a body that is not JSON → 400', async () => {
    const res = await fetch(`${sim.origin}/_sim/clusters/x`, {
      method: 'POST',
      body: 'scenario=healthy'
    })
    expect(res.status).toBe(400)
  })

  it('setCluster does the same from code', async () => {
    sim.setCluster('coded', { scenario: 'missing' })
    const res = await get(`${sim.urlFor('coded')}/v6/status/`)
    expect(await res.json()).toEqual({ detail: 'Status is missing. Scheduler may be down.' })
  })
})

describe('what the scenarios serve', () => {
  it('timestamps are live: within 2 s of now, with last_updated a little earlier', async () => {
    const s = await status(`${sim.url}/v6/status/`)
    expect(Math.abs(Date.parse(s.timestamp) - Date.now())).toBeLessThan(2000)
    expect(s.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/)
    const lu = Date.parse(s.last_updated ?? '')
    expect(Date.parse(s.timestamp) - lu).toBeGreaterThan(0)
    expect(Date.parse(s.timestamp) - lu).toBeLessThan(12_000)
  })

  it('big has 3000 nodes', async () => {
    const s = await status(`${sim.urlFor('big')}/v6/status/`)
    expect(s.nodes).toHaveLength(3000)
    expect(new Set(s.nodes.map((n) => n.id)).size).toBe(3000)
  })

  it('degraded has real node errors, an offline node and the unusual condition names', async () => {
    const s = await status(`${sim.urlFor('degraded')}/v6/status/`)
    const states = s.nodes.map((n) => n.state.name)
    expect(states.filter((x) => x === 'DEGRADED')).toHaveLength(2)
    expect(states.filter((x) => x === 'OFFLINE')).toHaveLength(1)
    expect(s.nodes.flatMap((n) => n.errors.map((e) => e.name)).sort()).toEqual([
      'BAD_DAEMON',
      'HEALTH_TIMEOUT',
      'LOW_DOCKER_SPACE'
    ])
    expect(s.nodes.flatMap((n) => n.warnings.map((w) => w.name))).toEqual(['CLEANUP_FAILURE 7'])
    expect(s.scheduler?.warnings?.map((w) => w.name)).toEqual(['INVALID_RESOURCESgeo-ingest'])
    expect(s.dependencies?.nodes?.warnings).toEqual([
      { NODES_OFFLINE: '1 nodes are offline' },
      { NODES_DEGRADED: '2 nodes are degraded' }
    ])
  })

  it('dependency-down has RabbitMQ failing', async () => {
    const s = await status(`${sim.urlFor('dependency-down')}/v6/status/`)
    expect(s.dependencies?.msg_queue).toMatchObject({
      OK: false,
      errors: [{ RABBITMQ_ERROR: 'Error connecting to RabbitMQ: Check Logs for details' }]
    })
  })

  it('paused has the scheduler PAUSED and every node SCHEDULER_STOPPED', async () => {
    const s = await status(`${sim.urlFor('paused')}/v6/status/`)
    expect(s.scheduler?.state.name).toBe('PAUSED')
    expect(new Set(s.nodes.map((n) => n.state.name))).toEqual(new Set(['SCHEDULER_STOPPED']))
  })

  it('legacy-5x has the 5.8–5.9 shape: vault, no dependencies, no scheduler warnings', async () => {
    const s = await status(`${sim.urlFor('legacy-5x')}/v6/status/`)
    expect(s.vault).toBeDefined()
    expect(s.dependencies).toBeUndefined()
    expect(s.last_updated).toBeUndefined()
    expect(s.scheduler).not.toHaveProperty('warnings')
  })

  it('legacy-5x-stale answers 204 with an empty body', async () => {
    const res = await get(`${sim.urlFor('legacy-5x-stale')}/v6/status/`)
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
  })

  it('garbage is JSON cut off in the middle', async () => {
    const res = await get(`${sim.urlFor('garbage')}/v6/status/`)
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text.startsWith('{"timestamp"')).toBe(true)
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError)
  })

  it('not-found and server-error are Django HTML pages; redirect-login points at the login page', async () => {
    const nf = await get(`${sim.urlFor('not-found')}/v6/status/`)
    expect(nf.status).toBe(404)
    expect(await nf.text()).toMatch(/^<!DOCTYPE html>/)
    const se = await get(`${sim.urlFor('server-error')}/v6/status/`)
    expect(se.status).toBe(500)
    expect(await se.text()).toContain('Server Error (500)')
    const rd = await get(`${sim.urlFor('redirect-login')}/v6/status/`)
    expect(rd.status).toBe(302)
    expect(rd.headers.get('location')).toBe('/accounts/login/?next=/api/v6/status/')
  })

  it('flapping alternates on each status request', async () => {
    sim.setCluster('flip', { scenario: 'flapping' })
    const oks: (boolean | undefined)[] = []
    for (let i = 0; i < 3; i++)
      oks.push((await status(`${sim.urlFor('flip')}/v6/status/`)).dependencies?.msg_queue?.OK)
    expect(oks).toEqual([true, false, true])
  })

  it('every 200 scenario serves a valid status document', async () => {
    for (const s of [
      'healthy',
      'degraded',
      'dependency-down',
      'paused',
      'legacy-5x',
      'flapping'
    ] as const) {
      const doc = await status(`${sim.urlFor(s)}/v6/status/`)
      expect(doc.nodes.length).toBe(12)
    }
  })

  it('hang accepts the connection and never answers', async () => {
    const ctl = new AbortController()
    const timer = setTimeout(() => ctl.abort(), 300)
    await expect(fetch(`${sim.urlFor('hang')}/v6/status/`, { signal: ctl.signal })).rejects.toThrow(
      /abort/i
    )
    clearTimeout(timer)
  })
})
