// `scale-tray check`: end to end as a real process against the simulator, plus in-process runs of
// runCheck with a fake Io where a process is not needed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHECK_USAGE, runCheck } from '../../../main/cli/check.ts'
import { readRules } from '../../../main/cli/common.ts'
import { failureFinding } from '../../../main/core/health/rules.ts'
import { DEFAULT_SIM_TOKEN, startSim, type RunningSim } from '../../../main/sim/server.ts'
import { SCENARIOS, type ScenarioName } from '../../../main/sim/scenarios.ts'
import { FAILURE_KINDS, type Failure } from '../../../main/core/types.ts'
import { runCli, type CliResult } from '../../helpers/cli.ts'
import { fakeIo } from '../../helpers/io.ts'
import {
  fixtureFiles,
  fixturePath,
  readFixture,
  STALE_FIXTURES,
  STATUS_FIXTURES,
  VERSION_FIXTURES
} from '../../helpers/fixtures.ts'

let sim: RunningSim
let dir: string

beforeAll(async () => {
  sim = await startSim({ port: 0, delayMs: 5000, hugeBytes: 8 * 1024 * 1024 })
  dir = await mkdtemp(join(tmpdir(), 'scale-tray-check-'))
})

afterAll(async () => {
  await sim.close()
  await rm(dir, { recursive: true, force: true })
})

function firstLine(r: CliResult | string): string {
  return (typeof r === 'string' ? r : r.stdout).split('\n')[0] ?? ''
}

const EXIT = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const
type Word = keyof typeof EXIT

/** What each scenario must print (slow and hang are timed separately, one at a time). */
const SCENARIO_VERDICTS: Record<
  Exclude<ScenarioName, 'slow' | 'hang'>,
  { word: Word; reason: RegExp; args?: string[] }
> = {
  healthy: { word: 'OK', reason: /healthy: 12 of 12 nodes ready/ },
  degraded: { word: 'WARNING', reason: /2 of 12 nodes degraded/ },
  'dependency-down': { word: 'CRITICAL', reason: /RABBITMQ_ERROR/ },
  paused: { word: 'WARNING', reason: /Scheduler paused/ },
  stale: { word: 'CRITICAL', reason: /stale/ },
  missing: { word: 'CRITICAL', reason: /Scheduler down: no status/ },
  'legacy-5x': { word: 'WARNING', reason: /1 of 12 nodes degraded/ },
  'legacy-5x-stale': { word: 'CRITICAL', reason: /stale/ },
  'auth-required': { word: 'UNKNOWN', reason: /Needs credentials: give a token/ },
  'not-found': { word: 'UNKNOWN', reason: /404/ },
  garbage: { word: 'UNKNOWN', reason: /not JSON/ },
  huge: { word: 'UNKNOWN', reason: /too large/, args: ['--max-bytes', '1048576'] },
  flapping: { word: 'OK', reason: /healthy/ },
  big: { word: 'OK', reason: /3000 of 3000 nodes ready/ },
  'server-error': { word: 'UNKNOWN', reason: /Server error 500/ },
  'redirect-login': {
    word: 'UNKNOWN',
    reason: /Redirected to http:\/\/127\.0\.0\.1:\d+\/accounts\/login\//
  }
}

describe('scale-tray check <url>, as a process, for each scenario', () => {
  it('covers every scenario (slow and hang below)', () => {
    expect([...Object.keys(SCENARIO_VERDICTS), 'slow', 'hang'].sort()).toEqual(
      [...SCENARIOS].sort()
    )
  })

  it.concurrent.for(Object.entries(SCENARIO_VERDICTS))('%s', async ([scenario, v], { expect }) => {
    const r = await runCli(['check', sim.urlFor(scenario), '--timeout', '5', ...(v.args ?? [])])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(EXIT[v.word])
    const line = firstLine(r)
    expect(line.startsWith(`SCALE ${v.word} - `)).toBe(true)
    expect(line).toMatch(v.reason)
    // Perfdata when there was a document to measure; none for an unreadable or stale cluster.
    if (v.word === 'UNKNOWN' || /stale|no status/.test(line)) expect(line).not.toContain(' | ')
    else expect(line).toMatch(/ \| nodes_total=\d+;;;0 .*cpus_used=.*mem_total=.*jobs_running=/)
    // One line per finding after the status line, then the footer naming the URL.
    expect(r.stdout.trimEnd().split('\n').at(-1)).toContain(`${sim.urlFor(scenario)}/v6/status/`)
  })
})

