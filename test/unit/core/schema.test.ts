// The status schema on the recorded fixtures and on synthetic documents built from the API
// reference (scale-status-api.md §5, §9, §10, §11).
import { describe, expect, it } from 'vitest'
import {
  formatPath,
  looksLikeHtml,
  parseDetail,
  parseScaleVersion,
  parseStatusText,
  parseVersionText,
  validateStatus,
  type ParseResult
} from '../../../main/core/scale/parse.ts'
import { ScaleStatus } from '../../../main/core/scale/schema.ts'
import type { Failure } from '../../../main/core/types.ts'
import { clone, doc } from '../../helpers/docs.ts'
import {
  fixtureFiles,
  loadFixture,
  readFixture,
  STALE_FIXTURES,
  STATUS_FIXTURES,
  VERSION_FIXTURES
} from '../../helpers/fixtures.ts'

function accepted(r: ParseResult): ScaleStatus {
  if (!r.ok) throw new Error(`rejected: ${r.failure.message}`)
  return r.status
}

function rejected(r: ParseResult): Failure {
  if (r.ok) throw new Error('accepted a document that should have been rejected')
  return r.failure
}

/** A raw object view of a document, for adding keys the schema does not know. */
function raw(v: unknown): Record<string, unknown> {
  return v as Record<string, unknown>
}

describe('fixtures', () => {
  it('classifies every fixture file (a new file must be added to one list)', () => {
    const known = [
      ...STATUS_FIXTURES,
      ...Object.keys(STALE_FIXTURES),
      ...Object.keys(VERSION_FIXTURES)
    ].sort()
    expect(fixtureFiles()).toEqual(known)
  })

  it.each(STATUS_FIXTURES)('accepts the status document %s', (name) => {
    const status = accepted(validateStatus(loadFixture(name)))
    expect(status.timestamp).toBe('1970-01-01T00:00:00Z')
    expect(status.nodes.length).toBeGreaterThan(0)
    // The text path gives the same answer.
    expect(accepted(parseStatusText(readFixture(name))).nodes).toHaveLength(status.nodes.length)
  })

  it.each(Object.entries(STALE_FIXTURES))(
    'reports the 503 body %s as not-scale, quoting its detail',
    (name, detail) => {
      const f = rejected(validateStatus(loadFixture(name)))
      expect(f.kind).toBe('not-scale')
      expect(f.detail).toBe(detail)
      expect(f.message).toContain(`an error message ("${detail}")`)
      expect(f.path).toBe('timestamp')
    }
  )

  it.each(Object.entries(VERSION_FIXTURES))(
    'reports the version file %s as JSON that is not a Scale status',
    (name, version) => {
      const f = rejected(validateStatus(loadFixture(name)))
      expect(f.kind).toBe('not-scale')
      expect(f.message).toMatch(/JSON, but not a Scale status document/)
      expect(f.path).toBe('timestamp')
      expect(f.detail).toBeUndefined()
      expect(parseVersionText(readFixture(name))).toBe(version)
    }
  )

  it('keeps the 5.1–5.7 mesos master fields of the scale-ui mock', () => {
    const s = accepted(validateStatus(loadFixture('status-v6-scale-ui-mock.json')))
    expect(s.scheduler?.mesos).toMatchObject({ master_hostname: '192.168.1.1', master_port: 5050 })
  })

  it('accepts the 5.9.9 docs example, which has no dependencies and no scheduler warnings', () => {
    const s = accepted(validateStatus(loadFixture('status-v5-docs-5.9.9.json')))
    expect(s.dependencies).toBeUndefined()
    expect(s.scheduler?.warnings).toBeUndefined()
    expect(s.vault?.status).toBe('Secrets Improperly Configured')
  })
})

