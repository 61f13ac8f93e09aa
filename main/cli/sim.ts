// Electron-free: `scale-tray sim`, the Scale simulator on a port, until interrupted.
import { readFile } from 'node:fs/promises'
import type { ServerOptions as HttpsOptions } from 'node:https'
import { DEFAULT_SIM_TOKEN, startSim } from '../sim/server.ts'
import { isScenario, SCENARIO_NOTES, SCENARIOS } from '../sim/scenarios.ts'
import { parseCommand, seconds, UsageError, waitForStop, type Io } from './common.ts'

export const SIM_USAGE = `Usage: scale-tray sim [--port N] [--host H] [--scenario NAME] [--nodes N] [--token T]
                     [--user U --password P] [--delay SECONDS] [--verbose]
                     [--tls-cert FILE --tls-key FILE [--client-ca FILE]]

Serves /api/v6|v7/status/, /api/v6|v7/version/ and POST /api/api-token-auth/ like a real Scale
web server. The default cluster is at /api/…; every scenario is also at /<scenario>/api/…, and
POST /_sim/clusters/<key> {"scenario": NAME} makes or changes a cluster at /<key>/api/….

Credentials: auth-required clusters accept "Authorization: Token <token>" with the token given
by --token (default ${DEFAULT_SIM_TOKEN}), and POST /api/api-token-auth/ hands that token out
for --user/--password (default admin / admin).

--tls-cert/--tls-key serve HTTPS with that certificate (PEM); --client-ca FILE then demands a
client certificate signed by that CA (a front end doing PKI, like many agency deployments).

Scenarios:
${SCENARIOS.map((s) => `  ${s.padEnd(16)} ${SCENARIO_NOTES[s]}`).join('\n')}
`

/** Run the simulator until SIGINT/SIGTERM; returns the exit code. */
export async function runSim(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const parsed = parseCommand(
    'sim',
    argv,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      scenario: { type: 'string' },
      nodes: { type: 'string' },
      token: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      delay: { type: 'string' },
      verbose: { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'client-ca': { type: 'string' }
    },
    SIM_USAGE,
    io
  )
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  try {
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`)
    const port = values.port === undefined ? 8642 : Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port wants 0–65535 (got "${String(values.port)}")`)
    const scenario = (values.scenario ?? 'healthy') as string
    if (!isScenario(scenario))
      throw new UsageError(`unknown --scenario "${scenario}"; one of: ${SCENARIOS.join(', ')}`)
    let nodes: number | undefined
    if (values.nodes !== undefined) {
      nodes = Number(values.nodes)
      if (!Number.isInteger(nodes) || nodes < 0 || nodes > 100_000)
        throw new UsageError(`--nodes wants 0–100000 (got "${String(values.nodes)}")`)
    }
    const tls = await simTls(values)
    const sim = await startSim({
      ...(tls ? { tls } : {}),
      port,
      host: typeof values.host === 'string' ? values.host : '127.0.0.1',
      scenario: scenario,
      nodes,
      token: typeof values.token === 'string' ? values.token : undefined,
      username: typeof values.user === 'string' ? values.user : undefined,
      password: typeof values.password === 'string' ? values.password : undefined,
      delayMs: seconds('delay', values.delay, 0.1, 600),
      log: values.verbose ? (l) => io.out(`${new Date().toISOString()} ${l}\n`) : undefined
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        throw new UsageError(
          `port ${port} is in use; pick another with --port (0 picks a free one)`
        )
      if (err.code === 'EACCES')
        throw new UsageError(`not allowed to listen on port ${port}; use a port above 1023`)
      throw err
    })
    io.out(`Scale simulator: ${sim.url} (scenario ${scenario})\n`)
    io.out(
      `Token for auth-required clusters: ${typeof values.token === 'string' ? values.token : DEFAULT_SIM_TOKEN} (or log in as ${typeof values.user === 'string' ? values.user : 'admin'} / ${typeof values.password === 'string' ? '(your --password)' : 'admin'})\n`
    )
    io.out(
      `Every scenario: ${sim.origin}/<scenario>/api (e.g. ${sim.urlFor('degraded')}); list: ${sim.origin}/_sim/\n`
    )
    await waitForStop(signal)
    await sim.close()
    return 0
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`scale-tray sim: ${err.message}\n\n${SIM_USAGE}`)
      return 3
    }
    throw err
  }
}

/** HTTPS options from --tls-cert/--tls-key/--client-ca, or undefined for plain HTTP. */
async function simTls(
  values: Record<string, string | boolean | undefined>
): Promise<HttpsOptions | undefined> {
  const cert = values['tls-cert']
  const key = values['tls-key']
  const ca = values['client-ca']
  if (cert === undefined && key === undefined && ca === undefined) return undefined
  if (typeof cert !== 'string' || typeof key !== 'string')
    throw new UsageError('--tls-cert and --tls-key go together (and --client-ca needs both)')
  const read = async (flag: string, f: string): Promise<string> => {
    try {
      return await readFile(f, 'utf8')
    } catch (err) {
      throw new UsageError(
        `cannot read --${flag} ${f}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`
      )
    }
  }
  const opts: HttpsOptions = { cert: await read('tls-cert', cert), key: await read('tls-key', key) }
  if (typeof ca === 'string') {
    opts.ca = await read('client-ca', ca)
    opts.requestCert = true
    opts.rejectUnauthorized = true
  }
  return opts
}
