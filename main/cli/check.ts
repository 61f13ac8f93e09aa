// Electron-free: `scale-tray check`, a one-shot check in the form of a Nagios/Icinga plugin.
import { readSmallFile } from '../core/files.ts'
import {
  closeDefaultDispatcher,
  decodeBody,
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  readCluster
} from '../core/scale/client.ts'
import { parseStatusText, parseDetail, parseVersionText } from '../core/scale/parse.ts'
import { evaluate, evaluateStatus } from '../core/health/rules.ts'
import { EXIT_CODES, nagiosText } from '../core/health/nagios.ts'
import type { Evaluation, Finding, ReadOutcome } from '../core/types.ts'
import { login } from '../core/scale/login.ts'
import { buildTransport } from '../core/scale/transport.ts'
import { makeCluster } from '../core/settings/schema.ts'
import { EnvSecretStore } from '../core/settings/secrets.ts'
import {
  parseCommand,
  AUTH_OPTIONS,
  AUTH_USAGE,
  apiVersion,
  authFromFlags,
  CONNECT_OPTIONS,
  CONNECT_USAGE,
  connectFromFlags,
  passwordFor,
  fileError,
  InputError,
  readRules,
  seconds,
  UsageError,
  type Io
} from './common.ts'

export const CHECK_USAGE = `Usage: scale-tray check <base-url> [options]
       scale-tray check --file PATH|- [options]

Reads a Scale cluster's /status/ once, judges it, prints a Nagios plugin line and exits
0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.

  <base-url>          the API base, e.g. https://scale.example.com/api (or a full …/status/ URL)
  --api v6|v7         API version prefix (default v6; identical on Scale 7)
  --timeout SECONDS   one deadline per request: connect + headers + body (default 10)
  --max-bytes N       largest answer accepted (default 32 MiB)
  --json              print exactly one JSON object instead of text
  --rules FILE        severity overrides: {"overrides": {"<finding id or prefix>": "ignore|info|warning|critical"}}
  --file PATH|-       judge a saved status document (or stdin) without the network
${AUTH_USAGE}
${CONNECT_USAGE}
`

/** Read a saved document: a status, a saved 503 body, an empty 204 body, or something else. */
function outcomeFromText(text: string, source: string, now: number): ReadOutcome {
  const base = { url: source, version: null, durationMs: 0, at: now }
  if (text.trim() === '') return { ...base, kind: 'stale', httpStatus: 204, detail: null }
  const detail = parseDetail(text)
  // Only Scale's own two 503 messages (views.py) make a saved body a stale status.
  if (detail && /^Status is (over \d+ seconds old|missing\b)/.test(detail))
    return { ...base, kind: 'stale', httpStatus: 503, detail }
  const parsed = parseStatusText(text)
  if (parsed.ok)
    return { ...base, kind: 'ok', status: parsed.status, bytes: Buffer.byteLength(text) }
  const version = parseVersionText(text)
  if (version !== null) {
    return {
      ...base,
      kind: 'failure',
      failure: {
        kind: 'not-scale',
        path: 'version',
        message: `This is a /version/ answer (Scale ${version}), not a /status/ document`
      }
    }
  }
  return { ...base, kind: 'failure', failure: parsed.failure }
}

export interface CheckResult {
  evaluation: Evaluation
  outcome: ReadOutcome
}

