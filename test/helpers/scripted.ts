// Test helper: a cluster reader that plays a script of outcomes per cluster, on a fake clock.
import { generateStatus, scaleTime } from '../../main/sim/generate.ts'
import { scenarioStatus } from '../../main/sim/scenarios.ts'
import type { ClusterReader } from '../../main/core/monitor/monitor.ts'
import type { Clock } from '../../main/core/monitor/clock.ts'
import type { ReadOutcome } from '../../main/core/types.ts'
import type { ScaleStatus } from '../../main/core/scale/schema.ts'
import { defaultSettings, makeCluster, type Settings } from '../../main/core/settings/schema.ts'

export type Step =
  'ok' | 'warning' | 'critical' | 'stale' | 'refused' | 'dns' | 'timeout' | 'forbidden'

const base = new Date(Date.UTC(2026, 0, 1))
const docs: Record<'ok' | 'warning' | 'critical', ScaleStatus> = {
  ok: generateStatus({ nodes: 3, now: base }),
  warning: generateStatus({ nodes: 3, now: base, schedulerPaused: true }),
  critical: scenarioStatus('dependency-down', base, 3)
}

export function outcomeFor(step: Step, now: number, url = 'http://scale.test/api'): ReadOutcome {
  const b = { url: `${url}/v6/status/`, version: '7.2.1', durationMs: 12, at: now }
  switch (step) {
    case 'ok':
    case 'warning':
    case 'critical':
      return {
        ...b,
        kind: 'ok',
        status: { ...docs[step], timestamp: scaleTime(new Date(now)) },
        bytes: 1000
      }
    case 'stale':
      return { ...b, kind: 'stale', httpStatus: 503, detail: 'Status is over 12 seconds old' }
    case 'refused':
      return {
        ...b,
        version: null,
        kind: 'failure',
        failure: { kind: 'refused', message: 'Connection refused', code: 'ECONNREFUSED' }
      }
    case 'dns':
      return {
        ...b,
        version: null,
        kind: 'failure',
        failure: { kind: 'dns', message: 'no DNS', code: 'ENOTFOUND' }
      }
    case 'timeout':
      return {
        ...b,
        version: null,
        kind: 'failure',
        failure: { kind: 'timeout', message: 'timeout' }
      }
    case 'forbidden':
      return {
        ...b,
        kind: 'failure',
        failure: {
          kind: 'auth',
          httpStatus: 403,
          detail: 'Authentication credentials were not provided.',
          message: 'HTTP 403'
        }
      }
  }
}

export interface Script {
  reader: ClusterReader
  /** Change what a cluster answers from now on. */
  set(name: string, step: Step): void
  /** Poll times per cluster name. */
  calls: Map<string, number[]>
}

/** Each cluster (by name) answers its current step until changed. */
export function scripted(clock: Clock, initial: Record<string, Step>): Script {
  const current = new Map(Object.entries(initial))
  const calls = new Map<string, number[]>()
  return {
    calls,
    set: (name, step) => void current.set(name, step),
    reader: (cluster) => {
      const list = calls.get(cluster.name) ?? []
      list.push(clock.now())
      calls.set(cluster.name, list)
      return Promise.resolve(
        outcomeFor(current.get(cluster.name) ?? 'ok', clock.now(), cluster.url)
      )
    }
  }
}

/** Settings with these cluster names (ids = names), polled every `intervalSec`. */
export function settingsWith(
  names: string[],
  intervalSec = 30,
  patch: Partial<Settings> = {}
): Settings {
  const s = defaultSettings()
  s.clusters = names.map((n) =>
    makeCluster({ id: n, name: n, url: `http://${n}.scale.test/api`, intervalSec })
  )
  return { ...s, ...patch }
}