describe('synthetic variants of the 7.x document', () => {
  it('accepts the generated 7.x document with last_updated and dependencies', () => {
    const d = doc()
    expect(d.last_updated).toMatch(/Z$/)
    const s = accepted(validateStatus(d))
    expect(s.last_updated).toBe(d.last_updated)
    expect(Object.keys(s.dependencies ?? {}).sort()).toEqual(
      ['database', 'elasticsearch', 'idam', 'logs', 'msg_queue', 'nodes', 'silo'].sort()
    )
  })

  it('accepts nodes without resources, num_offers, node_tasks and system_tasks (an offline node)', () => {
    const d = doc()
    const n = d.nodes[0]!
    delete n.resources
    delete n.num_offers
    delete n.node_tasks
    delete n.system_tasks
    n.agent_id = ''
    const s = accepted(validateStatus(d))
    expect(s.nodes[0]).not.toHaveProperty('resources')
    expect(s.nodes[0]?.agent_id).toBe('')
  })

  it('accepts dependency error codes that are numeric strings ({"404": "..."})', () => {
    const d = doc()
    d.dependencies!.logs = {
      OK: false,
      detail: { msg: '404 error getting logging health' },
      errors: [{ '404': 'Logging health address returned 404' }],
      warnings: []
    }
    d.dependencies!.silo = {
      OK: false,
      detail: { url: 'https://silo', msg: 'Unable to connect to Silo' },
      errors: [{ '503': 'Silo returned a status code of 503' }],
      warnings: []
    }
    const s = accepted(validateStatus(d))
    expect(s.dependencies?.logs?.errors).toEqual([{ '404': 'Logging health address returned 404' }])
  })

  it('accepts the unusual condition names CLEANUP_FAILURE 7 and INVALID_RESOURCESgeo-ingest', () => {
    const d = doc()
    const at = '2024-03-01T11:00:00.123456Z'
    d.nodes[1]!.warnings = [
      {
        name: 'CLEANUP_FAILURE 7',
        title: 'Cleanup Failure',
        description: 'There was a failure cleaning up some of the following jobs: [88412]',
        started: at,
        last_updated: at
      }
    ]
    d.scheduler!.warnings = [
      {
        name: 'INVALID_RESOURCESgeo-ingest',
        title: 'Invalid Resources for geo-ingest',
        description: "Cluster does not have one or more of the following resources: [u'gpus'].",
        started: at,
        last_updated: at
      }
    ]
    const s = accepted(validateStatus(d))
    expect(s.nodes[1]?.warnings[0]?.name).toBe('CLEANUP_FAILURE 7')
    expect(s.scheduler?.warnings?.[0]?.name).toBe('INVALID_RESOURCESgeo-ingest')
  })

  it.each([
    '2021-07-14T12:00:03.123456Z',
    '2021-07-14T12:00:03Z',
    '2021-07-14T12:00:03.1Z',
    '2021-07-14T12:00:03+00:00'
  ])('accepts the timestamp %s', (ts) => {
    const d = doc()
    d.timestamp = ts
    d.last_updated = ts
    d.nodes[0]!.errors = [
      { name: 'BAD_DAEMON', title: 'x', description: 'y', started: ts, last_updated: ts }
    ]
    expect(accepted(validateStatus(d)).timestamp).toBe(ts)
  })

  it.each(['yesterday', '2021-07-14 12:00:03', '14/07/2021', '', '2021-07-14'])(
    'rejects the timestamp %j naming the path timestamp',
    (ts) => {
      const d = doc()
      d.timestamp = ts
      const f = rejected(validateStatus(d))
      expect(f.kind).toBe('not-scale')
      expect(f.path).toBe('timestamp')
      expect(f.message).toMatch(/ISO-8601/)
    }
  )

  it('accepts ints and floats alike (metrics, resources with long fractions)', () => {
    const d = doc()
    d.scheduler!.metrics = {
      new_offers_per_sec: 140,
      task_updates_per_sec: 12.5,
      jobs_finished_per_sec: 0.07
    }
    d.nodes[0]!.resources!.cpus = {
      running: 0.30000000000000004,
      offered: 0,
      free: 15.7,
      unavailable: 1,
      total: 16
    }
    d.num_offers = 3
    const s = accepted(validateStatus(d))
    expect(s.nodes[0]?.resources?.cpus?.running).toBe(0.30000000000000004)
    expect(s.scheduler?.metrics?.new_offers_per_sec).toBe(140)
  })

  it('accepts the nullable values: scheduler.hostname, mesos.framework_id, warning description, icon_code', () => {
    const d = doc()
    d.scheduler!.hostname = null
    d.scheduler!.mesos = { framework_id: null }
    d.scheduler!.warnings = [
      {
        name: 'WAITING_SYSTEM_TASKS',
        title: 'Waiting System Tasks',
        description: null,
        started: '2024-03-01T11:00:00Z',
        last_updated: '2024-03-01T11:59:55.5Z'
      }
    ]
    d.job_types[0]!.icon_code = null
    d.dependencies!.elasticsearch!.detail = { url: null, msg: 'ELASTICSEARCH_URL is not set' }
    d.dependencies!.silo!.detail = { url: null }
    const s = accepted(validateStatus(d))
    expect(s.scheduler?.hostname).toBeNull()
    expect(s.scheduler?.mesos?.framework_id).toBeNull()
    expect(s.scheduler?.warnings?.[0]?.description).toBeNull()
    expect(s.job_types[0]?.icon_code).toBeNull()
  })

  it('keeps unknown keys anywhere in the document, and ignores them', () => {
    const d = doc()
    raw(d).future_top_level = { anything: [1, 2, 3] }
    raw(d.scheduler).queue_mode = 'fifo'
    raw(d.scheduler!.state).since = '2024-03-01T11:00:00Z'
    raw(d.nodes[0]).gpu_model = 'A100'
    raw(d.nodes[0]!.job_executions!.failed).canceled = { total: 4, by_job_type: [] }
    raw(d.dependencies!.logs!.detail).plugins = [{ type: 'elasticsearch' }]
    raw(d.dependencies).vault_health = { OK: true, detail: {}, errors: [], warnings: [] }
    raw(d.vault).backend = 'hashicorp'
    raw(d.job_types[0]).docker_image = 'scale-ingest:7.2'
    const s = accepted(validateStatus(d))
    expect(raw(s).future_top_level).toEqual({ anything: [1, 2, 3] })
    expect(raw(s.scheduler).queue_mode).toBe('fifo')
    expect(raw(s.scheduler?.state).since).toBe('2024-03-01T11:00:00Z')
    expect(raw(s.nodes[0]).gpu_model).toBe('A100')
    expect(raw(s.nodes[0]?.job_executions?.failed).canceled).toEqual({ total: 4, by_job_type: [] })
    expect(raw(s.dependencies?.logs?.detail).plugins).toEqual([{ type: 'elasticsearch' }])
    expect(s.dependencies?.vault_health?.OK).toBe(true)
    expect(raw(s.vault).backend).toBe('hashicorp')
    expect(raw(s.job_types[0]).docker_image).toBe('scale-ingest:7.2')
  })

  it('the zod schema itself also keeps unknown keys (it is the fallback path)', () => {
    const d = doc()
    raw(d).extra = 'kept'
    raw(d.nodes[0]).extra = 'kept too'
    const r = ScaleStatus.safeParse(d)
    expect(r.success).toBe(true)
    expect(raw(r.data).extra).toBe('kept')
    expect(raw(r.data?.nodes[0]).extra).toBe('kept too')
  })
})

