// The health rules, row by row of issue #2's table, on documents built with generateStatus.
import { describe, expect, it } from 'vitest'
import {
  conditionKey,
  evaluate,
  evaluateStatus,
  levelOf,
  type EvaluateOptions
} from '../../../main/core/health/rules.ts'
import { applyOverrides, overrideFor } from '../../../main/core/health/overrides.ts'
import { nagiosText } from '../../../main/core/health/nagios.ts'
import { validateStatus } from '../../../main/core/scale/parse.ts'
import type { Dependency, ScaleStatus } from '../../../main/core/scale/schema.ts'
import type { GenerateOptions } from '../../../main/sim/generate.ts'
import {
  FAILURE_KINDS,
  type Evaluation,
  type Failure,
  type Finding
} from '../../../main/core/types.ts'
import {
  doc,
  failureOutcome,
  findingOf,
  ids,
  NOW_MS,
  okOutcome,
  staleOutcome
} from '../../helpers/docs.ts'
import { loadFixture } from '../../helpers/fixtures.ts'

function judge(opts: GenerateOptions = {}, evalOpts: EvaluateOptions = {}): Evaluation {
  return evaluateStatus(doc(opts), { now: NOW_MS, ...evalOpts })
}

function judgeDoc(d: ScaleStatus, evalOpts: EvaluateOptions = {}): Evaluation {
  return evaluateStatus(d, { now: NOW_MS, ...evalOpts })
}

function dep(
  OK: boolean,
  errors: Record<string, string>[],
  msg?: string,
  warnings: Record<string, string>[] = []
): Dependency {
  return { OK, detail: msg === undefined ? {} : { msg }, errors, warnings }
}

function severities(e: Evaluation): Record<string, string> {
  return Object.fromEntries(e.findings.map((f) => [f.id, f.severity]))
}

const AT = '2024-03-01T11:00:00.5Z'
function cond(
  name: string,
  title: string | null,
  description: string | null
): {
  name: string
  title: string | null
  description: string | null
  started: string
  last_updated: string
} {
  return { name, title, description, started: AT, last_updated: AT }
}

describe('a healthy cluster', () => {
  it('is ok with no findings, and says how many nodes are ready', () => {
    const e = judge()
    expect(e.level).toBe('ok')
    expect(e.findings).toEqual([])
    expect(e.summary).toMatch(/^healthy: 6 of 6 nodes ready, \d+ jobs? running$/)
  })

  it('is ok for every release shape', () => {
    for (const release of ['7', '6', '5.8', '5.1'] as const) {
      expect({ release, level: judge({ release }).level }).toEqual({ release, level: 'ok' })
    }
  })
})

