// Test helper: runs `bin/scale-tray.mjs` as a real child process, the way Nagios would.
import { spawn } from 'node:child_process'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (where `bin/scale-tray.mjs` lives). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface CliResult {
  /** Exit code, or null when the process was killed. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Wall time from spawn to exit. */
  ms: number
}

export interface CliOptions {
  /** Written to the child's stdin, which is then closed (closed at once when absent). */
  stdin?: string
  /** Extra environment variables. */
  env?: Record<string, string>
  /** Kill the child (SIGKILL) if it is still running after this long; a hung CLI must not hang the suite. */
  killAfterMs?: number
}

/** A copy of this process's environment without SCALE_* credentials, with this Node first on PATH. */
function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('SCALE_')) env[k] = v
  }
  env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`
  return { ...env, ...extra }
}

/** Run `scale-tray <args>` with the Node running the tests (Node 22). */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const started = performance.now()
  const child = spawn(process.execPath, ['bin/scale-tray.mjs', ...args], {
    cwd: REPO_ROOT,
    env: childEnv(opts.env),
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin.on('error', () => {
    // The CLI may exit before reading stdin (a usage error); EPIPE then is expected.
  })
  child.stdin.end(opts.stdin ?? '')
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 15_000)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(killer)
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started })
    })
  })
}
