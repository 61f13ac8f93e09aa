// Electron-free: `scale-tray watch`, the monitor headless until interrupted.
import { closeDefaultDispatcher } from '../core/scale/client.ts'
import type { MonitorEvents } from '../core/monitor/types.ts'
import {
  AUTH_USAGE,
  CONNECT_USAGE,
  parseCommand,
  UsageError,
  waitForStop,
  type Io
} from './common.ts'
import { RUNTIME_OPTIONS, runtimeFromFlags, saveHistoryPeriodically } from './runtime.ts'

export const WATCH_USAGE = `Usage: scale-tray watch [--config FILE] [NAME=URL | URL]... [options]

Runs the monitor headless until Ctrl-C: polls every cluster, confirms level changes, and prints
polls, level changes, notifications and tray changes. With no clusters and no --config it uses
the app's settings file.

  NAME=URL            a cluster for this run (URL = the API base, e.g. https://scale.example.com/api)
  --config FILE       settings file (created if missing); history is kept beside it
  --interval SECONDS  poll interval (default 30; at least 1)
  --timeout SECONDS   per-request deadline (default 10)
  --api v6|v7         API version for the clusters on the command line
  --json              one JSON event per line (NDJSON): poll, level, notification, tray
  --quiet             text mode: leave out the poll lines
${AUTH_USAGE}
${CONNECT_USAGE}
`

function hhmmss(at: number): string {
  return new Date(at).toISOString().slice(11, 19)
}

/** Run `watch` until SIGINT/SIGTERM (or `signal`); returns the exit code. */
export async function runWatch(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const parsed = parseCommand(
    'watch',
    argv,
    {
      ...RUNTIME_OPTIONS,
      json: { type: 'boolean' },
      quiet: { type: 'boolean' }
    },
    WATCH_USAGE,
    io
  )
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  let rt
  try {
    rt = await runtimeFromFlags(values, positionals, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`scale-tray watch: ${err.message}\n\n${WATCH_USAGE}`)
      return 3
    }
    throw err
  }
  const json = values.json === true
  const m = rt.monitor
  const line = (o: Record<string, unknown>): void => io.out(`${JSON.stringify(o)}\n`)
  const iso = (at: number): string => new Date(at).toISOString()
  for (const n of rt.notices) io.err(`scale-tray watch: ${n}\n`)
  if (!json)
    io.err(
      `Watching ${rt.settings.clusters.filter((c) => c.enabled).length} cluster(s)${rt.store ? ` from ${rt.store.path}` : ''}. Ctrl-C to stop.\n`
    )

  m.on('poll', (e: MonitorEvents['poll']) => {
    if (json)
      line({
        type: 'poll',
        at: iso(e.at),
        cluster: e.name,
        clusterId: e.clusterId,
        level: e.level,
        durationMs: e.durationMs,
        outcome: e.outcome,
        counted: e.counted
      })
    else if (!values.quiet)
      io.out(
        `${hhmmss(e.at)} poll   ${e.name.padEnd(20)} ${e.level.padEnd(8)} ${String(e.durationMs).padStart(5)} ms${e.counted ? '' : ' (not counted)'}\n`
      )
  })
  m.on('level', (e) => {
    if (json)
      line({
        type: 'level',
        at: iso(e.at),
        cluster: e.name,
        clusterId: e.clusterId,
        level: e.level,
        previous: e.previous,
        findings: e.findings
      })
    else
      io.out(
        `${hhmmss(e.at)} LEVEL  ${e.name.padEnd(20)} ${e.previous ?? 'pending'} → ${e.level.toUpperCase()}${e.findings[0] ? `: ${e.findings[0].title}` : ''}\n`
      )
  })
  m.on('notification', (n) => {
    const one = n.clusters.length === 1 ? n.clusters[0] : undefined
    if (json) {
      line({
        type: 'notification',
        at: iso(n.at),
        kind: n.kind,
        ...(one
          ? { cluster: one.name, clusterId: one.id }
          : { clusters: n.clusters.map((c) => c.name) }),
        level: n.level,
        previous: n.previous,
        title: n.title,
        body: n.body
      })
    } else
      io.out(
        `${hhmmss(n.at)} NOTIFY ${n.title}\n${n.body
          .split('\n')
          .map((l) => `         ${l}`)
          .join('\n')}\n`
      )
  })
  m.on('tray', (t) => {
    if (json)
      line({
        type: 'tray',
        at: iso(Date.now()),
        level: t.level,
        tooltip: t.tooltip,
        counts: t.counts
      })
    else
      io.out(
        `${hhmmss(Date.now())} TRAY   ${t.level.toUpperCase()} — ${t.tooltip.replace(/\n/g, '; ')}\n`
      )
  })

  m.start()
  const saver = saveHistoryPeriodically(rt, io, 'watch')
  // This interval is also what keeps the process alive: the monitor's own timers are unref'd.
  await waitForStop(signal)
  clearInterval(saver)
  m.stop()
  try {
    await rt.saveHistory()
  } catch (err) {
    io.err(`scale-tray watch: could not save history: ${(err as Error).message}\n`)
  }
  await rt.close()
  await closeDefaultDispatcher()
  if (!json) io.err('Stopped.\n')
  return 0
}