describe('failures: the cluster could not be read', () => {
  const cases: { failure: Failure; title: RegExp; fix: RegExp }[] = [
    {
      failure: { kind: 'dns', code: 'ENOTFOUND', message: 'The host name does not resolve (DNS)' },
      title: /resolve scale\.example\.com/,
      fix: /host name|DNS/
    },
    {
      failure: { kind: 'refused', code: 'ECONNREFUSED', message: 'Connection refused' },
      title: /refused/,
      fix: /port/
    },
    {
      failure: { kind: 'reset', code: 'ECONNRESET', message: 'The connection was closed' },
      title: /dropped/,
      fix: /proxy/
    },
    {
      failure: { kind: 'timeout', message: 'No complete answer before the timeout' },
      title: /No answer from scale\.example\.com within 2 s/,
      fix: /timeout/
    },
    {
      failure: { kind: 'network', code: 'EHOSTUNREACH', message: 'unreachable' },
      title: /reach/,
      fix: /network|VPN/
    },
    {
      failure: {
        kind: 'tls',
        tlsReason: 'unknown-issuer',
        code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
        message: 'TLS failed: the certificate is signed by a CA this machine does not trust'
      },
      title: /TLS/,
      fix: /CA/
    },
    {
      failure: {
        kind: 'tls',
        tlsReason: 'expired',
        code: 'CERT_HAS_EXPIRED',
        message: 'TLS failed: expired'
      },
      title: /TLS/,
      fix: /renewed/
    },
    {
      failure: {
        kind: 'tls',
        tlsReason: 'hostname-mismatch',
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        message: 'TLS failed: other host'
      },
      title: /TLS/,
      fix: /host name/
    },
    {
      failure: {
        kind: 'auth',
        httpStatus: 403,
        detail: 'Authentication credentials were not provided.',
        message: 'HTTP 403'
      },
      title: /credentials.*token/i,
      fix: /token/i
    },
    {
      failure: { kind: 'auth', httpStatus: 403, detail: 'Invalid token.', message: 'HTTP 403' },
      title: /Credentials refused/,
      fix: /token/
    },
    {
      failure: { kind: 'not-found', httpStatus: 404, looksLikeHtml: true, message: 'HTTP 404' },
      title: /404/,
      fix: /\/api/
    },
    {
      failure: {
        kind: 'redirect',
        httpStatus: 302,
        location: 'https://scale.example.com/accounts/login/',
        message: 'HTTP 302: redirected to https://scale.example.com/accounts/login/'
      },
      title: /Redirected to https:\/\/scale\.example\.com\/accounts\/login\//,
      fix: /token|URL/
    },
    {
      failure: { kind: 'http', httpStatus: 500, looksLikeHtml: true, message: 'HTTP 500' },
      title: /500/,
      fix: /logs/
    },
    {
      failure: { kind: 'http', httpStatus: 418, message: 'HTTP 418' },
      title: /418/,
      fix: /URL/
    },
    {
      failure: {
        kind: 'too-large',
        message: 'The answer is larger than the 1.0 MiB limit (at least 1.0 MiB); raise --max-bytes'
      },
      title: /too large/,
      fix: /max-bytes/
    },
    {
      failure: { kind: 'not-json', looksLikeHtml: true, message: 'An HTML page' },
      title: /web page/,
      fix: /api/
    },
    {
      failure: { kind: 'not-json', looksLikeHtml: false, message: 'not valid JSON' },
      title: /not JSON/,
      fix: /API/
    },
    {
      failure: {
        kind: 'not-scale',
        path: 'nodes[3].state.name',
        message: 'at nodes[3].state.name'
      },
      title: /Not a Scale status/,
      fix: /status/
    },
    {
      failure: { kind: 'bad-url', message: '"ftp://x" must start with http:// or https://' },
      title: /URL/,
      fix: /https:\/\/scale\.example\.com\/api/
    },
    {
      failure: {
        kind: 'proxy',
        proxy: 'http://proxy.example:3128',
        proxyReason: 'auth',
        httpStatus: 407,
        message: 'The proxy wants credentials (407)'
      },
      title: /Proxy http:\/\/proxy\.example:3128 wants credentials \(407\)/,
      fix: /HTTPS_PROXY=http:\/\/user:pass@proxy/
    },
    {
      failure: {
        kind: 'login',
        username: 'alice',
        httpStatus: 400,
        detail: 'Unable to log in with provided credentials.',
        message: 'HTTP 400'
      },
      title: /Login as alice refused/,
      fix: /user name and the password/
    }
  ]

  it('has a case for every failure kind', () => {
    expect(new Set(cases.map((c) => c.failure.kind))).toEqual(new Set(FAILURE_KINDS))
  })

  it.each(
    cases.map(
      (c) =>
        [
          `${c.failure.kind} ${c.failure.tlsReason ?? c.failure.detail ?? c.failure.httpStatus ?? ''}`.trim(),
          c
        ] as const
    )
  )('%s → unknown, with one finding saying what happened and what to do', (_name, c) => {
    const e = evaluate(failureOutcome(c.failure), { timeoutMs: 2000 })
    expect(e.level).toBe('unknown')
    expect(e.findings).toHaveLength(1)
    const f = e.findings[0] as Finding
    expect(f.title).toMatch(c.title)
    expect(f.message.length).toBeGreaterThan(0)
    expect(`${f.message} ${f.fix ?? ''}`).toMatch(c.fix)
    expect(e.summary).toContain(f.title)
    expect(e.metrics).toEqual({})
  })

  it('403 without credentials asks for a token and quotes the server', () => {
    const e = evaluate(
      failureOutcome({
        kind: 'auth',
        httpStatus: 403,
        detail: 'Authentication credentials were not provided.',
        message: 'HTTP 403'
      })
    )
    const f = findingOf(e, 'http.auth')
    expect(f.title).toBe('Needs credentials: give a token')
    expect(f.message).toContain('Authentication credentials were not provided.')
    expect(f.fix).toMatch(/--token/)
    expect(e.summary).toContain('"Authentication credentials were not provided."')
  })

  it('403 with a wrong token says the credentials were refused', () => {
    const e = evaluate(
      failureOutcome({
        kind: 'auth',
        httpStatus: 403,
        detail: 'Invalid token.',
        message: 'HTTP 403'
      })
    )
    expect(findingOf(e, 'http.auth').message).toMatch(/not accepted.*Invalid token\./)
  })

  it('a plain-http URL redirected to https is told to use https', () => {
    const e = evaluate(
      failureOutcome(
        {
          kind: 'redirect',
          httpStatus: 301,
          location: 'https://scale.example.com/api/v6/status/',
          message: 'HTTP 301'
        },
        'http://scale.example.com/api/v6/status/'
      )
    )
    expect(findingOf(e, 'http.redirect').fix).toBe('Use the https:// URL.')
  })

  it('a 404 on a URL without /api suggests adding it', () => {
    const e = evaluate(
      failureOutcome(
        { kind: 'not-found', httpStatus: 404, message: 'HTTP 404' },
        'https://scale.example.com/v6/status/'
      )
    )
    expect(findingOf(e, 'http.not-found').fix).toContain('try https://scale.example.com/api')
  })
})

describe('503 and 204: scheduler offline or status stale', () => {
  it('503 "over 12 seconds old" → critical status.stale with the detail', () => {
    const e = evaluate(staleOutcome(503, 'Status is over 12 seconds old'))
    expect(e.level).toBe('critical')
    expect(ids(e)).toEqual(['status.stale'])
    expect(findingOf(e, 'status.stale').message).toContain('"Status is over 12 seconds old"')
    expect(e.summary).toMatch(/stale/)
  })

  it('503 "missing" → critical status.missing with the detail', () => {
    const e = evaluate(staleOutcome(503, 'Status is missing. Scheduler may be down.'))
    expect(e.level).toBe('critical')
    const f = findingOf(e, 'status.missing')
    expect(f.severity).toBe('critical')
    expect(f.message).toContain('Status is missing. Scheduler may be down.')
    expect(f.fix).toMatch(/scheduler/)
  })

  it('204 (Scale before 7.0.1) → critical, saying what a 204 means', () => {
    const e = evaluate(staleOutcome(204, null))
    expect(e.level).toBe('critical')
    expect(findingOf(e, 'status.stale').message).toMatch(/204.*before 7\.0\.1/)
  })

  it('503 without a Scale detail → critical service unavailable (a proxy?)', () => {
    const e = evaluate(staleOutcome(503, null))
    expect(e.level).toBe('critical')
    expect(findingOf(e, 'status.unavailable').message).toMatch(/proxy/)
  })

  it('overridden to info, a stale status is unknown, never ok', () => {
    const e = evaluate(staleOutcome(503, 'Status is over 12 seconds old'), {
      overrides: { status: 'info' }
    })
    expect(e.level).toBe('unknown')
    expect(e.findings[0]?.overridden).toEqual({ from: 'critical' })
  })
})

