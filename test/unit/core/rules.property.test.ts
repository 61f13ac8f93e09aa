// Property tests: no document, however odd, makes parsing, validation or the rules throw, and
// the verdict on any valid document is well formed and printable.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluate, evaluateStatus } from '../../../main/core/health/rules.ts'
import { nagiosText } from '../../../main/core/health/nagios.ts'
import { parseStatusText, validateStatus } from '../../../main/core/scale/parse.ts'
import type { Condition, Dependency, ScaleStatus } from '../../../main/core/scale/schema.ts'
import { generateStatus, NODE_STATES } from '../../../main/sim/generate.ts'
import {
  FAILURE_KINDS,
  type Evaluation,
  type Failure,
  type Level
} from '../../../main/core/types.ts'
import { failureOutcome, NOW } from '../../helpers/docs.ts'

const LEVELS: Level[] = ['ok', 'warning', 'critical', 'unknown']
const RANK = { info: 0, warning: 1, critical: 2 } as const

/** Names a release might send: known ones, odd ones, and whatever fast-check thinks of. */
const name = fc.oneof(
  fc.constantFrom(...Object.keys(NODE_STATES)),
  fc.constantFrom(
    'PAUSED',
    'WAITING_SYSTEM_TASKS',
    'CLEANUP_FAILURE 3',
    'INVALID_RESOURCESgeo',
    'NO_SILO_DEFINED',
    '404'
  ),
  fc.constantFrom('', ' ', 'a.b.c', 'constructor', 'toString', '__proto__'),
  fc.string({ maxLength: 12 })
)
const num = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, -1e308, 1e308, Number.MAX_SAFE_INTEGER, 5e-324)
)
const text = fc.option(fc.string({ maxLength: 20 }), { nil: null })
const timestamp = fc
  .date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true
  })
  .chain((d) =>
    fc.constantFrom(
      d.toISOString(),
      d.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      d.toISOString().replace('Z', '123Z')
    )
  )
const condition: fc.Arbitrary<Condition> = fc.record({
  name,
  title: text,
  description: text,
  started: timestamp,
  last_updated: timestamp
})
// An entry keyed "__proto__" is not a valid one-key map (zod drops that key from records), so
// codes exclude it here; the validator tests cover that case.
const codeEntry = fc
  .tuple(
    name.filter((k) => k !== '__proto__'),
    fc.string({ maxLength: 20 })
  )
  .map(([k, v]) => {
    const e: Record<string, string> = {}
    Object.defineProperty(e, k, { value: v, enumerable: true, writable: true, configurable: true })
    return e
  })
const dependency: fc.Arbitrary<Dependency> = fc.record({
  OK: fc.boolean(),
  detail: fc.option(
    fc.record(
      { msg: fc.oneof(fc.string({ maxLength: 20 }), num), queue_depth: num },
      { requiredKeys: [] }
    ),
    { nil: null }
  ),
  errors: fc.array(codeEntry, { maxLength: 3 }),
  warnings: fc.array(codeEntry, { maxLength: 3 })
})
interface Oddities {
  release: '7' | '6' | '5.8' | '5.1'
  nodes: { state: string; errors: Condition[]; warnings: Condition[]; totals: number[] }[]
  schedulerState: string | null
  schedulerWarnings: Condition[] | null
  metrics: Record<string, number>
  dependencies: [string, Dependency][] | null
  services: { name: string; actual_count: number; desired_count: number; title: string | null }[]
  dbCompleted: boolean
  vault: { status: string; sealed: boolean; message: string | null }
  resources: [string, number[]][]
  timestamp: string
}

