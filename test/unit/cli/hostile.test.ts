// `scale-tray check` against a hostile server and hostile files: no crash, no hang, no secret
// echoed back, no forged plugin output. Each case is one a tester found broken.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateStatus, scaleTime } from '../../../main/sim/generate.ts'
import { runCli } from '../../helpers/cli.ts'

const SECRET = 'SEKRIT-token-4d2f9a'
const PASSWORD = 'Pw-Secret-999'
let server: Server
let base: string
let dir: string
const doc = (): ScaleDoc => ({
  ...generateStatus({ nodes: 3, now: new Date() }),
  timestamp: scaleTime(new Date())
})
type ScaleDoc = ReturnType<typeof generateStatus>

function send(
  res: ServerResponse,
  code: number,
  body: string | Buffer,
  headers: Record<string, string> = {}
): void {
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...headers
  })
  res.end(body)
}

/** Routes named for what they do wrong, under /<route>/api/v6/{status,version}/. */
function handle(req: IncomingMessage, res: ServerResponse): void {
  const [, route, , , endpoint] = (req.url ?? '').split('/')
  const auth = req.headers.authorization ?? ''
  if (endpoint === 'version') {
    if (route === 'echo-version') return send(res, 200, JSON.stringify({ version: `auth ${auth}` }))
    if (route === 'forge')
      return send(
        res,
        200,
        JSON.stringify({ version: '7.2.1 | injected=1\nSCALE OK - fake\u001b[31mRED' })
      )
    if (route === 'hung-version') return // never answers
    return send(res, 200, JSON.stringify({ version: '7.2.1' }))
  }
  if (req.method === 'POST') {
    // A login endpoint that echoes the request body in its refusal.
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () =>
      send(res, 400, JSON.stringify({ non_field_errors: [`bad creds: ${body}`] }))
    )
    return
  }
  switch (route) {
    case 'echo403':
      return send(res, 403, JSON.stringify({ detail: `Invalid token: ${auth}` }))
    case 'echo-redirect':
      res.writeHead(302, {
        location: `http://x.example/login?h=${encodeURIComponent(auth)}`,
        'content-length': '0'
      })
      return void res.end()
    case 'gzip':
      return send(res, 200, gzipSync(JSON.stringify(doc())), { 'content-encoding': 'gzip' })
    case 'utf16':
      return send(
        res,
        200,
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(doc()), 'utf16le')])
      )
    case 'no-zone':
      return send(
        res,
        200,
        JSON.stringify({ ...doc(), timestamp: new Date().toISOString().replace('Z', '') })
      )
    case 'forge': {
      const d = doc()
      if (d.scheduler)
        d.scheduler.state = {
          name: 'WEIRD',
          title: 'Odd\u001b[31m | x=1\r\nSCALE OK - forged',
          description: 'x'
        }
      const first = d.nodes[0]
      if (first) first.state = { name: 'ready', title: 'Ready', description: '' } // "ready" beside "READY"
      return send(res, 200, JSON.stringify(d))
    }
    default:
      return send(res, 200, JSON.stringify(doc()))
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scale-tray-hostile-'))
  server = createServer(handle)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
  await rm(dir, { recursive: true, force: true })
})

describe('answers that once crashed or hung check', () => {
  it('an answer over --max-bytes is UNKNOWN "too large", exit 3, not a crash', async () => {
    const r = await runCli(['check', `${base}/ok/api`, '--max-bytes', '2048'])
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/^SCALE UNKNOWN - Answer too large/)
    expect(r.stdout).toMatch(/2 KiB limit/)
    expect(r.stderr).not.toMatch(/Unhandled|node:events/)
  })

  it('a /version/ that never answers does not hold the verdict', async () => {
    const r = await runCli(['check', `${base}/hung-version/api`, '--timeout', '5'])
    expect(r.code).toBe(0)
    expect(r.ms).toBeLessThan(3000)
  })

  it.each([
    ['--ca', 'check'],
    ['--rules', 'check'],
    ['--file', 'check']
  ])('a FIFO given to %s is refused at once instead of blocking', async (flag) => {
    const fifo = join(dir, `fifo${flag}`)
    execFileSync('mkfifo', [fifo])
    const args =
      flag === '--file'
        ? ['check', '--file', fifo, '--timeout', '1']
        : ['check', `${base}/ok/api`, flag, fifo, '--timeout', '1']
    const r = await runCli(args, { killAfterMs: 8000 })
    expect(r.signal).toBeNull()
    expect(r.ms).toBeLessThan(4000)
    expect(r.stdout + r.stderr).toMatch(/not a regular file/)
  })
})