describe('the clock rule', () => {
  it('a timestamp 6 minutes behind the local clock → warning status.clock-skew', () => {
    const e = judge({}, { now: NOW_MS + 6 * 60_000 })
    expect(e.level).toBe('warning')
    const f = findingOf(e, 'status.clock-skew')
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('Status time 6 min behind this machine')
    expect(f.message).toContain('2024-03-01T12:00:00.250000Z')
  })

  it('a timestamp 6 minutes ahead → warning, saying ahead', () => {
    const e = judge({}, { now: NOW_MS - 6 * 60_000 })
    expect(findingOf(e, 'status.clock-skew').title).toMatch(/ahead of this machine/)
  })

  it('up to 5 minutes either way is fine', () => {
    expect(ids(judge({}, { now: NOW_MS + 5 * 60_000 }))).not.toContain('status.clock-skew')
    expect(ids(judge({}, { now: NOW_MS - 4 * 60_000 }))).not.toContain('status.clock-skew')
  })

  it('reads timestamps without fractional seconds too', () => {
    const d = doc()
    d.timestamp = '2024-03-01T12:00:00Z'
    expect(ids(judgeDoc(d, { now: NOW_MS }))).not.toContain('status.clock-skew')
    expect(ids(judgeDoc(d, { now: NOW_MS + 10 * 60_000 }))).toContain('status.clock-skew')
  })

  it('now: null skips the rule (a saved document)', () => {
    const d = doc()
    d.timestamp = '1970-01-01T00:00:00Z'
    expect(ids(judgeDoc(d, { now: null }))).not.toContain('status.clock-skew')
  })

  it('maxSkewMs changes the threshold', () => {
    expect(ids(judge({}, { now: NOW_MS + 90_000, maxSkewMs: 60_000 }))).toContain(
      'status.clock-skew'
    )
  })

  it('evaluate() of an ok outcome uses the read time as now', () => {
    expect(ids(evaluate(okOutcome(doc(), NOW_MS + 3600_000)))).toContain('status.clock-skew')
    expect(ids(evaluate(okOutcome(doc(), NOW_MS + 1000)))).not.toContain('status.clock-skew')
  })
})

describe('the scheduler', () => {
  it('PAUSED → warning scheduler.paused', () => {
    const e = judge({ schedulerPaused: true })
    expect(e.level).toBe('warning')
    expect(findingOf(e, 'scheduler.paused').severity).toBe('warning')
    expect(e.summary).toContain('Scheduler paused')
    // The nodes follow the scheduler into SCHEDULER_STOPPED; that alone adds nothing.
    expect(e.metrics.nodes?.byState).toEqual({ SCHEDULER_STOPPED: 6 })
    expect(ids(e)).toEqual(['scheduler.paused'])
  })

  it('any other state → warning, naming it', () => {
    const d = doc()
    d.scheduler!.state = { name: 'DRAINING', title: 'Draining', description: null }
    const e = judgeDoc(d)
    expect(e.level).toBe('warning')
    const f = findingOf(e, 'scheduler.state.DRAINING')
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('Scheduler Draining')
    expect(f.message).toContain('DRAINING')
  })

  it('each scheduler warning → a warning finding with its description', () => {
    const e = judge({
      schedulerWarnings: [
        cond(
          'INVALID_RESOURCESgeo-ingest',
          'Invalid Resources for geo-ingest',
          "Cluster does not have one or more of the following resources: [u'gpus']."
        ),
        cond(
          'UNKNOWN_JOB_TYPE',
          'Unknown Job Type',
          'A job is queued with a job type 99 that is not in the data base'
        )
      ]
    })
    expect(e.level).toBe('warning')
    expect(severities(e)).toEqual({
      'scheduler.warning.INVALID_RESOURCES.geo-ingest': 'warning',
      'scheduler.warning.UNKNOWN_JOB_TYPE': 'warning'
    })
    expect(findingOf(e, 'scheduler.warning.INVALID_RESOURCES.geo-ingest').message).toContain(
      "[u'gpus']"
    )
    expect(findingOf(e, 'scheduler.warning.UNKNOWN_JOB_TYPE').title).toBe('Unknown Job Type')
  })

  it('WAITING_SYSTEM_TASKS (description null) → info, and the level stays ok', () => {
    const e = judge({
      schedulerWarnings: [cond('WAITING_SYSTEM_TASKS', 'Waiting System Tasks', null)]
    })
    expect(e.level).toBe('ok')
    const f = findingOf(e, 'scheduler.warning.WAITING_SYSTEM_TASKS')
    expect(f.severity).toBe('info')
    expect(f.message).toMatch(/waiting for system tasks/)
  })

  it('conditionKey makes stable id parts of counted and concatenated names', () => {
    expect(conditionKey('CLEANUP_FAILURE 7')).toBe('CLEANUP_FAILURE')
    expect(conditionKey('CLEANUP_TIMEOUT 12')).toBe('CLEANUP_TIMEOUT')
    expect(conditionKey('INVALID_RESOURCESgeo-ingest')).toBe('INVALID_RESOURCES.geo-ingest')
    expect(conditionKey('INVALID_RESOURCES')).toBe('INVALID_RESOURCES')
    expect(conditionKey('SLOW_CLEANUP')).toBe('SLOW_CLEANUP')
  })
})