describe('release shapes (§9)', () => {
  it('accepts the 5.0 shape: timestamp, nodes and job_types only', () => {
    const full = doc({ release: '5.1' })
    const node = clone(full.nodes[0]!)
    delete node.resources
    delete node.num_offers
    delete node.node_tasks
    delete node.system_tasks
    const d = { timestamp: '2017-06-06T10:00:00Z', nodes: [node], job_types: full.job_types }
    const s = accepted(validateStatus(d))
    expect(Object.keys(s).sort()).toEqual(['job_types', 'nodes', 'timestamp'])
  })

  it('accepts the 5.1 shape: scheduler with mesos master_hostname/master_port, no system or vault', () => {
    const d = doc({ release: '5.1' })
    expect(d.system).toBeUndefined()
    expect(d.vault).toBeUndefined()
    const s = accepted(validateStatus(d))
    expect(s.scheduler?.mesos).toMatchObject({ master_hostname: 'leader.mesos', master_port: 5050 })
  })

  it('accepts the 5.8 shape: vault, no scheduler.warnings, no dependencies', () => {
    const d = doc({ release: '5.8' })
    expect(d.scheduler).not.toHaveProperty('warnings')
    const s = accepted(validateStatus(d))
    expect(s.vault?.status).toBe('Secrets Not Configured')
    expect(s.dependencies).toBeUndefined()
  })

  it('accepts the 6.x shape: scheduler.warnings, no dependencies or last_updated', () => {
    const d = doc({ release: '6' })
    const s = accepted(validateStatus(d))
    expect(s.scheduler?.warnings).toEqual([])
    expect(s.last_updated).toBeUndefined()
  })

  it('accepts the 7.x shape with every dependency failing in its documented way', () => {
    const d = doc({
      dependencies: {
        logs: {
          OK: false,
          detail: { msg: 'LOGGING_ADDRESS is not defined' },
          errors: [
            { NO_LOGGING_HEALTH_DEFINED: 'No logging health URL defined' },
            { NO_LOGGING_DEFINED: 'No logging address defined' }
          ],
          warnings: [{ LARGE_BUFFER: 'Length of log buffer is too long: 12 > 10' }]
        },
        database: {
          OK: false,
          detail: { msg: 'Unable to connect to database' },
          errors: [{ OPERATIONAL_ERROR: 'Database unavailable.' }],
          warnings: []
        },
        silo: {
          OK: false,
          detail: { url: null },
          errors: [{ NO_SILO_DEFINED: 'No silo URL defined in environment. SOS.' }],
          warnings: []
        }
      }
    })
    expect(accepted(validateStatus(d)).dependencies?.logs?.errors).toHaveLength(2)
  })
})

