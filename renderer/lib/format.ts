// Plain formatting for the dashboard: numbers, resource units (Scale reports mem and disk in MiB),
// durations, relative times and the words and shapes that stand for levels. No DOM, no state.
import type { Level, Severity } from '../../main/core/types.ts'
import type { TrayLevel } from '../../main/core/monitor/types.ts'

const grouped = new Intl.NumberFormat('en', { maximumFractionDigits: 0 })

/** 3000 → "3,000". */
export function formatCount(n: number): string {
  return grouped.format(n)
}

/** A number with at most `digits` decimals, trailing zeros dropped (0.30000000000000004 → "0.3"). */
export function formatNumber(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return '–'
  return new Intl.NumberFormat('en', { maximumFractionDigits: digits }).format(n)
}

/** Resource kinds whose values are MiB (scale-status-api.md §5.6); the rest are plain counts. */
const MIB_KINDS = new Set(['mem', 'disk'])

export interface Scaled {
  value: string
  unit: string
}

/** The unit to show a MiB amount in: MiB below 1 GiB, GiB below 1 TiB, then TiB. */
export function mibUnit(mib: number): { unit: 'MiB' | 'GiB' | 'TiB'; divisor: number } {
  const a = Math.abs(mib)
  if (a >= 1024 * 1024) return { unit: 'TiB', divisor: 1024 * 1024 }
  if (a >= 1024) return { unit: 'GiB', divisor: 1024 }
  return { unit: 'MiB', divisor: 1 }
}

/** One resource amount with its unit: mem 3014656 → "2.88 TiB", cpus 170.25 → "170.3 CPUs". */
export function formatResource(kind: string, value: number): string {
  const s = scaleResource(kind, value)
  return s.unit ? `${s.value} ${s.unit}` : s.value
}

/** Like formatResource but split, optionally in a given unit (so "used / total" share one). */
export function scaleResource(kind: string, value: number, unitOf = value): Scaled {
  if (MIB_KINDS.has(kind)) {
    const { unit, divisor } = mibUnit(unitOf)
    const v = value / divisor
    return { value: formatNumber(v, unit === 'MiB' ? 0 : v >= 100 ? 1 : 2), unit }
  }
  return { value: formatNumber(value, value >= 100 ? 0 : 1), unit: resourceUnit(kind, value) }
}

/** "used / total unit" in the total's unit: "0.97 / 2.88 TiB". `compact` drops CPU/GPU words and keeps one decimal (table cells). */
export function formatUsage(kind: string, used: number, total: number, compact = false): string {
  const u = scaleResource(kind, used, total)
  const t = scaleResource(kind, total, total)
  if (compact) {
    const div = MIB_KINDS.has(kind) ? mibUnit(total).divisor : 1
    const unit = MIB_KINDS.has(kind) ? ` ${t.unit}` : ''
    return `${formatNumber(used / div, 1)} / ${formatNumber(total / div, 1)}${unit}`
  }
  return `${u.value} / ${t.value}${t.unit ? ` ${t.unit}` : ''}`
}

function resourceUnit(kind: string, value: number): string {
  if (kind === 'cpus') return value === 1 ? 'CPU' : 'CPUs'
  if (kind === 'gpus') return value === 1 ? 'GPU' : 'GPUs'
  return ''
}

/** A human label for a resource key. */
export function resourceLabel(kind: string): string {
  return (
    ({ cpus: 'CPUs', mem: 'Memory', disk: 'Disk', gpus: 'GPUs' } as Record<string, string>)[kind] ??
    kind
  )
}

/** 45 s, 3 min, 2 h 5 min, 3 d 4 h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–'
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`
  const d = Math.floor(h / 24)
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`
}

/** "just now", "12 s ago", "3 min ago", "in 5 min". */
export function formatRelative(t: number | null, now: number): string {
  if (t === null) return 'never'
  const diff = now - t
  if (Math.abs(diff) < 5000) return 'just now'
  return diff > 0 ? `${formatDuration(diff)} ago` : `in ${formatDuration(-diff)}`
}

const timeFmt = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit'
})
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit'
})

/** Local wall time: "14:03:22" today, "Tue 3 Dec, 14:03" otherwise. */
export function formatTime(t: number, now: number = Date.now()): string {
  const a = new Date(t)
  const b = new Date(now)
  const sameDay =
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate()
  return sameDay ? timeFmt.format(a) : dateTimeFmt.format(a)
}

/**
 * Scale's timestamps (`2021-07-14T12:00:03.123456Z`, fraction optional) as ms since epoch.
 * The fraction is cut to milliseconds: Date.parse is only specified for three digits.
 */
export function parseScaleTime(s: string | null | undefined): number | null {
  if (!s) return null
  const t = Date.parse(s.replace(/(\.\d{3})\d+/, '$1'))
  return Number.isNaN(t) ? null : t
}

export type Shape = 'circle' | 'triangle' | 'octagon' | 'square' | 'ring' | 'pause'

export interface LevelInfo {
  word: string
  shape: Shape
  /** CSS class carrying the colour. */
  tone: 'ok' | 'warning' | 'critical' | 'unknown' | 'offline' | 'paused'
}

const LEVELS: Record<TrayLevel, LevelInfo> = {
  ok: { word: 'OK', shape: 'circle', tone: 'ok' },
  warning: { word: 'Warning', shape: 'triangle', tone: 'warning' },
  critical: { word: 'Critical', shape: 'octagon', tone: 'critical' },
  unknown: { word: 'Unknown', shape: 'square', tone: 'unknown' },
  offline: { word: 'Offline', shape: 'ring', tone: 'offline' },
  paused: { word: 'Paused', shape: 'pause', tone: 'paused' }
}

/** A level as a word, a shape and a colour: never colour alone. */
export function levelInfo(level: TrayLevel): LevelInfo {
  return LEVELS[level]
}

/** Findings use the level vocabulary: info is shown as an OK-ish note, not a problem. */
export function severityInfo(s: Severity): LevelInfo {
  if (s === 'info') return { word: 'Info', shape: 'circle', tone: 'unknown' }
  return LEVELS[s as Level]
}

/** "5 nodes" / "1 node". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

/** The next 08:00 worth snoozing to: today's if it is still night, else tomorrow's. */
export function nextMorning(now: number, hour = 8): number {
  const d = new Date(now)
  const target = new Date(d.getFullYear(), d.getMonth(), d.getDate(), hour, 0, 0, 0)
  if (d.getHours() >= 5 || target.getTime() <= now) target.setDate(target.getDate() + 1)
  return target.getTime()
}

/** A percentage of a total, 0 when the total is 0. */
export function share(part: number, total: number): number {
  return total > 0 ? Math.max(0, Math.min(100, (part / total) * 100)) : 0
}
