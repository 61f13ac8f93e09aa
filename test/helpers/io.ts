// Test helper: an in-memory `Io` for running CLI commands in-process.
import type { Io } from '../../main/cli/common.ts'

/** Thrown by the fake `exit`, so a command that tries to leave the process is caught in the act. */
export class ExitCalled extends Error {
  readonly code: number
  constructor(code: number) {
    super(`exit(${code})`)
    this.code = code
  }
}

export interface FakeIo {
  io: Io
  stdout: () => string
  stderr: () => string
  /** Codes passed to `exit`, in order. */
  exits: number[]
}

export function fakeIo(
  opts: { stdin?: string; env?: Record<string, string>; exitThrows?: boolean } = {}
): FakeIo {
  const out: string[] = []
  const err: string[] = []
  const exits: number[] = []
  const throwing = opts.exitThrows ?? true
  const io: Io = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: opts.env ?? {},
    readStdin: () => Promise.resolve(Buffer.from(opts.stdin ?? '')),
    exit: (code: number): never => {
      exits.push(code)
      if (throwing) throw new ExitCalled(code)
      // Recording only: lets a test observe a late exit without an uncaught exception.
      return undefined as never
    }
  }
  return { io, stdout: () => out.join(''), stderr: () => err.join(''), exits }
}