describe('credentials a server echoes back are never printed', () => {
  it.each([
    ['--token', SECRET, 'echo403'],
    ['--bearer', SECRET, 'echo403'],
    ['--dcos-token', SECRET, 'echo-redirect'],
    ['--basic', `alice:${SECRET}`, 'echo403'],
    ['--token', SECRET, 'echo-version']
  ])('%s %s, echoed back by the %s route, in text and --json', async (flag, value, route) => {
    const b64 = Buffer.from(`alice:${SECRET}`).toString('base64')
    for (const json of [false, true]) {
      const r = await runCli([
        'check',
        `${base}/${route}/api`,
        flag,
        value,
        ...(json ? ['--json'] : [])
      ])
      const all = r.stdout + r.stderr
      expect(all).not.toContain(SECRET)
      expect(all).not.toContain(b64)
      expect(all).not.toContain(encodeURIComponent(SECRET))
    }
  })

  it('a login refusal that echoes the password does not print it', async () => {
    const r = await runCli(['check', `${base}/ok/api`, '--username', 'alice'], {
      env: { SCALE_PASSWORD: PASSWORD }
    })
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/alice/)
    expect(r.stdout + r.stderr).not.toContain(PASSWORD)
  })

  it('a credential with a line break is refused before anything is sent', async () => {
    const r = await runCli(['check', `${base}/ok/api`, '--token', 'abc\ndef'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/--token contains a line break/)
  })
})

describe('the plugin output cannot be forged', () => {
  it('keeps server text on its own line, without | or escapes, and merges perfdata labels', async () => {
    const r = await runCli(['check', `${base}/forge/api`])
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^SCALE WARNING - /)
    expect(lines.filter((l) => l.startsWith('SCALE '))).toHaveLength(1)
    expect(r.stdout).not.toContain('\u001b')
    expect(r.stdout).not.toContain('\r')
    // Only the status line carries a "|", before its perfdata.
    expect(lines.slice(1).some((l) => l.includes('|'))).toBe(false)
    const labels = (lines[0]?.split(' | ')[1] ?? '').split(' ').map((p) => p.split('=')[0])
    expect(labels.filter((l) => l === 'nodes_ready')).toHaveLength(1)
    expect(lines[0]).toMatch(/nodes_ready=3;/)
  })
})

describe('bodies that are valid, just unusual', () => {
  it('reads a gzip-compressed answer', async () => {
    expect((await runCli(['check', `${base}/gzip/api`])).code).toBe(0)
  })

  it('reads a UTF-16 answer with a byte-order mark', async () => {
    expect((await runCli(['check', `${base}/utf16/api`])).code).toBe(0)
  })

  it('reads a timestamp without a zone as UTC, whatever the local zone', async () => {
    const r = await runCli(['check', `${base}/no-zone/api`], { env: { TZ: 'America/New_York' } })
    expect(r.stdout).not.toMatch(/clock|ahead|behind/i)
    expect(r.code).toBe(0)
  })

  it("judges a saved error body as stale only when it is one of Scale's two 503 messages", async () => {
    const f = join(dir, 'detail.json')
    await writeFile(f, JSON.stringify({ detail: 'Not found: the page is missing' }))
    const r = await runCli(['check', '--file', f])
    expect(r.code).toBe(3)
    expect(r.stdout).not.toMatch(/Scheduler/)
  })
})