describe('scale-tray check finishes within its timeout', () => {
  it.each(['hang', 'slow'] as const)(
    '%s with --timeout 1 → UNKNOWN within 2 s',
    async (scenario) => {
      const r = await runCli(['check', sim.urlFor(scenario), '--timeout', '1'])
      expect(r.code).toBe(3)
      expect(firstLine(r)).toMatch(/^SCALE UNKNOWN - No answer from 127\.0\.0\.1:\d+ within 1 s/)
      expect(r.ms).toBeLessThan(2000)
    }
  )
})

describe('scale-tray check --json', () => {
  it('prints exactly one JSON object with level, summary, findings, version, url, checkedAt', async () => {
    const before = Date.now()
    const r = await runCli(['check', sim.urlFor('degraded'), '--json'])
    expect(r.code).toBe(1)
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
    const j = JSON.parse(r.stdout) as Record<string, unknown>
    expect(j).toMatchObject({
      level: 'warning',
      version: '7.2.1',
      url: `${sim.urlFor('degraded')}/v6/status/`
    })
    expect(typeof j.summary).toBe('string')
    expect(Array.isArray(j.findings)).toBe(true)
    expect((j.findings as { id: string }[]).map((f) => f.id)).toContain('nodes.degraded')
    const checkedAt = Date.parse(j.checkedAt as string)
    expect(checkedAt).toBeGreaterThanOrEqual(before - 1000)
    expect(checkedAt).toBeLessThanOrEqual(Date.now() + 1000)
  })

  it('an unreadable cluster is level unknown, with the version /version/ still gave (in-process)', async () => {
    const io = fakeIo()
    expect(await runCheck([sim.urlFor('auth-required'), '--json'], io.io)).toBe(3)
    const j = JSON.parse(io.stdout()) as {
      level: string
      version: string | null
      findings: { id: string }[]
    }
    expect(j.level).toBe('unknown')
    expect(j.version).toBe('7.2.1')
    expect(j.findings.map((f) => f.id)).toEqual(['http.auth'])
  })
})

