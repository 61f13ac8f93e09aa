// Test helper: status documents and client outcomes built for rule and schema tests.
import { generateStatus, type GenerateOptions } from '../../main/sim/generate.ts'
import type { ScaleStatus } from '../../main/core/scale/schema.ts'
import type { Evaluation, Failure, Finding, ReadOutcome } from '../../main/core/types.ts'

/** The fixed clock of the rule tests (with milliseconds, so timestamps carry a fraction). */
export const NOW = new Date('2024-03-01T12:00:00.250Z')
export const NOW_MS = NOW.getTime()
export const STATUS_URL = 'https://scale.example.com/api/v6/status/'

/** A generated document as a plain JSON copy (what JSON.parse of the server's body gives). */
export function doc(opts: GenerateOptions = {}): ScaleStatus {
  return clone(generateStatus({ now: NOW, seed: 3, nodes: 6, ...opts }))
}

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}

export function okOutcome(status: ScaleStatus, at = NOW_MS): ReadOutcome {
  return { kind: 'ok', status, bytes: 1, url: STATUS_URL, version: '7.2.1', durationMs: 5, at }
}

export function failureOutcome(failure: Failure, url = STATUS_URL): ReadOutcome {
  return { kind: 'failure', failure, url, version: null, durationMs: 5, at: NOW_MS }
}

export function staleOutcome(httpStatus: 503 | 204, detail: string | null): ReadOutcome {
  return {
    kind: 'stale',
    httpStatus,
    detail,
    url: STATUS_URL,
    version: null,
    durationMs: 5,
    at: NOW_MS
  }
}

export function ids(e: Evaluation): string[] {
  return e.findings.map((f) => f.id)
}

/** The finding with this id; fails the test when there is none or more than one. */
export function findingOf(e: Evaluation, id: string): Finding {
  const found = e.findings.filter((f) => f.id === id)
  if (found.length !== 1) {
    throw new Error(`expected one finding ${id}, got ${found.length}: ${ids(e).join(', ')}`)
  }
  return found[0] as Finding
}