describe('documents that are not Scale status', () => {
  it('names the first failing path, e.g. nodes[3].state.name', () => {
    const d = doc()
    raw(d.nodes[3]!.state).name = 42
    const f = rejected(validateStatus(d))
    expect(f.kind).toBe('not-scale')
    expect(f.path).toBe('nodes[3].state.name')
    expect(f.message).toContain('at nodes[3].state.name')
    expect(f.message).toContain('JSON, but not a Scale status document')
  })

  it('names a missing required key', () => {
    const d = raw(doc())
    delete d.nodes
    expect(rejected(validateStatus(d)).path).toBe('nodes')
  })

  it('names a bad dependency entry path', () => {
    const d = doc()
    raw(d.dependencies!.database).OK = 'yes'
    expect(rejected(validateStatus(d)).path).toBe('dependencies.database.OK')
  })

  it('rejects a multi-key error entry', () => {
    const d = doc()
    d.dependencies!.logs!.errors = [
      { NO_LOGGING_DEFINED: 'No logging address defined', UNKNOWN_ERROR: 'x' }
    ]
    const f = rejected(validateStatus(d))
    expect(f.path).toBe('dependencies.logs.errors[0]')
    expect(f.message).toMatch(/one-key map/)
  })

  it('rejects an empty error entry', () => {
    const d = doc()
    d.dependencies!.msg_queue!.warnings = [{}]
    expect(rejected(validateStatus(d)).path).toBe('dependencies.msg_queue.warnings[0]')
  })

  it('rejects a non-string error message', () => {
    const d = doc()
    raw(d.dependencies!.silo).errors = [{ '503': 503 }]
    expect(rejected(validateStatus(d)).path).toBe('dependencies.silo.errors[0].503')
  })

  it.each([
    ['an array', [], /a JSON array/],
    ['null', null, /a JSON null/],
    ['a number', 42, /a JSON number/],
    ['a string', 'ok', /a JSON string/],
    ['an empty object', {}, /JSON, but not a Scale status document/]
  ])('says what it got for %s', (_what, value, pattern) => {
    const f = rejected(validateStatus(value))
    expect(f.kind).toBe('not-scale')
    expect(f.message).toMatch(pattern)
    expect(f.path).toBeTruthy()
  })

  it('says "(document root)" when the root itself is wrong', () => {
    expect(rejected(validateStatus([])).path).toBe('(document root)')
    expect(formatPath([])).toBe('(document root)')
    expect(formatPath(['nodes', 3, 'state', 'name'])).toBe('nodes[3].state.name')
  })

  it('rejects NaN and Infinity as numbers (what zod accepts is what the fast path accepts)', () => {
    const d = doc()
    d.num_offers = Number.POSITIVE_INFINITY
    expect(rejected(validateStatus(d)).path).toBe('num_offers')
    d.num_offers = Number.NaN
    expect(rejected(validateStatus(d)).path).toBe('num_offers')
  })
})