describe('scale-tray check with bad arguments', () => {
  it.concurrent.for([
    ['an unknown flag', ['check', 'http://127.0.0.1:1/api', '--bogus'], /Unknown option '--bogus'/],
    ['no URL', ['check'], /give the cluster's API base URL, or --file/],
    [
      '--timeout abc',
      ['check', 'http://127.0.0.1:1/api', '--timeout', 'abc'],
      /--timeout wants a number of seconds/
    ],
    [
      '--api v9',
      ['check', 'http://127.0.0.1:1/api', '--api', 'v9'],
      /--api wants v6 or v7 \(got "v9"\)/
    ],
    [
      'two auth flags',
      ['check', 'http://127.0.0.1:1/api', '--token', 'a', '--bearer', 'b'],
      /give only one of .*--token, --bearer/
    ]
  ] as const)(
    '%s → usage on stderr, exit 3, nothing on stdout',
    async ([, args, message], { expect }) => {
      const r = await runCli(args)
      expect(r.code).toBe(3)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(message)
      expect(r.stderr).toContain('Usage: scale-tray check <base-url> [options]')
    }
  )
})

describe('scale-tray check --file', () => {
  it('judges a saved status document by path, as a process, without the clock rule', async () => {
    const r = await runCli(['check', '--file', fixturePath('status-v6-docs-7.2.json')])
    expect(r.code).toBe(1)
    expect(firstLine(r)).toMatch(/^SCALE WARNING - .* \| nodes_total=1;;;0/)
    expect(r.stdout).toContain('Judged from a saved document')
    expect(r.stdout).not.toMatch(/behind this machine/)
  })

  it('reads stdin with --file -', async () => {
    const r = await runCli(['check', '--file', '-'], {
      stdin: readFixture('status-v6-503-stale.json')
    })
    expect(r.code).toBe(2)
    expect(firstLine(r)).toBe('SCALE CRITICAL - Scheduler offline or status stale')
    expect(r.stdout).toContain('Status is over 12 seconds old')
  })

  it('reads a status document from stdin too (in-process)', async () => {
    const io = fakeIo({ stdin: readFixture('status-v6-scale-ui-mock.json') })
    expect(await runCheck(['--file', '-', '--json'], io.io)).toBe(2)
    expect(JSON.parse(io.stdout())).toMatchObject({
      level: 'critical',
      url: '(stdin)',
      version: null
    })
  })

  it('every fixture file gets a sensible verdict (in-process)', async () => {
    const expected = new Map<string, { code: number; text: RegExp }>()
    for (const f of STATUS_FIXTURES)
      expected.set(f, {
        code: f.includes('scale-ui-mock') ? 2 : 1,
        text: /Judged from a saved document/
      })
    for (const [f, detail] of Object.entries(STALE_FIXTURES))
      expected.set(f, { code: 2, text: new RegExp(detail.replace('.', '\\.')) })
    for (const [f, v] of Object.entries(VERSION_FIXTURES))
      expected.set(f, {
        code: 3,
        text: new RegExp(`/version/ answer \\(Scale ${v.replace(/\./g, '\\.')}\\)`)
      })
    expect([...expected.keys()].sort()).toEqual(fixtureFiles())
    for (const [f, want] of expected) {
      const io = fakeIo()
      const code = await runCheck(['--file', fixturePath(f)], io.io)
      expect({ f, code }).toEqual({ f, code: want.code })
      expect(io.stdout()).toMatch(want.text)
      expect(io.stdout()).not.toMatch(/behind this machine/)
      expect(io.stderr()).toBe('')
      expect(io.exits).toEqual([])
    }
  })

  it('an empty file is judged as the 204 of an old release: critical', async () => {
    const io = fakeIo({ stdin: '' })
    expect(await runCheck(['--file', '-'], io.io)).toBe(2)
    expect(io.stdout()).toMatch(/204/)
  })

  it('a missing file → exit 3 with a clear message', async () => {
    // exit only records here: the stray deadline timer of the test below would otherwise throw later.
    const io = fakeIo({ exitThrows: false })
    expect(await runCheck(['--file', join(dir, 'nope.json'), '--timeout', '0.1'], io.io)).toBe(3)
    expect(io.stderr()).toMatch(/cannot read --file .*nope\.json: no such file/)
    expect(io.stderr()).not.toMatch(/Usage:/) // one line says why; the usage is for bad flags
    expect(io.stdout()).toBe('')
  })

  it('a failed --file read leaves no deadline timer behind to exit later', async () => {
    const io = fakeIo({ exitThrows: false })
    expect(await runCheck(['--file', join(dir, 'nope.json'), '--timeout', '0.2'], io.io)).toBe(3)
    // The guard is timeout + 0.9 s; wait past it.
    await new Promise((r) => setTimeout(r, 1300))
    expect(io.exits).toEqual([])
    expect(io.stdout()).toBe('')
  })

  it('a URL and --file together is a usage error', async () => {
    const io = fakeIo()
    expect(await runCheck(['http://x/api', '--file', '-'], io.io)).toBe(3)
    expect(io.stderr()).toMatch(/not both/)
  })
})

describe('scale-tray check --rules', () => {
  it('downgrading a finding changes the exit code (as a process)', async () => {
    const rules = join(dir, 'rules.json')
    await writeFile(rules, JSON.stringify({ overrides: { 'dependency.msg_queue': 'warning' } }))
    const plain = await runCli(['check', sim.urlFor('dependency-down')])
    expect(plain.code).toBe(2)
    const r = await runCli(['check', sim.urlFor('dependency-down'), '--rules', rules])
    expect(r.code).toBe(1)
    expect(firstLine(r)).toMatch(/^SCALE WARNING - /)
    expect(r.stdout).toContain('[WARNING] [was critical]')
  })

  it('a bare overrides map is accepted too, and can ignore a finding', async () => {
    const rules = join(dir, 'bare.json')
    await writeFile(rules, JSON.stringify({ 'scheduler.paused': 'ignore' }))
    const io = fakeIo()
    expect(await runCheck([sim.urlFor('paused'), '--rules', rules], io.io)).toBe(0)
    expect(firstLine(io.stdout())).toMatch(/^SCALE OK - /)
  })

  it('maxSkewMinutes becomes the clock tolerance', async () => {
    const rules = join(dir, 'skew.json')
    await writeFile(rules, JSON.stringify({ overrides: { a: 'info' }, maxSkewMinutes: 1.5 }))
    expect(await readRules(rules)).toEqual({ overrides: { a: 'info' }, maxSkewMs: 90_000 })
  })

  it('a malformed rules file → exit 3, a clear message, no stack trace (as a process)', async () => {
    const rules = join(dir, 'broken.json')
    await writeFile(rules, '{"overrides": {')
    const r = await runCli(['check', sim.urlFor('healthy'), '--rules', rules])
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/--rules .*broken\.json is not valid JSON/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.stderr).not.toMatch(/internal error/)
  })

  it.each([
    ['an unknown severity', { overrides: { 'dependency.logs': 'loud' } }],
    ['an unknown top-level key', { overrides: {}, extra: 1 }],
    ['an array', []],
    ['an empty key', { '': 'info' }]
  ])('a rules file with %s → exit 3 naming the expected shape', async (_what, content) => {
    const rules = join(dir, 'bad-shape.json')
    await writeFile(rules, JSON.stringify(content))
    const io = fakeIo()
    expect(await runCheck([sim.urlFor('healthy'), '--rules', rules], io.io)).toBe(3)
    expect(io.stderr()).toMatch(/--rules .*expected \{"overrides"/)
    expect(io.stdout()).toBe('')
  })

  it('a missing rules file → exit 3', async () => {
    const io = fakeIo()
    expect(
      await runCheck([sim.urlFor('healthy'), '--rules', join(dir, 'absent.json')], io.io)
    ).toBe(3)
    expect(io.stderr()).toMatch(/cannot read --rules .*absent\.json: no such file/)
  })
})

describe('runCheck in-process', () => {
  it('--help prints the usage and exits 0', async () => {
    const io = fakeIo()
    expect(await runCheck(['--help'], io.io)).toBe(0)
    expect(io.stdout()).toBe(CHECK_USAGE)
  })

  it('takes the token from SCALE_TOKEN', async () => {
    const io = fakeIo({ env: { SCALE_TOKEN: DEFAULT_SIM_TOKEN } })
    expect(await runCheck([sim.urlFor('auth-required')], io.io)).toBe(0)
    expect(io.exits).toEqual([])
  })

  it('--token beats nothing, and a wrong one is refused', async () => {
    const ok = fakeIo()
    expect(await runCheck([sim.urlFor('auth-required'), '--token', DEFAULT_SIM_TOKEN], ok.io)).toBe(
      0
    )
    const bad = fakeIo()
    expect(await runCheck([sim.urlFor('auth-required'), '--token', 'wrong'], bad.io)).toBe(3)
    expect(firstLine(bad.stdout())).toMatch(/Credentials refused.*Invalid token\./)
  })

  it.each([
    [['--token', '  '], /--token is empty/],
    [['--basic', 'nocolon'], /--basic wants USER:PASS/],
    [['--max-bytes', '10'], /--max-bytes wants a whole number of bytes/],
    [['--timeout', '0'], /--timeout wants a number of seconds/],
    [['http://b/api'], /one URL only \(got 2\)/]
  ])('%j → usage error, exit 3', async (args, message) => {
    const io = fakeIo()
    expect(await runCheck([sim.url, ...args], io.io)).toBe(3)
    expect(io.stderr()).toMatch(message)
    expect(io.stdout()).toBe('')
  })

  it('--api v7 asks /api/v7/status/', async () => {
    const io = fakeIo()
    expect(await runCheck([sim.url, '--api', 'v7', '--json'], io.io)).toBe(0)
    expect((JSON.parse(io.stdout()) as { url: string }).url).toBe(`${sim.url}/v7/status/`)
  })

  it('a refused connection → exit 3 naming ECONNREFUSED', async () => {
    const io = fakeIo()
    expect(await runCheck(['http://127.0.0.1:1/api', '--timeout', '2'], io.io)).toBe(3)
    expect(firstLine(io.stdout())).toMatch(
      /^SCALE UNKNOWN - Connection refused by 127\.0\.0\.1:1 \(ECONNREFUSED\)/
    )
  })

  it('a status line never carries a "|" of its own', async () => {
    const io = fakeIo()
    await runCheck(['--file', '-'], {
      ...io.io,
      readStdin: () => Promise.resolve(Buffer.from('{"detail": "a | b"}'))
    })
    const line = firstLine(io.stdout())
    expect(line).toMatch(/^SCALE UNKNOWN - /)
    expect(line).not.toContain('|')
  })
})

describe('the advice in findings names only flags that exist', () => {
  it('every --flag a failure finding suggests is one `check` accepts', () => {
    const accepted = new Set(CHECK_USAGE.match(/--[a-z][a-z-]*/g) ?? [])
    const kinds = FAILURE_KINDS
    const failures: Failure[] = kinds.map((kind) => ({ kind, message: '', httpStatus: 403 }))
    for (const tlsReason of [
      'unknown-issuer',
      'self-signed',
      'expired',
      'not-yet-valid',
      'hostname-mismatch',
      'client-cert-required',
      'client-cert-rejected',
      'not-tls',
      'handshake'
    ])
      failures.push({ kind: 'tls', tlsReason, message: '' })
    failures.push({ kind: 'auth', httpStatus: 403, detail: 'Invalid token.', message: '' })
    for (const proxyReason of ['unreachable', 'refused', 'auth', 'upstream', 'config'] as const)
      failures.push({ kind: 'proxy', proxyReason, message: '' })
    failures.push({ kind: 'login', httpStatus: 400, username: 'alice', message: '' })
    const unknown = new Set<string>()
    for (const f of failures) {
      const finding = failureFinding(f, 'https://scale.example.com/api/v6/status/')
      for (const flag of `${finding.message} ${finding.fix ?? ''}`.match(/--[a-z][a-z-]*/g) ?? [])
        if (!accepted.has(flag)) unknown.add(`${finding.id}: ${flag}`)
    }
    expect([...unknown]).toEqual([])
  })
})
