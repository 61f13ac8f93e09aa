// Electron-free: user severity overrides, keyed by finding id or id prefix.
import { z } from 'zod'
import type { Finding, OverrideSeverity as Weight } from '../types.ts'

export const OverrideSeverity = z.enum(['ignore', 'info', 'warning', 'critical'])
/** `{ "dependency.elasticsearch.CLUSTER_YELLOW": "info", "nodes.warning": "ignore" }` */
export const Overrides = z.record(z.string().min(1), OverrideSeverity)
export type Overrides = Record<string, Weight>

/**
 * The override for `id`: an exact key, or the longest key that is a dotted prefix of it
 * (`dependency.logs` matches `dependency.logs.NO_LOGGING_DEFINED`), or a key ending in `*`
 * that is a plain prefix (`scheduler.warning.INVALID_RES*`).
 */
export function overrideFor(id: string, overrides: Overrides): Weight | undefined {
  let best: string | undefined
  for (const key in overrides) {
    const matches = key.endsWith('*')
      ? id.startsWith(key.slice(0, -1))
      : id === key || id.startsWith(`${key}.`)
    if (matches && (best === undefined || key.length > best.length)) best = key
  }
  return best === undefined ? undefined : overrides[best]
}

/** Apply overrides: ignored findings are dropped; changed ones remember their default. */
export function applyOverrides(findings: Finding[], overrides: Overrides | undefined): Finding[] {
  if (!overrides || Object.keys(overrides).length === 0) return findings
  const out: Finding[] = []
  for (const f of findings) {
    const o = overrideFor(f.id, overrides)
    if (o === undefined || o === f.severity) out.push(f)
    else if (o !== 'ignore') out.push({ ...f, severity: o, overridden: { from: f.severity } })
  }
  return out
}
