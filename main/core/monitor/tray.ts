// Electron-free: the tray's verdict over all enabled clusters (pure).
import { LEVEL_RANK, type Level } from '../types.ts'
import type { ClusterView, TrayClusterLine, TrayState } from './types.ts'

/** Windows truncates tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127

const SHORT: Record<Level, string> = {
  ok: 'ok',
  warning: 'warning',
  critical: 'critical',
  unknown: 'unknown'
}

/** What a cluster contributes to the tray: nothing while snoozed, its ack-adjusted level otherwise. */
export function trayContribution(c: ClusterView, now: number): Level {
  if (c.snoozedUntil !== null && c.snoozedUntil > now) return 'ok'
  if (c.pending) return 'unknown'
  return c.effectiveLevel
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`
}

/** The tooltip: a headline, then the worst clusters and why, within `max` characters. */
export function trayTooltip(lines: TrayClusterLine[], headline: string, max = TOOLTIP_MAX): string {
  const bad = lines.filter((l) => l.level !== 'ok')
  if (bad.length === 0) return clip(headline, max)
  let out = headline
  for (const l of bad) {
    const part = `\n${l.name}: ${l.reason || SHORT[l.level]}`
    if (out.length + part.length <= max) {
      out += part
      continue
    }
    const room = max - out.length
    // Room for a shortened line? Otherwise say how many were left out.
    if (room > l.name.length + 8) out += clip(part, room)
    else {
      const more = `\n+${bad.length - bad.indexOf(l)} more`
      if (out.length + more.length <= max) out += more
    }
    break
  }
  return clip(out, max)
}

export interface TrayInputs {
  clusters: ClusterView[]
  now: number
  offline: boolean
  /** Global snooze active. */
  paused: boolean
  suspended: boolean
}

/** Aggregate: critical > warning > unknown > ok; `offline` when nothing is reachable; `paused` when snoozed. */
export function trayState(inp: TrayInputs): TrayState {
  const counts: TrayState['counts'] = { ok: 0, warning: 0, critical: 0, unknown: 0, pending: 0 }
  const lines: (TrayClusterLine & { rank: number })[] = []
  let worst: Level = 'ok'
  let enabled = 0
  for (const c of inp.clusters) {
    if (!c.enabled) continue
    enabled++
    if (c.pending) counts.pending++
    else counts[c.level]++
    const contrib = trayContribution(c, inp.now)
    if (LEVEL_RANK[contrib] > LEVEL_RANK[worst]) worst = contrib
    const firstBad = c.findings.find((f) => !f.acked && f.severity !== 'info')
    // A pending cluster's reason would change with every unconfirmed poll; say what it is instead.
    const reason = c.unsettled
      ? 'level keeps changing'
      : c.pending
        ? 'not confirmed yet'
        : contrib === 'ok'
          ? ''
          : (firstBad?.title ?? c.summary)
    lines.push({ id: c.id, name: c.name, level: contrib, reason, rank: LEVEL_RANK[contrib] })
  }
  lines.sort((a, b) => b.rank - a.rank || a.name.localeCompare(b.name))
  const clusters = lines.map(({ rank: _r, ...l }) => l)
  let level: TrayState['level'] = enabled === 0 ? 'unknown' : worst
  if (inp.offline) level = 'offline'
  else if (inp.paused) level = 'paused'

  let headline: string
  if (enabled === 0) headline = 'Scale Tray: no clusters'
  else if (inp.offline) headline = `Scale Tray: offline, no cluster reachable`
  else if (inp.suspended) headline = 'Scale Tray: paused while asleep'
  else {
    const parts: string[] = []
    if (counts.critical) parts.push(`${counts.critical} critical`)
    if (counts.warning) parts.push(`${counts.warning} warning`)
    if (counts.unknown) parts.push(`${counts.unknown} unknown`)
    if (counts.pending) parts.push(`${counts.pending} checking`)
    headline = parts.length ? `Scale: ${parts.join(', ')}` : `Scale: all ${enabled} ok`
    if (inp.paused) headline += ' (snoozed)'
  }
  return {
    level,
    counts,
    tooltip: trayTooltip(inp.offline ? [] : clusters, headline),
    clusters,
    offline: inp.offline,
    paused: inp.paused,
    suspended: inp.suspended
  }
}

/** True when two tray states would draw the same (so the shell need not redraw). */
export function sameTray(a: TrayState | undefined, b: TrayState): boolean {
  if (!a) return false
  return (
    a.level === b.level &&
    a.tooltip === b.tooltip &&
    a.offline === b.offline &&
    a.paused === b.paused &&
    a.suspended === b.suspended &&
    (Object.keys(b.counts) as (keyof TrayState['counts'])[]).every(
      (k) => a.counts[k] === b.counts[k]
    ) &&
    a.clusters.length === b.clusters.length &&
    a.clusters.every((l, i) => {
      const m = b.clusters[i]
      return (
        m !== undefined &&
        m.id === l.id &&
        m.level === l.level &&
        m.reason === l.reason &&
        m.name === l.name
      )
    })
  )
}