describe('dependencies (7.0.1+)', () => {
  const failing: [string, Dependency, string][] = [
    [
      'database',
      dep(false, [{ OPERATIONAL_ERROR: 'Database unavailable.' }], 'Unable to connect to database'),
      'critical'
    ],
    [
      'msg_queue',
      dep(
        false,
        [{ RABBITMQ_ERROR: 'Error connecting to RabbitMQ: Check Logs for details' }],
        'Unable to get message queue size.'
      ),
      'critical'
    ],
    [
      'msg_queue',
      dep(
        false,
        [{ SQS_ERROR: 'Error connecting to SQS: Check Logs for details' }],
        'Unable to get message queue size.'
      ),
      'critical'
    ],
    [
      'nodes',
      dep(
        false,
        [{ NODES_ERRORED: 'Over a third of the nodes are offline or degraded.' }],
        'Over a third of nodes are in an error state'
      ),
      'critical'
    ],
    [
      'logs',
      dep(
        false,
        [{ NO_LOGGING_DEFINED: 'No logging address defined' }],
        'LOGGING_ADDRESS is not defined'
      ),
      'warning'
    ],
    [
      'logs',
      dep(
        false,
        [{ '404': 'Logging health address returned 404' }],
        '404 error getting logging health'
      ),
      'warning'
    ],
    [
      'elasticsearch',
      dep(
        false,
        [{ CLUSTER_RED: 'Elasticsearch cluster health is red. A primary shard is not allocated.' }],
        'One or more primary shards is not allocated to any node'
      ),
      'warning'
    ],
    [
      'elasticsearch',
      dep(
        false,
        [
          {
            CLUSTER_YELLOW:
              'Elasticsearch cluster health is yellow. A replica shard is not allocated.'
          }
        ],
        'One or more replica shards is not allocated to a node.'
      ),
      'warning'
    ],
    [
      'idam',
      dep(
        false,
        [{ GEOAXIS_ERROR: 'Error accessing Geoaxis login url https://x: 500' }],
        'Error accessing Geoaxis login url https://x: 500'
      ),
      'warning'
    ]
  ]

  it.each(
    failing.map(
      ([k, d, sev]) => [`${k} ${Object.keys(d.errors[0] ?? {})[0] ?? ''}`, sev, k, d] as const
    )
  )('OK false: %s → %s', (_name, sev, key, d) => {
    const e = judge({ dependencies: { [key]: d } })
    const code = Object.keys(d.errors[0] ?? {})[0] as string
    const f = findingOf(e, `dependency.${key}.${code}`)
    expect(f.severity).toBe(sev)
    expect(e.level).toBe(sev)
    expect(f.message).toContain(d.errors[0]?.[code])
    expect(f.title).toContain(code)
  })

  it('OK false with no error entry (an unsupported broker) → NOT_OK, using the detail message', () => {
    const e = judge({
      dependencies: { msg_queue: dep(false, [], 'Broker is an unsupported type: kafka') }
    })
    const f = findingOf(e, 'dependency.msg_queue.NOT_OK')
    expect(f.severity).toBe('critical')
    expect(f.message).toBe('Broker is an unsupported type: kafka')
  })

  it('quotes detail.msg when it adds to the error text', () => {
    const e = judge({
      dependencies: {
        database: dep(
          false,
          [{ OPERATIONAL_ERROR: 'Database unavailable.' }],
          'Unable to connect to database'
        )
      }
    })
    expect(findingOf(e, 'dependency.database.OPERATIONAL_ERROR').message).toBe(
      'Database unavailable. (Unable to connect to database)'
    )
  })

  it('a future dependency key is judged as a warning', () => {
    const e = judge({ dependencies: { kafka: dep(false, [{ DOWN: 'Kafka is down' }]) } })
    expect(findingOf(e, 'dependency.kafka.DOWN').severity).toBe('warning')
  })

  it('silo with only NO_SILO_DEFINED → info (not configured), level ok', () => {
    const e = judge({
      dependencies: {
        silo: {
          OK: false,
          detail: { url: null },
          errors: [{ NO_SILO_DEFINED: 'No silo URL defined in environment. SOS.' }],
          warnings: []
        }
      }
    })
    expect(e.level).toBe('ok')
    const f = findingOf(e, 'dependency.silo.NO_SILO_DEFINED')
    expect(f.severity).toBe('info')
    expect(f.title).toBe('Silo not configured')
    expect(f.fix).toMatch(/SILO_URL/)
  })

  it.each([
    [
      '503',
      dep(false, [{ '503': 'Silo returned a status code of 503' }], 'Unable to connect to Silo')
    ],
    [
      'UNKNOWN_ERROR',
      dep(
        false,
        [{ UNKNOWN_ERROR: 'Error with SILO_URL: timeout' }],
        'Unknown error connecting to Silo'
      )
    ],
    [
      'NO_SILO_DEFINED',
      dep(false, [{ NO_SILO_DEFINED: 'No silo URL defined' }, { UNKNOWN_ERROR: 'x' }])
    ]
  ])('silo failing otherwise (%s) → warning', (code, d) => {
    const e = judge({ dependencies: { silo: d } })
    expect(e.level).toBe('warning')
    expect(findingOf(e, `dependency.silo.${code}`).severity).toBe('warning')
  })

  it.each([
    [
      'msg_queue',
      'LARGE_QUEUE',
      'Message queue is very large',
      'Message queue is large. Scale may be unresponsive.'
    ],
    [
      'logs',
      'LARGE_BUFFER',
      'Length of log buffer is too long: 12 > 10',
      'Logs are potentially backing up'
    ],
    [
      'logs',
      'LARGE_BUFFER_SIZE',
      'Size of log buffer is too large: 9000 > 8000',
      'Logs are potentially backing up'
    ],
    ['nodes', 'NODES_OFFLINE', '2 nodes are offline', 'Enough nodes are online to function.'],
    ['nodes', 'NODES_DEGRADED', '1 nodes are degraded', 'Enough nodes are online to function.']
  ])('dependency warning %s %s → warning', (key, code, msg, detail) => {
    const e = judge({ dependencies: { [key]: dep(true, [], detail, [{ [code]: msg }]) } })
    expect(e.level).toBe('warning')
    const f = findingOf(e, `dependency.${key}.warning.${code}`)
    expect(f.severity).toBe('warning')
    expect(f.message).toContain(msg)
  })

  it('a large message queue from the generator → LARGE_QUEUE warning and the depth in metrics', () => {
    const e = judge({ queueDepth: 250 })
    expect(findingOf(e, 'dependency.msg_queue.warning.LARGE_QUEUE').severity).toBe('warning')
    expect(e.metrics.queueDepth).toBe(250)
  })

  it('an error entry while OK (the docs example) is reported as a warning', () => {
    const e = judge({
      dependencies: {
        nodes: dep(
          true,
          [{ NODES_OFFLINE: 'No nodes reported.' }],
          'Enough nodes are online to function.'
        )
      }
    })
    const f = findingOf(e, 'dependency.nodes.NODES_OFFLINE')
    expect(f.severity).toBe('warning')
    expect(f.message).toMatch(/while reporting OK/)
  })
})