const oddities: fc.Arbitrary<Oddities> = fc.record({
  release: fc.constantFrom<Oddities['release']>('7', '6', '5.8', '5.1'),
  nodes: fc.array(
    fc.record({
      state: name,
      errors: fc.array(condition, { maxLength: 2 }),
      warnings: fc.array(condition, { maxLength: 2 }),
      totals: fc.array(num, { minLength: 6, maxLength: 6 })
    }),
    { maxLength: 8 }
  ),
  schedulerState: fc.option(name, { nil: null }),
  schedulerWarnings: fc.option(fc.array(condition, { maxLength: 3 }), { nil: null }),
  metrics: fc.dictionary(name, num, { maxKeys: 4, noNullPrototype: true }),
  dependencies: fc.option(fc.array(fc.tuple(name, dependency), { maxLength: 8 }), { nil: null }),
  services: fc.array(fc.record({ name, actual_count: num, desired_count: num, title: text }), {
    maxLength: 3
  }),
  dbCompleted: fc.boolean(),
  vault: fc.record({
    status: fc.oneof(
      fc.constantFrom('Ok', 'Sealed', 'Invalid Token', 'Secrets Not Configured', 'Secret Error'),
      fc.string({ maxLength: 10 })
    ),
    sealed: fc.boolean(),
    message: text
  }),
  resources: fc.array(fc.tuple(name, fc.array(num, { minLength: 5, maxLength: 5 })), {
    maxLength: 4
  }),
  timestamp
})

function own<T>(entries: [string, T][]): Record<string, T> {
  const o: Record<string, T> = {}
  for (const [k, v] of entries) {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
  }
  return o
}

/** A generated document bent by `o`, still valid against the schema. */
function oddDocument(o: Oddities): ScaleStatus {
  const d = generateStatus({ now: NOW, nodes: o.nodes.length, release: o.release, seed: 5 })
  d.timestamp = o.timestamp
  o.nodes.forEach((spec, i) => {
    const n = d.nodes[i]!
    n.state = { name: spec.state, title: null, description: null }
    n.errors = spec.errors
    n.warnings = spec.warnings
    const [a, b, c, e, f, g] = spec.totals as [number, number, number, number, number, number]
    if (n.job_executions) {
      n.job_executions.running.total = a
      n.job_executions.completed.total = b
      n.job_executions.failed = {
        total: c,
        algorithm: { total: e, by_job_type: [] },
        data: { total: f, by_job_type: [] },
        system: { total: g, by_job_type: [] }
      }
    }
  })
  if (d.scheduler) {
    if (o.schedulerState !== null) d.scheduler.state = { name: o.schedulerState }
    if (o.schedulerWarnings === null) delete d.scheduler.warnings
    else d.scheduler.warnings = o.schedulerWarnings
    d.scheduler.metrics = o.metrics
  }
  if (o.dependencies === null) delete d.dependencies
  else d.dependencies = own(o.dependencies)
  if (d.system) {
    d.system.services = o.services
    d.system.database_update = { is_completed: o.dbCompleted }
  }
  d.vault = o.vault
  d.resources = own(
    o.resources.map(([k, [running, offered, free, unavailable, total]]) => [
      k,
      {
        running: running!,
        offered: offered!,
        free: free!,
        unavailable: unavailable!,
        total: total!
      }
    ])
  )
  return d
}

const evalOptions = fc.record({
  now: fc.option(fc.integer({ min: -8.64e15, max: 8.64e15 }), { nil: null }),
  maxSkewMs: fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: undefined })
})

