// Electron-free: `scale-tray watch`, the monitor headless until interrupted.
import { parseArgs } from 'node:util'
import { closeDefaultDispatcher } from '../core/scale/client.ts'
import type { MonitorEvents } from '../core/monitor/types.ts'
import {
  AUTH_OPTIONS,
  AUTH_USAGE,
  apiVersion,
  authFromFlags,
  CONNECT_OPTIONS,
  CONNECT_USAGE,
  connectFromFlags,
  passwordFor,
  seconds,
  UsageError,
  type Io
} from './common.ts'
import { buildRuntime } from './runtime.ts'

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

const HISTORY_SAVE_MS = 5 * 60_000

function hhmmss(at: number): string {
  return new Date(at).toISOString().slice(11, 19)
}

/** Run `watch` until SIGINT/SIGTERM (or `signal`); returns the exit code. */
export async function runWatch(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        interval: { type: 'string' },
        timeout: { type: 'string' },
        api: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...AUTH_OPTIONS,
        ...CONNECT_OPTIONS
      }
    }))
  } catch (err) {
    io.err(`scale-tray watch: ${(err as Error).message}\n\n${WATCH_USAGE}`)
    return 3
  }
  if (values.help) {
    io.out(WATCH_USAGE)
    return 0
  }
  let rt
  try {
    const intervalMs = seconds('interval', values.interval, 1, 3600)
    const timeoutMs = seconds('timeout', values.timeout, 1, 300)
    const connect = connectFromFlags(values)
    rt = await buildRuntime({
      config: typeof values.config === 'string' ? values.config : undefined,
      clusters: positionals,
      intervalSec: intervalMs === undefined ? undefined : intervalMs / 1000,
      timeoutSec: timeoutMs === undefined ? undefined : timeoutMs / 1000,
      api: apiVersion(values.api),
      auth: authFromFlags(values, io.env),
      env: io.env,
      connect,
      ...(connect.username ? { password: await passwordFor(connect.username, io) } : {})
    })
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
  const saver = setInterval(
    () =>
      void rt
        .saveHistory()
        .catch((e: Error) => io.err(`scale-tray watch: could not save history: ${e.message}\n`)),
    HISTORY_SAVE_MS
  )
  // This interval is also what keeps the process alive: the monitor's own timers are unref'd.
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    signal?.addEventListener('abort', stop, { once: true })
  })
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
