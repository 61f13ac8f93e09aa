// Electron-free: what every `scale-tray` subcommand shares — I/O, usage errors, auth flags.
import { readSmallFile, FileRefused } from '../core/files.ts'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { resolve as resolvePath } from 'node:path'
import { z } from 'zod'
import type { Auth } from '../core/scale/auth.ts'
import { Overrides } from '../core/health/overrides.ts'
import type { ClusterProxy, ClusterTls } from '../core/settings/schema.ts'
import { isProxyUrl, normalizeProxyUri } from '../core/scale/transport.ts'

/** Where a command writes; tests pass their own. */
export interface Io {
  out: (text: string) => void
  err: (text: string) => void
  env: Record<string, string | undefined>
  /** Standard input, all of it; refused (a FileRefused, EFBIG) past `maxBytes`. */
  readStdin: (maxBytes: number) => Promise<Buffer>
  /** Leave at once (a plugin past its deadline); tests make it throw instead. */
  exit: (code: number) => never
  /** Ask for a secret without echoing it; absent when there is no terminal to ask on. */
  promptSecret?: (question: string) => Promise<string>
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  env: process.env,
  readStdin: async (maxBytes) => {
    const chunks: Buffer[] = []
    let size = 0
    for await (const c of process.stdin as AsyncIterable<Buffer>) {
      size += c.length
      if (size > maxBytes) {
        process.stdin.destroy()
        throw new FileRefused(
          'EFBIG',
          `standard input is more than the ${(maxBytes / 1048576).toFixed(1)} MiB it can be`
        )
      }
      chunks.push(c)
    }
    return Buffer.concat(chunks)
  },
  exit: (code) => process.exit(code),
  ...(process.stdin.isTTY && process.stderr.isTTY ? { promptSecret: promptHidden } : {})
}

/** Read a line from the terminal without echo (raw mode); Ctrl-C or Ctrl-D gives up. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(question)
  return new Promise((resolve, reject) => {
    let value = ''
    const done = (err?: Error): void => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (err) reject(err)
      else resolve(value)
    }
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done()
        if (ch === '\u0003' || ch === '\u0004') return done(new UsageError('no password given'))
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else if (ch >= ' ') value += ch
      }
    }
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onData)
  })
}

/** A mistake in how the command was called: printed with the usage, exit 3 (Nagios UNKNOWN). */
export class UsageError extends Error {}

/** A file named on the command line that cannot be used: one line says why, no usage. */
export class InputError extends UsageError {}

/** Why a file could not be read, in words. */
/** A `--config` value that cannot name a settings file: empty, or a folder (a trailing slash). */
export function checkConfigArg(config: string | undefined): void {
  if (config === undefined) return
  if (config.trim() === '')
    throw new UsageError('--config needs a file name (it was given an empty one)')
  if (/[/\\]$/.test(config))
    throw new UsageError(
      `--config ${config} names a folder; give the settings file in it, e.g. ${config}settings.json`
    )
}

export function fileError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  if (err instanceof FileRefused) return err.message
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'it is a folder, not a file'
  return code ?? String(err)
}

export const AUTH_OPTIONS = {
  token: { type: 'string' },
  bearer: { type: 'string' },
  basic: { type: 'string' },
  'dcos-token': { type: 'string' }
} as const

export const AUTH_USAGE = `Credentials (at most one; environment variables keep them out of the process list):
  --token T          Scale token: Authorization: Token T            (or SCALE_TOKEN)
  --bearer T         Authorization: Bearer T, e.g. "geoaxis <token>" (or SCALE_BEARER)
  --basic USER:PASS  HTTP Basic, Scale 6.x and older               (or SCALE_BASIC)
  --dcos-token T     DC/OS Admin Router: Authorization: token=T     (or SCALE_DCOS_TOKEN)`

export const CONNECT_OPTIONS = {
  username: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  pfx: { type: 'string' },
  insecure: { type: 'boolean' },
  proxy: { type: 'string' }
} as const