describe('nodes', () => {
  it('degraded nodes → one nodes.degraded warning naming the nodes and their error titles', () => {
    const e = judge({
      nodes: 10,
      nodeSpecs: {
        1: { errors: ['BAD_DAEMON'] },
        4: { errors: ['LOW_DOCKER_SPACE', 'HEALTH_TIMEOUT'] }
      }
    })
    expect(e.level).toBe('warning')
    const f = findingOf(e, 'nodes.degraded')
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('2 of 10 nodes degraded')
    expect(f.message).toBe(
      'scale-agent-0002.cluster.local (Docker Not Responding), scale-agent-0005.cluster.local (Low Docker Disk Space, Health Check Timeout)'
    )
  })

  it("is not double-counted with the nodes dependency's NODES_DEGRADED warning", () => {
    const d = doc({ nodeSpecs: { 1: { errors: ['BAD_DAEMON'] } } })
    expect(d.dependencies?.nodes?.warnings).toEqual([{ NODES_DEGRADED: '1 nodes are degraded' }])
    const e = judgeDoc(d)
    expect(ids(e)).toEqual(['nodes.degraded'])
    expect(e.findings.filter((f) => /degraded/i.test(`${f.title} ${f.message}`))).toHaveLength(1)
  })

  it('offline nodes → nodes.offline, not double-counted with NODES_OFFLINE', () => {
    const e = judge({ nodeSpecs: { 5: { state: 'OFFLINE' } } })
    expect(e.level).toBe('warning')
    expect(ids(e)).toEqual(['nodes.offline'])
    expect(findingOf(e, 'nodes.offline').message).toBe('scale-agent-0006.cluster.local')
  })

  it('names at most five degraded nodes and counts the rest', () => {
    const specs: GenerateOptions['nodeSpecs'] = {}
    for (let i = 0; i < 8; i++) specs[i] = { errors: ['CLEANUP'] }
    const e = judge({ nodes: 30, nodeSpecs: specs })
    expect(findingOf(e, 'nodes.degraded').message).toMatch(/\(\+3 more\)$/)
  })

  it('node warnings (CLEANUP_FAILURE 7) → info, grouped by kind', () => {
    const w = cond(
      'CLEANUP_FAILURE 7',
      'Cleanup Failure',
      'There was a failure cleaning up some of the following jobs: [1]'
    )
    const e = judge({
      nodeSpecs: { 0: { warnings: [w] }, 2: { warnings: [{ ...w, name: 'CLEANUP_FAILURE 8' }] } }
    })
    expect(e.level).toBe('ok')
    const f = findingOf(e, 'nodes.warning.CLEANUP_FAILURE')
    expect(f.severity).toBe('info')
    expect(f.title).toBe('Cleanup Failure on 2 nodes')
  })

  it('paused nodes → info', () => {
    const e = judge({ nodeSpecs: { 0: { state: 'PAUSED' } } })
    expect(e.level).toBe('ok')
    expect(findingOf(e, 'nodes.paused').severity).toBe('info')
  })

  it('unknown node state names do not throw and raise the level at most to warning', () => {
    const e = judge({
      nodeSpecs: { 0: { state: 'DRAINING' }, 1: { state: 'QUARANTINED' }, 2: { state: 'DRAINING' } }
    })
    expect(['ok', 'warning']).toContain(e.level)
    const f = findingOf(e, 'nodes.unknown-state')
    expect(f.message).toContain('2 DRAINING')
    expect(f.message).toContain('1 QUARANTINED')
    expect(e.metrics.nodes?.byState).toMatchObject({ DRAINING: 2, QUARANTINED: 1 })
  })

  it('every node in an unknown state, in a release without dependencies: at most warning', () => {
    const specs: GenerateOptions['nodeSpecs'] = {}
    for (let i = 0; i < 6; i++) specs[i] = { state: 'FUTURE' }
    const e = judge({ release: '6', nodeSpecs: specs })
    expect(['ok', 'warning']).toContain(e.level)
  })
})