describe('parsing never throws', () => {
  it('validateStatus on any JSON value, and evaluateStatus on whatever it accepts', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = validateStatus(v)
        expect(typeof r.ok).toBe('boolean')
        if (r.ok) expect(LEVELS).toContain(evaluateStatus(r.status).level)
        else expect(r.failure.kind).toBe('not-scale')
      }),
      { numRuns: 500 }
    )
  })

  it('parseStatusText on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json()), (s) => {
        const r = parseStatusText(s)
        if (!r.ok) expect(['not-json', 'not-scale']).toContain(r.failure.kind)
      }),
      { numRuns: 500 }
    )
  })

  it('parseStatusText on a real body cut anywhere or with bytes flipped', () => {
    const body = JSON.stringify(generateStatus({ now: NOW, nodes: 3 }))
    fc.assert(
      fc.property(
        fc.nat(body.length),
        fc.nat(body.length),
        fc.string({ minLength: 1, maxLength: 3 }),
        (cut, at, junk) => {
          const r1 = parseStatusText(body.slice(0, cut))
          const r2 = parseStatusText(body.slice(0, at) + junk + body.slice(at + junk.length))
          expect(typeof r1.ok).toBe('boolean')
          expect(typeof r2.ok).toBe('boolean')
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe('the rules never throw', () => {
  it('evaluateStatus on valid but odd documents (random states, names, empty arrays, huge and negative numbers)', () => {
    fc.assert(
      fc.property(oddities, evalOptions, (o, opts) => {
        const d = oddDocument(o)
        const r = validateStatus(d)
        expect(r.ok).toBe(true)
        const e = evaluateStatus(d, opts)
        expect(LEVELS).toContain(e.level)
        expect(e.level).not.toBe('unknown')
        expect(typeof e.summary).toBe('string')
      }),
      { numRuns: 400 }
    )
  })

  it('evaluate on any failure, whatever its fields and URL', () => {
    const kinds = FAILURE_KINDS
    const failure: fc.Arbitrary<Failure> = fc.record(
      {
        kind: fc.constantFrom(...kinds),
        message: fc.string(),
        httpStatus: fc.integer({ min: 100, max: 599 }),
        detail: fc.string(),
        location: fc.string(),
        tlsReason: fc.constantFrom(
          'unknown-issuer',
          'self-signed',
          'expired',
          'handshake',
          'not-tls'
        ),
        code: fc.string(),
        looksLikeHtml: fc.boolean(),
        path: fc.string()
      },
      { requiredKeys: ['kind', 'message'] }
    )
    fc.assert(
      fc.property(
        failure,
        fc.oneof(fc.string(), fc.webUrl()),
        fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
        (f, url, timeoutMs) => {
          const e = evaluate(failureOutcome(f, url), { timeoutMs })
          expect(e.level).toBe('unknown')
          expect(e.findings).toHaveLength(1)
          expect(nagiosText(e)).toMatch(/^SCALE UNKNOWN - /)
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe('the verdict on any valid document is well formed', () => {
  function problems(e: Evaluation): string[] {
    const out: string[] = []
    for (const f of e.findings) {
      if (!(f.severity in RANK) || typeof f.severity !== 'string')
        out.push(`${f.id}: severity ${typeof f.severity}`)
      if (typeof f.title !== 'string' || typeof f.message !== 'string')
        out.push(`${f.id}: title/message not text`)
    }
    const worst = e.findings.reduce((w, f) => Math.max(w, RANK[f.severity] ?? 0), 0)
    const expected: Level = worst === 2 ? 'critical' : worst === 1 ? 'warning' : 'ok'
    if (e.level !== expected) out.push(`level ${e.level}, worst finding says ${expected}`)
    const byState = e.metrics.nodes?.byState ?? {}
    const counted = Object.values(byState).reduce(
      (a: number, n) => a + (typeof n === 'number' ? n : Number.NaN),
      0
    )
    if (counted !== e.metrics.nodes?.total)
      out.push(`byState sums to ${counted}, total ${e.metrics.nodes?.total}`)
    try {
      const first = nagiosText(e).split('\n')[0] ?? ''
      if (!/^SCALE (OK|WARNING|CRITICAL) - /.test(first)) out.push(`status line ${first}`)
    } catch (err) {
      out.push(`nagiosText throws: ${(err as Error).message}`)
    }
    return out
  }

  it('severities are info/warning/critical, the level is the worst, node counts add up, and it prints', () => {
    fc.assert(
      fc.property(oddities, evalOptions, (o, opts) => {
        expect(problems(evaluateStatus(oddDocument(o), opts))).toEqual([])
      }),
      { numRuns: 400 }
    )
  })
})