export const CONNECT_USAGE = `Logging in (instead of a token):
  --username U       log in as U (POST <base>/api-token-auth/) and use the token it returns;
                     the password comes from SCALE_PASSWORD, or is asked for on a terminal
TLS and proxies:
  --ca FILE          PEM bundle of CA certificates to trust besides the system's
  --cert FILE --key FILE   client certificate and key (PEM)
  --pfx FILE         client certificate as PKCS#12; passphrase from SCALE_CERT_PASSPHRASE
  --insecure         do NOT verify the server's certificate (this cluster only; always reported)
  --proxy URL|none   proxy for this cluster (default: HTTPS_PROXY / HTTP_PROXY / NO_PROXY)`

/** The connection flags, checked: TLS and proxy settings for a cluster, and a login user. */
export interface ConnectFlags {
  username?: string
  tls: Partial<ClusterTls>
  proxy?: ClusterProxy
  /** Any TLS or proxy flag was given. */
  transport: boolean
}

/** `--ca/--cert/--key/--pfx/--insecure/--proxy/--username`, checked for sense (paths made absolute). */
export function connectFromFlags(values: Record<string, unknown>): ConnectFlags {
  const str = (k: string): string | undefined => {
    const v = values[k]
    if (typeof v !== 'string') return undefined
    if (!v.trim()) throw new UsageError(`--${k} is empty`)
    return v.trim()
  }
  const tls: Partial<ClusterTls> = {}
  const ca = str('ca')
  const cert = str('cert')
  const key = str('key')
  const pfx = str('pfx')
  if (pfx && (cert || key)) throw new UsageError('give --pfx, or --cert and --key, not both')
  if (key && !cert) throw new UsageError('--key needs --cert (the certificate it belongs to)')
  if (ca) tls.caFile = resolvePath(ca)
  if (cert) tls.certFile = resolvePath(cert)
  if (key) tls.keyFile = resolvePath(key)
  if (pfx) tls.pfxFile = resolvePath(pfx)
  if (values.insecure === true) tls.insecure = true
  let proxy: ClusterProxy | undefined
  const p = str('proxy')
  if (p === 'none' || p === 'direct') proxy = { mode: 'none' }
  else if (p === 'system') proxy = { mode: 'system' }
  else if (p) {
    const uri = normalizeProxyUri(p)
    if (!isProxyUrl(uri))
      throw new UsageError(`--proxy wants http://host:port, or none (got "${p}")`)
    proxy = { mode: 'explicit', url: uri }
  }
  const username = str('username')
  const given = ['token', 'bearer', 'basic', 'dcos-token'].filter((k) => values[k] !== undefined)
  if (username && given.length > 0)
    throw new UsageError(`give --username or ${given.map((g) => `--${g}`).join(', ')}, not both`)
  return {
    ...(username ? { username } : {}),
    tls,
    ...(proxy ? { proxy } : {}),
    transport: Object.keys(tls).length > 0 || proxy !== undefined
  }
}

/** The password for `--username`: SCALE_PASSWORD, else a hidden prompt on a terminal. */
export async function passwordFor(username: string, io: Io): Promise<string> {
  const env = io.env.SCALE_PASSWORD
  if (env) return env
  if (!io.promptSecret)
    throw new UsageError(
      `--username ${username} needs a password: set SCALE_PASSWORD or run in a terminal`
    )
  const pw = await io.promptSecret(`Password for ${username}: `)
  if (!pw) throw new UsageError('no password given')
  return pw
}