describe("no dependencies (before 7.0.1): the client applies the server's nodes rule", () => {
  it.each(['5.8', '6'] as const)('release %s, no nodes → critical', (release) => {
    const e = judge({ release, nodes: 0 })
    expect(e.level).toBe('critical')
    const f = findingOf(e, 'dependency.nodes.NODES_OFFLINE')
    expect(f.severity).toBe('critical')
    expect(f.title).toBe('No nodes reported')
  })

  it('4 of 10 offline or degraded (over 30%) → critical NODES_ERRORED', () => {
    const e = judge({
      release: '6',
      nodes: 10,
      nodeSpecs: {
        0: { state: 'OFFLINE' },
        1: { state: 'OFFLINE' },
        2: { errors: ['BAD_DAEMON'] },
        3: { errors: ['IMAGE_PULL'] }
      }
    })
    expect(e.level).toBe('critical')
    expect(findingOf(e, 'dependency.nodes.NODES_ERRORED').title).toContain('4 of 10')
    expect(severities(e)).toMatchObject({ 'nodes.offline': 'warning', 'nodes.degraded': 'warning' })
  })

  it('exactly 30% (3 of 10) is not critical: the rule is strictly greater', () => {
    const e = judge({
      release: '5.8',
      nodes: 10,
      nodeSpecs: {
        0: { state: 'OFFLINE' },
        1: { errors: ['BAD_DAEMON'] },
        2: { errors: ['CLEANUP'] }
      }
    })
    expect(e.level).toBe('warning')
    expect(ids(e)).not.toContain('dependency.nodes.NODES_ERRORED')
  })

  it('any offline or degraded node → warning', () => {
    expect(judge({ release: '6', nodes: 10, nodeSpecs: { 0: { state: 'OFFLINE' } } }).level).toBe(
      'warning'
    )
    expect(
      judge({ release: '6', nodes: 10, nodeSpecs: { 0: { errors: ['HEALTH_FAIL'] } } }).level
    ).toBe('warning')
  })

  it('agrees with the server-computed nodes dependency for every count up to 12 nodes', () => {
    for (let n = 1; n <= 12; n++) {
      for (let bad = 0; bad <= n; bad++) {
        const nodeSpecs: GenerateOptions['nodeSpecs'] = {}
        for (let i = 0; i < bad; i++)
          nodeSpecs[i] = i % 2 ? { state: 'OFFLINE' } : { errors: ['BAD_DAEMON'] }
        const legacy = judge({ release: '6', nodes: n, nodeSpecs }).level
        const current = judge({ release: '7', nodes: n, nodeSpecs }).level
        expect({ n, bad, legacy }).toEqual({ n, bad, legacy: current })
      }
    }
  })
})

describe('system services and the database update', () => {
  it('messaging under strength (1 of 2) → warning', () => {
    const e = judge({ messagingActual: 1, messagingDesired: 2 })
    expect(e.level).toBe('warning')
    const f = findingOf(e, 'service.messaging')
    expect(f.severity).toBe('warning')
    expect(f.title).toBe('Messaging under strength (1 of 2)')
  })

  it('messaging down (0 of 1) → critical', () => {
    const e = judge({ messagingActual: 0, messagingDesired: 1 })
    expect(e.level).toBe('critical')
    expect(findingOf(e, 'service.messaging').title).toBe('Messaging down (0 of 1)')
  })

  it('more than desired, or 0 of 0, is fine', () => {
    expect(ids(judge({ messagingActual: 3, messagingDesired: 2 }))).not.toContain(
      'service.messaging'
    )
    expect(ids(judge({ messagingActual: 0, messagingDesired: 0 }))).not.toContain(
      'service.messaging'
    )
  })

  it('database_update not completed → info, level ok', () => {
    const e = judge({ databaseUpdateCompleted: false })
    expect(e.level).toBe('ok')
    expect(findingOf(e, 'system.database-update').severity).toBe('info')
  })
})

describe('vault', () => {
  it('sealed: true → critical', () => {
    const e = judge({ vault: { status: 'Ok', sealed: true, message: '' } })
    expect(e.level).toBe('critical')
    expect(findingOf(e, 'vault.sealed').severity).toBe('critical')
  })

  it("status 'Sealed' → critical, even with sealed false", () => {
    const e = judge({
      vault: { status: 'Sealed', sealed: false, message: 'Vault is currently sealed' }
    })
    expect(e.level).toBe('critical')
    expect(findingOf(e, 'vault.sealed').message).toContain('Vault is currently sealed')
  })

  it.each([
    'Invalid Token',
    'Invalid Credentials',
    'Secret Error',
    'Invalid Secret',
    'Secrets Improperly Configured'
  ])("status '%s' → warning", (status) => {
    const e = judge({ vault: { status, sealed: false, message: 'details' } })
    expect(e.level).toBe('warning')
    const f = findingOf(e, 'vault.error')
    expect(f.severity).toBe('warning')
    expect(f.title).toBe(`Vault: ${status}`)
  })

  it.each(['Ok', 'Secrets Not Configured'])("status '%s' → nothing", (status) => {
    const e = judge({ vault: { status, sealed: false, message: '' } })
    expect(e.level).toBe('ok')
    expect(ids(e).filter((i) => i.startsWith('vault'))).toEqual([])
  })

  it("'Ok' with a message → info", () => {
    expect(
      findingOf(
        judge({ vault: { status: 'Ok', sealed: false, message: 'list failed' } }),
        'vault.message'
      ).severity
    ).toBe('info')
  })
})