/** Run `check`; returns the exit code. */
export async function runCheck(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommand(
    'check',
    argv,
    {
      api: { type: 'string' },
      timeout: { type: 'string' },
      'max-bytes': { type: 'string' },
      json: { type: 'boolean' },
      rules: { type: 'string' },
      file: { type: 'string' },
      ...AUTH_OPTIONS,
      ...CONNECT_OPTIONS
    },
    CHECK_USAGE,
    io
  )
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  let guard: NodeJS.Timeout | undefined
  try {
    if (values.file === undefined && positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? "give the cluster's API base URL, or --file"
          : `one URL only (got ${positionals.length})`
      )
    }
    if (values.file !== undefined && positionals.length > 0)
      throw new UsageError('give a URL or --file, not both')
    if (values.file === undefined && !(positionals[0] ?? '').trim())
      throw new UsageError(
        "the cluster's API base URL is empty; give one, e.g. https://scale.example.com/api"
      )
    const timeoutMs = seconds('timeout', values.timeout) ?? DEFAULT_TIMEOUT_MS
    const api = apiVersion(values.api)
    let auth = authFromFlags(values, io.env)
    const connect = connectFromFlags(values)
    if (values.file !== undefined && (connect.transport || connect.username))
      throw new UsageError('--file reads no network: leave out --username and the TLS/proxy flags')
    let maxBytes = DEFAULT_MAX_BYTES
    if (values['max-bytes'] !== undefined) {
      maxBytes = Number(values['max-bytes'])
      if (!Number.isInteger(maxBytes) || maxBytes < 1024)
        throw new UsageError('--max-bytes wants a whole number of bytes, at least 1024')
    }
    const rules = typeof values.rules === 'string' ? await readRules(values.rules) : undefined
    // Asked before the deadline starts: a person typing is not the cluster being slow.
    const password = connect.username ? await passwordFor(connect.username, io) : undefined
    if (connect.tls.insecure)
      io.err(
        `scale-tray check: WARNING: --insecure: the server's TLS certificate is NOT verified; credentials sent to ${positionals[0] ?? 'it'} can be read by anyone on the path\n`
      )

    // A plugin must never outlive its deadline: if anything hangs past timeout + 0.9 s, say so and go.
    guard = setTimeout(() => {
      io.out(
        values.json
          ? `${JSON.stringify({ level: 'unknown', exitCode: 3, summary: 'check did not finish in time', findings: [], version: null, url: positionals[0] ?? null, checkedAt: new Date().toISOString(), durationMs: timeoutMs + 900, httpStatus: null, metrics: {} })}\n`
          : `SCALE UNKNOWN - check did not finish within ${timeoutMs / 1000 + 0.9} s\n`
      )
      io.exit(3)
    }, timeoutMs + 900)
    guard.unref()

    let outcome: ReadOutcome
    let evaluation: Evaluation
    const evalOpts = { overrides: rules?.overrides, maxSkewMs: rules?.maxSkewMs, timeoutMs }
    if (values.file !== undefined) {
      const path = values.file as string
      let text: string
      try {
        text =
          path === '-'
            ? decodeBody(await io.readStdin(maxBytes), undefined, maxBytes)
            : decodeBody(await readSmallFile(path, maxBytes), undefined, maxBytes)
      } catch (err) {
        throw new InputError(`cannot read --file ${path}: ${fileError(err)}`)
      }
      outcome = outcomeFromText(text, path === '-' ? '(stdin)' : path, Date.now())
      if (outcome.kind === 'ok') {
        // A saved document's age says nothing about the cluster now: skip the clock rule, say so.
        evaluation = evaluateStatus(outcome.status, { ...evalOpts, now: null })
        const note: Finding = {
          id: 'status.from-file',
          severity: 'info',
          title: 'Judged from a saved document',
          message: `Status dated ${outcome.status.timestamp}; its age was not checked.`
        }
        evaluation.findings.push(note)
      } else evaluation = evaluate(outcome, evalOpts)
    } else {
      const url = positionals[0] as string
      const started = Date.now()
      const cluster = makeCluster({
        id: 'check',
        name: 'check',
        url,
        tls: connect.tls,
        ...(connect.proxy ? { proxy: connect.proxy } : {})
      })
      // Only SCALE_CERT_PASSPHRASE (no per-cluster name here); tokens come from the flags.
      const transport = await buildTransport(cluster, {
        secrets: new EnvSecretStore(() => undefined, io.env),
        env: io.env
      })
      try {
        const base = { url, version: null, durationMs: 0, at: Date.now(), notes: transport.notes }
        if (transport.blocked) {
          outcome = { ...base, kind: 'failure', failure: transport.blocked }
        } else {
          let loginFailed: ReadOutcome | undefined
          if (connect.username && password !== undefined) {
            const r = await login({
              url,
              username: connect.username,
              password,
              dispatcher: transport.dispatcher,
              route: transport.route,
              timeoutMs
            })
            if (r.ok) auth = { kind: 'token', secret: r.token }
            else loginFailed = { ...base, at: Date.now(), kind: 'failure', failure: r.failure }
          }
          // Login and read share the one deadline.
          outcome =
            loginFailed ??
            (await readCluster({
              url,
              api,
              timeoutMs: Math.max(200, timeoutMs - (Date.now() - started)),
              maxBytes,
              auth,
              dispatcher: transport.dispatcher,
              route: transport.route,
              notes: transport.notes
            }))
        }
      } finally {
        await transport.dispatcher.destroy()
      }
      evaluation = evaluate(outcome, evalOpts)
    }
    clearTimeout(guard)
    await closeDefaultDispatcher()

    if (values.json) {
      io.out(
        `${JSON.stringify({
          level: evaluation.level,
          exitCode: EXIT_CODES[evaluation.level],
          summary: evaluation.summary,
          findings: evaluation.findings,
          version: outcome.version,
          url: outcome.url,
          checkedAt: new Date(outcome.at).toISOString(),
          durationMs: outcome.durationMs,
          httpStatus:
            outcome.kind === 'stale'
              ? outcome.httpStatus
              : outcome.kind === 'ok'
                ? 200
                : (outcome.failure.httpStatus ?? null),
          metrics: evaluation.metrics
        })}\n`
      )
    } else {
      const footer = `${outcome.version ? `Scale ${outcome.version} at ` : ''}${outcome.url}${outcome.durationMs ? ` (${outcome.durationMs} ms)` : ''}`
      io.out(nagiosText(evaluation, footer))
    }
    return EXIT_CODES[evaluation.level]
  } catch (err) {
    clearTimeout(guard)
    if (err instanceof InputError) {
      io.err(`scale-tray check: ${err.message}\n`)
      return 3
    }
    if (err instanceof UsageError) {
      io.err(`scale-tray check: ${err.message}\n\n${CHECK_USAGE}`)
      return 3
    }
    throw err
  }
}
