// Electron-free: what every `scale-tray` subcommand shares — I/O, usage errors, auth flags.
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import type { Auth } from '../core/scale/auth.ts'
import { Overrides } from '../core/health/overrides.ts'

/** Where a command writes; tests pass their own. */
export interface Io {
  out: (text: string) => void
  err: (text: string) => void
  env: Record<string, string | undefined>
  readStdin: () => Promise<string>
  /** Leave at once (a plugin past its deadline); tests make it throw instead. */
  exit: (code: number) => never
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  env: process.env,
  readStdin: async () => {
    const chunks: Buffer[] = []
    for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c)
    return Buffer.concat(chunks).toString('utf8')
  },
  exit: (code) => process.exit(code)
}

/** A mistake in how the command was called: printed with the usage, exit 3 (Nagios UNKNOWN). */
export class UsageError extends Error {}

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

/** The credentials the flags (or, failing them, the environment) ask for. */
export function authFromFlags(values: Record<string, unknown>, env: Io['env']): Auth {
  const given = (['token', 'bearer', 'basic', 'dcos-token'] as const).filter(
    (k) => typeof values[k] === 'string'
  )
  if (given.length > 1)
    throw new UsageError(
      `give only one of --token, --bearer, --basic, --dcos-token (got ${given.map((g) => `--${g}`).join(', ')})`
    )
  const pick = (flag: string, envName: string): string | undefined => {
    const v = values[flag]
    if (typeof v === 'string') {
      if (!v.trim()) throw new UsageError(`--${flag} is empty`)
      return v.trim()
    }
    const e = env[envName]
    return e && e.trim() ? e.trim() : undefined
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
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new UsageError(
      `cannot read --rules ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`
    )
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
