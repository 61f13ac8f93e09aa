// Electron-free: `scale-tray serve`, the dashboard in a browser (a wall screen), on loopback.
import { fileURLToPath } from 'node:url'
import { existsSync } from 'node:fs'
import { closeDefaultDispatcher } from '../core/scale/client.ts'
import { Controller, type Platform } from '../core/app/controller.ts'
import { startServer } from '../server/server.ts'
import {
  AUTH_USAGE,
  CONNECT_USAGE,
  parseCommand,
  UsageError,
  waitForStop,
  type Io
} from './common.ts'
import {
  RUNTIME_OPTIONS,
  runtimeFromFlags,
  saveHistoryPeriodically,
  type CliRuntime
} from './runtime.ts'

export const SERVE_USAGE = `Usage: scale-tray serve [--config FILE] [NAME=URL]... [options]

Runs the monitor and serves the dashboard to a browser. Prints "Dashboard: <url>" when ready:
open that URL (it carries this run's access token).

  NAME=URL            a cluster for this run (not saved unless --config)
  --config FILE       settings file (created if missing); clusters added in the dashboard are saved there
  --port N            port (default 8643; 0 picks a free one)
  --host ADDRESS      listen address (default 127.0.0.1; anything else exposes the dashboard to the network)
  --interval SECONDS  poll interval for this run (default 30)
  --timeout SECONDS   per-request deadline (default 10)
  --api v6|v7         API version for the clusters on the command line
  --renderer DIR      built dashboard folder (default dist/renderer)
  --access-token T    use this access token instead of a random one (for scripts)
${AUTH_USAGE}
${CONNECT_USAGE}
`

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url))
const VERSION = '0.1.0'

/** The bridge controller of a browser dashboard over `rt` (serve, and the dashboard measures). */
export function serveController(rt: CliRuntime, version: string = VERSION): Controller {
  const platform: Platform = {
    mode: 'serve',
    version,
    notificationsSupported: true,
    // In a browser the dashboard shows notifications itself (a banner, and the browser's own when allowed).
    showTestNotification: () =>
      Promise.resolve({ shown: true, detail: 'sent to the open dashboards' }),
    openExternal: () => Promise.resolve({ ok: false, error: 'in a browser, links open directly' })
  }
  return new Controller({
    monitor: rt.monitor,
    store: rt.store,
    secrets: rt.secrets,
    settings: rt.settings,
    readerFor: rt.readerFor,
    transports: rt.transports,
    platform,
    notices: rt.notices,
    ...(rt.readOnly ? { unsaved: rt.readOnly.reason } : {})
  })
}

/** Run `serve` until SIGINT/SIGTERM (or `signal`); returns the exit code. */
export async function runServe(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const parsed = parseCommand(
    'serve',
    argv,
    {
      ...RUNTIME_OPTIONS,
      port: { type: 'string' },
      host: { type: 'string' },
      renderer: { type: 'string' },
      'access-token': { type: 'string' }
    },
    SERVE_USAGE,
    io
  )
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  try {
    const port = values.port === undefined ? 8643 : Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port wants 0–65535 (got "${String(values.port)}")`)
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1'
    const rendererDir = typeof values.renderer === 'string' ? values.renderer : DEFAULT_RENDERER_DIR
    if (!existsSync(`${rendererDir}/index.html`))
      throw new UsageError(
        `the dashboard is not built (no ${rendererDir}/index.html): run "npm run build:renderer" first`
      )
    const rt = await runtimeFromFlags(values, positionals, io, { allowEmpty: true })
    const controller = serveController(rt)
    for (const n of rt.notices) io.err(`scale-tray serve: ${n}\n`)
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
      io.err(
        `scale-tray serve: WARNING: listening on ${host}: anyone who can reach it and has the URL's token can see and change your clusters. Prefer an SSH tunnel to 127.0.0.1.\n`
      )
    }
    const server = await startServer({
      controller,
      rendererDir,
      host,
      port,
      token: typeof values['access-token'] === 'string' ? values['access-token'] : undefined,
      // Refused requests are routine (an old tab); a failed request is worth a line.
      log: (line) => {
        if (line.startsWith('error')) io.err(`scale-tray serve: ${line}\n`)
      }
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        throw new UsageError(
          `port ${port} is in use: pick another with --port (0 picks a free one)`
        )
      if (err.code === 'EADDRNOTAVAIL')
        throw new UsageError(`cannot listen on ${host}: not an address of this machine`)
      throw err
    })
    rt.monitor.start()
    io.out(`Dashboard: ${server.url}\n`)
    if (rt.settings.clusters.length === 0) {
      io.err(
        `scale-tray serve: no clusters yet: open the dashboard and use Settings → Add a cluster${rt.store ? ` (saved in ${rt.store.path})` : ''}\n`
      )
    }
    const saver = saveHistoryPeriodically(rt, io, 'serve')
    await waitForStop(signal)
    clearInterval(saver)
    rt.monitor.stop()
    controller.dispose()
    await server.close()
    await rt
      .saveHistory()
      .catch((e: Error) => io.err(`scale-tray serve: could not save history: ${e.message}\n`))
    await rt.close()
    await closeDefaultDispatcher()
    return 0
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`scale-tray serve: ${err.message}\n\n${SERVE_USAGE}`)
      return 3
    }
    throw err
  }
}
