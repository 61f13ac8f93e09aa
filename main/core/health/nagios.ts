// Electron-free: the Nagios/Icinga plugin form of a verdict (status line, perfdata, exit code).
import type { Evaluation, Finding, Level } from '../types.ts'

export const EXIT_CODES: Record<Level, number> = { ok: 0, warning: 1, critical: 2, unknown: 3 }
const WORD: Record<Level, string> = {
  ok: 'OK',
  warning: 'WARNING',
  critical: 'CRITICAL',
  unknown: 'UNKNOWN'
}

/** `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`. */
export function levelWord(level: Level): string {
  return WORD[level]
}

/** Perfdata labels may not contain `=` or `'`; keep them lower_snake. */
function label(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_]+/g, '_')
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '')
}

/**
 * Nagios perfdata (`label=value[UOM];warn;crit;min;max`): nodes by state, cpus and mem used and
 * total, queue depth, failed executions (3 h). Missing metrics are left out, not zero.
 */
export function perfdata(e: Evaluation): string {
  const m = e.metrics
  const out: string[] = []
  if (m.nodes) {
    out.push(`nodes_total=${m.nodes.total};;;0`)
    // States that differ only in case or punctuation ("READY", "ready") share a label: add them up.
    const byLabel = new Map<string, number>()
    for (const [state, n] of Object.entries(m.nodes.byState)) {
      const l = `nodes_${label(state)}`
      byLabel.set(l, (byLabel.get(l) ?? 0) + n)
    }
    for (const [l, n] of [...byLabel].sort(([a], [b]) => a.localeCompare(b)))
      out.push(`${l}=${n};;;0;${m.nodes.total}`)
  }
  const cpus = m.resources?.cpus
  if (cpus)
    out.push(
      `cpus_used=${num(cpus.running)};;;0;${num(cpus.total)}`,
      `cpus_total=${num(cpus.total)};;;0`
    )
  const mem = m.resources?.mem
  if (mem)
    out.push(
      `mem_used=${num(mem.running)}MB;;;0;${num(mem.total)}`,
      `mem_total=${num(mem.total)}MB;;;0`
    )
  if (typeof m.queueDepth === 'number') out.push(`queue_depth=${m.queueDepth};;;0`)
  if (m.jobs)
    out.push(`jobs_running=${m.jobs.running};;;0`, `jobs_failed_3h=${m.jobs.failed.total}c;;;0`)
  return out.join(' ')
}

function findingLine(f: Finding): string {
  // The finding's own weight, as --json and the window show it (the verdict is on the first line).
  const tag = f.severity.toUpperCase()
  const over = f.overridden ? ` [was ${f.overridden.from}]` : ''
  // Each field on its own: a line break inside a title must not start a line of its own.
  const lines = [`[${tag}]${over} ${pluginSafe(f.title)}: ${pluginSafe(f.message)}`]
  if (f.fix) lines.push(`  fix: ${pluginSafe(f.fix)}`)
  return lines.join('\n')
}

/**
 * Text from a server, made safe for a plugin's output: Nagios reads anything after a `|` as
 * perfdata and each line break as a new line, so a status or version string could otherwise
 * forge a verdict; terminal escapes and other control characters are dropped too.
 */
export function pluginSafe(text: string): string {
  /* eslint-disable no-control-regex -- matching control characters is the point here */
  return text
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '') // ANSI escape sequences
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\|/g, '/')
  /* eslint-enable no-control-regex */
}

/** The whole plugin output: `SCALE <LEVEL> - <summary> | <perfdata>`, then one line per finding. */
export function nagiosText(e: Evaluation, footer?: string): string {
  const pd = perfdata(e)
  const lines = [`SCALE ${levelWord(e.level)} - ${pluginSafe(e.summary)}${pd ? ` | ${pd}` : ''}`]
  for (const f of e.findings) lines.push(findingLine(f))
  if (footer) lines.push(pluginSafe(footer))
  return lines.join('\n') + '\n'
}