describe('the level', () => {
  const f = (severity: Finding['severity']): Finding => ({
    id: `x.${severity}`,
    severity,
    title: severity,
    message: ''
  })

  it('is the worst finding, and info does not count', () => {
    expect(levelOf([])).toBe('ok')
    expect(levelOf([f('info'), f('info')])).toBe('ok')
    expect(levelOf([f('info'), f('warning')])).toBe('warning')
    expect(levelOf([f('warning'), f('critical'), f('info')])).toBe('critical')
  })

  it('puts critical findings first and names the worst in the summary', () => {
    const e = judge({
      nodeSpecs: { 0: { errors: ['BAD_DAEMON'] } },
      vault: { status: 'Sealed', sealed: true, message: '' },
      databaseUpdateCompleted: false
    })
    expect(e.level).toBe('critical')
    expect(e.findings.map((x) => x.severity)).toEqual(['critical', 'warning', 'info'])
    expect(e.summary.startsWith('Vault sealed')).toBe(true)
  })
})

describe('overrides', () => {
  const o = {
    'dependency.logs': 'info',
    'dependency.logs.NO_LOGGING_DEFINED': 'critical',
    'scheduler.warning.INVALID_RES*': 'ignore'
  } as const

  it('match an exact id, a dotted prefix, and a * prefix; the longest key wins', () => {
    expect(overrideFor('dependency.logs.NO_LOGGING_DEFINED', o)).toBe('critical')
    expect(overrideFor('dependency.logs.UNKNOWN_ERROR', o)).toBe('info')
    expect(overrideFor('dependency.logs', o)).toBe('info')
    expect(overrideFor('dependency.logsx.A', o)).toBeUndefined()
    expect(overrideFor('scheduler.warning.INVALID_RESOURCES.geo', o)).toBe('ignore')
    expect(overrideFor('scheduler.warning.UNKNOWN_JOB_TYPE', o)).toBeUndefined()
    expect(overrideFor('anything', { '*': 'info' })).toBe('info')
    expect(
      overrideFor('dependency.msg_queue.X', {
        'dependency.*': 'info',
        'dependency.msg_queue': 'warning'
      })
    ).toBe('warning')
  })

  it('applyOverrides drops ignored findings and remembers the default of changed ones', () => {
    const fs: Finding[] = [
      { id: 'a.b', severity: 'warning', title: 't', message: 'm' },
      { id: 'c', severity: 'critical', title: 't', message: 'm' },
      { id: 'd', severity: 'info', title: 't', message: 'm' }
    ]
    const out = applyOverrides(fs, { a: 'ignore', c: 'warning', d: 'info' })
    expect(out.map((x) => [x.id, x.severity, x.overridden?.from])).toEqual([
      ['c', 'warning', 'critical'],
      ['d', 'info', undefined]
    ])
    expect(applyOverrides(fs, undefined)).toBe(fs)
  })

  it('downgrading a critical dependency changes the level', () => {
    const opts: GenerateOptions = {
      dependencies: { msg_queue: dep(false, [{ RABBITMQ_ERROR: 'Error connecting to RabbitMQ' }]) }
    }
    expect(judge(opts).level).toBe('critical')
    const e = judge(opts, { overrides: { 'dependency.msg_queue': 'warning' } })
    expect(e.level).toBe('warning')
    expect(findingOf(e, 'dependency.msg_queue.RABBITMQ_ERROR').overridden).toEqual({
      from: 'critical'
    })
    expect(
      judge(opts, { overrides: { 'dependency.msg_queue.RABBITMQ_ERROR': 'ignore' } }).level
    ).toBe('ok')
  })

  it('upgrading an info finding raises the level', () => {
    const opts: GenerateOptions = { databaseUpdateCompleted: false }
    expect(judge(opts, { overrides: { 'system.database-update': 'critical' } }).level).toBe(
      'critical'
    )
  })

  it('an override on a failure finding to critical makes the level critical (and to warning, warning)', () => {
    const failure: Failure = { kind: 'refused', code: 'ECONNREFUSED', message: 'refused' }
    expect(evaluate(failureOutcome(failure), { overrides: { connection: 'critical' } }).level).toBe(
      'critical'
    )
    expect(
      evaluate(failureOutcome(failure), { overrides: { 'connection.refused': 'warning' } }).level
    ).toBe('warning')
    expect(evaluate(failureOutcome(failure), { overrides: { connection: 'info' } }).level).toBe(
      'unknown'
    )
    const ignored = evaluate(failureOutcome(failure), { overrides: { connection: 'ignore' } })
    expect(ignored.level).toBe('unknown')
    expect(ignored.findings).toEqual([])
  })
})

