// Electron-free: the simulator's scenarios, each a realistic state of a Scale cluster.
// What each one serves is documented in README.md ("The simulator").
import { generateStatus, scaleTime, type GenerateOptions } from './generate.ts'
import type { ScaleStatus } from '../core/scale/schema.ts'

export const SCENARIOS = [
  'healthy',
  'degraded',
  'dependency-down',
  'paused',
  'stale',
  'missing',
  'legacy-5x',
  'legacy-5x-stale',
  'auth-required',
  'not-found',
  'garbage',
  'slow',
  'hang',
  'huge',
  'flapping',
  'big',
  'server-error',
  'redirect-login'
] as const
export type ScenarioName = (typeof SCENARIOS)[number]

export function isScenario(s: string): s is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(s)
}

/** One line per scenario, for `sim --help`, the README and `GET /_sim/`. */
export const SCENARIO_NOTES: Record<ScenarioName, string> = {
  healthy: '200, Scale 7.2.1, every node READY, every dependency OK',
  degraded:
    '200: 2 nodes DEGRADED (Docker Not Responding, Low Docker Disk Space), 1 OFFLINE, a CLEANUP_FAILURE warning, an INVALID_RESOURCES scheduler warning → warning',
  'dependency-down': '200: msg_queue OK false with RABBITMQ_ERROR → critical',
  paused: '200: scheduler PAUSED, nodes SCHEDULER_STOPPED → warning',
  stale: '503 {"detail": "Status is over 12 seconds old"} → critical',
  missing: '503 {"detail": "Status is missing. Scheduler may be down."} → critical',
  'legacy-5x':
    '200, Scale 5.9.9 shape: no dependencies, no scheduler warnings; one node DEGRADED → warning',
  'legacy-5x-stale': '204 with an empty body, as 5.x–7.0.0 answer a stale status → critical',
  'auth-required':
    '403 "Authentication credentials were not provided." unless `Authorization: Token <token>`; "Invalid token." for a wrong one; /version/ stays public',
  'not-found': "404 with Django's HTML page → unknown",
  garbage: '200 with truncated JSON → unknown',
  slow: 'headers at once, then the body trickles over 20 s (or --delay) → a client timeout',
  hang: 'accepts the connection and never answers → a client timeout',
  huge: '200 with a 40 MiB body, streamed → the client stops at its cap',
  flapping: 'alternates healthy and dependency-down on every status request',
  big: '200, healthy, 3,000 nodes (or --nodes)',
  'server-error': "500 with Django's HTML error page → unknown",
  'redirect-login': '302 to /accounts/login/ (a front end that wants a browser login) → unknown'
}

export const SCALE_VERSION = '7.2.1'
export const LEGACY_VERSION = '5.9.9'

/** The document a 200-answering scenario serves at `now` (nodes: default 12, big 3000). */
export function scenarioStatus(
  name: ScenarioName,
  now: Date,
  nodes?: number,
  requestNo = 0
): ScaleStatus {
  const base: GenerateOptions = { now, seed: 7, nodes: nodes ?? (name === 'big' ? 3000 : 12) }
  const n = base.nodes ?? 12
  switch (name) {
    case 'degraded': {
      const at = scaleTime(new Date(now.getTime() - 2 * 3600_000))
      return generateStatus({
        ...base,
        nodeSpecs: {
          2: { errors: ['BAD_DAEMON'] },
          5: { errors: ['LOW_DOCKER_SPACE', 'HEALTH_TIMEOUT'] },
          [Math.max(0, n - 1)]: { state: 'OFFLINE' },
          7: {
            warnings: [
              {
                name: 'CLEANUP_FAILURE 7',
                title: 'Cleanup Failure',
                description:
                  'There was a failure cleaning up some of the following jobs: [88412, 88413]',
                started: at,
                last_updated: at
              }
            ]
          }
        },
        schedulerWarnings: [
          {
            name: 'INVALID_RESOURCESgeo-ingest',
            title: 'Invalid Resources for geo-ingest',
            description: "Cluster does not have one or more of the following resources: [u'gpus'].",
            started: at,
            last_updated: scaleTime(now)
          }
        ]
      })
    }
    case 'dependency-down':
      return generateStatus({
        ...base,
        queueDepth: 0,
        dependencies: {
          msg_queue: {
            OK: false,
            detail: {
              msg: 'Unable to get message queue size.',
              num_message_handlers: 1,
              type: 'amqp',
              queue_name: 'scale-command-messages',
              queue_depth: 0,
              region_name: ''
            },
            errors: [{ RABBITMQ_ERROR: 'Error connecting to RabbitMQ: Check Logs for details' }],
            warnings: []
          }
        }
      })
    case 'paused':
      return generateStatus({ ...base, schedulerPaused: true })
    case 'legacy-5x':
      return generateStatus({
        ...base,
        release: '5.8',
        nodeSpecs: { 3: { errors: ['BAD_LOGSTASH'] } }
      })
    case 'flapping':
      return requestNo % 2 === 0
        ? generateStatus(base)
        : scenarioStatus('dependency-down', now, nodes)
    default:
      return generateStatus(base)
  }
}

/** A Django 404 page, as Scale's web server sends for an unknown path. */
export const DJANGO_404 = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8">
  <title>Page not found at /api/v6/status/</title>
  <meta name="robots" content="NONE,NOARCHIVE">
</head>
<body>
  <div id="summary">
    <h1>Page not found <span>(404)</span></h1>
    <p>The current URL, <code>api/v6/status/</code>, didn't match any of these.</p>
  </div>
</body>
</html>
`

export const DJANGO_500 = `<!DOCTYPE html>
<html lang="en"><head><title>Server Error (500)</title></head>
<body><h1>Server Error (500)</h1><p></p></body></html>
`