/** The credentials the flags (or, failing them, the environment) ask for. */
export function authFromFlags(values: Record<string, unknown>, env: Io['env']): Auth {
  const given = (['token', 'bearer', 'basic', 'dcos-token'] as const).filter(
    (k) => typeof values[k] === 'string'
  )
  if (given.length > 1)
    throw new UsageError(
      `give only one of --token, --bearer, --basic, --dcos-token (got ${given.map((g) => `--${g}`).join(', ')})`
    )
  // A header value cannot hold a line break or another control character (a pasted token
  // with a newline would otherwise fail later as a baffling network error).
  const usable = (v: string, where: string): string => {
    // eslint-disable-next-line no-control-regex -- a control character is what we refuse
    if (/[\u0000-\u001f\u007f]/.test(v))
      throw new UsageError(
        `${where} contains a line break or another control character; paste the credential alone`
      )
    return v
  }
  const pick = (flag: string, envName: string): string | undefined => {
    const v = values[flag]
    if (typeof v === 'string') {
      if (!v.trim()) throw new UsageError(`--${flag} is empty`)
      return usable(v.trim(), `--${flag}`)
    }
    const e = env[envName]
    return e && e.trim() ? usable(e.trim(), envName) : undefined
  }
  const basic = (v: string): Auth => {
    const i = v.indexOf(':')
    if (i <= 0) throw new UsageError('--basic wants USER:PASS')
    return { kind: 'basic', username: v.slice(0, i), secret: v.slice(i + 1) }
  }
  if (given.length === 1) {
    const k = given[0]
    if (k === 'token') return { kind: 'token', secret: pick('token', '') as string }
    if (k === 'bearer') return { kind: 'bearer', secret: pick('bearer', '') as string }
    if (k === 'dcos-token') return { kind: 'dcos', secret: pick('dcos-token', '') as string }
    return basic(pick('basic', '') as string)
  }
  const t = pick('', 'SCALE_TOKEN')
  if (t) return { kind: 'token', secret: t }
  const b = pick('', 'SCALE_BEARER')
  if (b) return { kind: 'bearer', secret: b }
  const d = pick('', 'SCALE_DCOS_TOKEN')
  if (d) return { kind: 'dcos', secret: d }
  const ba = pick('', 'SCALE_BASIC')
  if (ba) return basic(ba)
  return { kind: 'none' }
}

/** Seconds as given on the command line → ms, with a clear error. */
export function seconds(flag: string, v: unknown, min = 0.1, max = 3600): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (typeof v !== 'string' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(
      `--${flag} wants a number of seconds between ${min} and ${max} (got "${typeof v === 'string' ? v : typeof v}")`
    )
  }
  return Math.round(n * 1000)
}

export function apiVersion(v: unknown): 'v6' | 'v7' {
  if (v === undefined) return 'v6'
  if (v === 'v6' || v === 'v7') return v
  throw new UsageError(`--api wants v6 or v7 (got "${typeof v === 'string' ? v : typeof v}")`)
}

const RulesFile = z.union([
  z.strictObject({ overrides: Overrides, maxSkewMinutes: z.number().positive().optional() }),
  Overrides
])

/** `--rules FILE`: `{ "overrides": {id: severity}, "maxSkewMinutes": 5 }` or just the overrides map. */
export async function readRules(
  path: string
): Promise<{ overrides: Overrides; maxSkewMs?: number }> {
  let text: string
  try {
    text = (await readSmallFile(path, 1024 * 1024)).toString('utf8').replace(/^\uFEFF/, '')
  } catch (err) {
    throw new InputError(`cannot read --rules ${path}: ${fileError(err)}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new UsageError(`--rules ${path} is not valid JSON: ${(err as Error).message}`)
  }
  const r = RulesFile.safeParse(json)
  if (!r.success) {
    throw new UsageError(
      `--rules ${path}: expected {"overrides": {"<finding id or prefix>": "ignore|info|warning|critical"}}; ${r.error.issues[0]?.message ?? ''}`
    )
  }
  if ('overrides' in r.data && typeof r.data.overrides === 'object') {
    const d = r.data as { overrides: Overrides; maxSkewMinutes?: number }
    return {
      overrides: d.overrides,
      ...(d.maxSkewMinutes ? { maxSkewMs: d.maxSkewMinutes * 60_000 } : {})
    }
  }
  return { overrides: r.data as Overrides }
}

/**
 * Parse a subcommand's arguments. Returns them, or the exit code when there is nothing more to
 * do: 0 after printing the usage for --help, 3 (with the usage on stderr) for a bad argument.
 */
export function parseCommand(
  command: string,
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  usage: string,
  io: Io
): { values: Record<string, string | boolean | undefined>; positionals: string[] } | number {
  let parsed: {
    values: Record<string, string | boolean | (string | boolean)[] | undefined>
    positionals: string[]
  }
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } }
    })
  } catch (err) {
    io.err(`scale-tray ${command}: ${(err as Error).message}\n\n${usage}`)
    return 3
  }
  if (parsed.values.help) {
    io.out(usage)
    return 0
  }
  return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] }
}

/** Resolve on Ctrl-C, SIGTERM or `signal` (long-running commands end cleanly on any of them). */
export function waitForStop(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    signal?.addEventListener('abort', stop, { once: true })
  })
}