describe('metrics', () => {
  it('carry resources, node counts by state, queue depth, scheduler metrics and jobs from the document', () => {
    const d = doc({
      nodes: 9,
      queueDepth: 42,
      customResources: ['sharedmem'],
      nodeSpecs: {
        0: { state: 'OFFLINE' },
        1: { errors: ['BAD_DAEMON'] },
        2: { state: 'PAUSED' },
        3: { state: 'DEPRECATED' }
      }
    })
    const e = judgeDoc(d)
    expect(e.metrics.resources).toEqual(d.resources)
    expect(Object.keys(e.metrics.resources ?? {}).sort()).toEqual([
      'cpus',
      'disk',
      'gpus',
      'mem',
      'sharedmem'
    ])
    expect(e.metrics.nodes).toEqual({
      total: 9,
      byState: { OFFLINE: 1, DEGRADED: 1, PAUSED: 1, DEPRECATED: 1, READY: 5 }
    })
    expect(e.metrics.queueDepth).toBe(42)
    expect(e.metrics.scheduler).toEqual(d.scheduler?.metrics)
    expect(e.metrics.numOffers).toBe(d.num_offers)
    const sum = (pick: (n: ScaleStatus['nodes'][number]) => number): number =>
      d.nodes.reduce((a, n) => a + pick(n), 0)
    expect(e.metrics.jobs).toEqual({
      running: sum((n) => n.job_executions?.running.total ?? 0),
      completed: sum((n) => n.job_executions?.completed.total ?? 0),
      failed: {
        total: sum((n) => n.job_executions?.failed.total ?? 0),
        algorithm: sum((n) => n.job_executions?.failed.algorithm.total ?? 0),
        data: sum((n) => n.job_executions?.failed.data.total ?? 0),
        system: sum((n) => n.job_executions?.failed.system.total ?? 0)
      }
    })
    // The degraded node always has failed system executions in the generator: the sum is not vacuous.
    expect(e.metrics.jobs?.failed.system).toBeGreaterThan(0)
  })

  it('have a null queue depth and no scheduler metrics when the release lacks them', () => {
    const d = doc({ release: '5.8' })
    delete d.scheduler!.metrics
    const e = judgeDoc(d)
    expect(e.metrics.queueDepth).toBeNull()
    expect(e.metrics.scheduler).toBeUndefined()
  })

  it('count nodes by state even for states named like Object.prototype members', () => {
    const e = judge({
      nodes: 3,
      nodeSpecs: { 0: { state: 'constructor' }, 1: { state: 'toString' } }
    })
    expect(e.metrics.nodes?.byState).toEqual({ constructor: 1, toString: 1, READY: 1 })
  })
})

describe('odd dependency keys', () => {
  it('a dependency named like an Object.prototype member gets a real severity, a plain title, and the verdict prints', () => {
    const problems: string[] = []
    for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      const e = judge({ dependencies: { [key]: dep(false, []) } })
      const f = findingOf(e, `dependency.${key}.NOT_OK`)
      if (!['info', 'warning', 'critical'].includes(f.severity))
        problems.push(`${key}: severity is ${typeof f.severity}`)
      if (f.title !== `${key} not OK`) problems.push(`${key}: title "${f.title.slice(0, 40)}"`)
      if (e.level === 'ok') problems.push(`${key}: level ok`)
      try {
        nagiosText(e)
      } catch (err) {
        problems.push(`${key}: nagiosText throws ${(err as Error).message}`)
      }
    }
    expect(problems).toEqual([])
  })
})

describe('the recorded fixtures', () => {
  function fixture(name: string): ScaleStatus {
    const r = validateStatus(loadFixture(name))
    if (!r.ok) throw new Error(r.failure.message)
    return r.status
  }

  it('the 7.2 docs example → warning: a node with an error, an OK-with-error nodes dependency, vault misconfigured', () => {
    const e = evaluateStatus(fixture('status-v6-docs-7.2.json'), { now: null })
    expect(e.level).toBe('warning')
    expect(severities(e)).toMatchObject({
      'nodes.degraded': 'warning',
      'dependency.nodes.NODES_OFFLINE': 'warning',
      'vault.error': 'warning'
    })
    expect(findingOf(e, 'nodes.degraded').message).toBe('my-host (My Error)')
    expect(e.metrics.queueDepth).toBe(99)
    expect(e.metrics.nodes).toEqual({ total: 1, byState: { READY: 1 } })
  })

  it('the 5.9.9 docs example → warning, with no dependency findings (the client rule finds 1 node fine)', () => {
    const e = evaluateStatus(fixture('status-v5-docs-5.9.9.json'), { now: null })
    expect(e.level).toBe('warning')
    expect(ids(e).filter((i) => i.startsWith('dependency.'))).toEqual([])
    expect(ids(e)).toContain('nodes.degraded')
    expect(e.metrics.queueDepth).toBeNull()
  })

  it('the scale-ui mock → critical: its nodes dependency is OK false', () => {
    const e = evaluateStatus(fixture('status-v6-scale-ui-mock.json'), { now: null })
    expect(e.level).toBe('critical')
    const f = findingOf(e, 'dependency.nodes.NODES_OFFLINE')
    expect(f.severity).toBe('critical')
    expect(f.message).toContain('node 1 is unhealthy')
    expect(findingOf(e, 'dependency.logs.warning.BUFFER_SIZE').severity).toBe('warning')
    expect(e.metrics.nodes?.total).toBe(2)
  })

  it('a fixture judged with the clock on (its 1970 timestamp) is flagged as days behind', () => {
    const e = evaluateStatus(fixture('status-v6-docs-7.2.json'), { now: NOW_MS })
    expect(findingOf(e, 'status.clock-skew').title).toMatch(/days behind/)
  })
})