describe('parseStatusText', () => {
  it('reports a body cut off mid-document as not-json, not HTML', () => {
    const text = JSON.stringify(doc())
    const f = rejected(parseStatusText(text.slice(0, text.length / 2)))
    expect(f.kind).toBe('not-json')
    expect(f.looksLikeHtml).toBe(false)
    expect(f.message).toMatch(/not valid JSON/)
  })

  it('recognises an HTML page (a login page or a proxy error)', () => {
    const f = rejected(
      parseStatusText('<!DOCTYPE html>\n<html><head><title>Login</title></head></html>')
    )
    expect(f.kind).toBe('not-json')
    expect(f.looksLikeHtml).toBe(true)
    expect(f.message).toMatch(/HTML page/)
    expect(looksLikeHtml('  <html lang="en">')).toBe(true)
    expect(looksLikeHtml('<title>x</title>')).toBe(true)
    expect(looksLikeHtml('{"detail": "<b>"}')).toBe(false)
  })

  it('says so for an empty body', () => {
    const f = rejected(parseStatusText('  \n'))
    expect(f.kind).toBe('not-json')
    expect(f.message).toMatch(/empty body/)
  })

  it('reads the detail of a DRF error body, and nothing from other text', () => {
    expect(parseDetail('{"detail": "Invalid token."}')).toBe('Invalid token.')
    expect(parseDetail('{"detail": 3}')).toBeUndefined()
    expect(parseDetail('<html>')).toBeUndefined()
  })

  it('reads the version, and null from anything else', () => {
    expect(parseVersionText('{"version": "7.2.1"}')).toBe('7.2.1')
    expect(parseVersionText('{"version": null}')).toBeNull()
    expect(parseVersionText('{"ver": "7"}')).toBeNull()
    expect(parseVersionText('nope')).toBeNull()
  })
})

describe('parseScaleVersion', () => {
  it.each([
    ['7.2.1', { major: 7, minor: 2, patch: 1, suffix: '' }],
    ['7.0.1-snapshot+1a2b3c4d', { major: 7, minor: 0, patch: 1, suffix: '-snapshot+1a2b3c4d' }],
    ['5.9.6buildtest', { major: 5, minor: 9, patch: 6, suffix: 'buildtest' }],
    ['7.0.1rc4', { major: 7, minor: 0, patch: 1, suffix: 'rc4' }],
    ['7.0.2-rc20200115', { major: 7, minor: 0, patch: 2, suffix: '-rc20200115' }]
  ])('reads %s leniently', (v, expected) => {
    expect(parseScaleVersion(v)).toEqual(expected)
  })

  it.each(['snapshot', '', null, undefined, 'x7.2.1'])('gives null for %j', (v) => {
    expect(parseScaleVersion(v)).toBeNull()
  })
})
