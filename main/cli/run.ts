// Electron-free: the process entry of the `scale-tray` command (see bin/scale-tray.mjs).
import { main } from './index.ts'
import { processIo } from './common.ts'

// A reader that stops early (`scale-tray settings export | head`) closes the pipe: leave quietly,
// as command-line tools do, instead of dying on an unhandled EPIPE with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0)
  })
}

try {
  process.exitCode = await main(process.argv.slice(2), processIo)
} catch (err) {
  // A bug, not a user mistake: one clear line, the stack only when asked for.
  const e = err as Error
  process.stderr.write(`scale-tray: internal error: ${e.message}\n`)
  if (process.env.SCALE_TRAY_DEBUG) process.stderr.write(`${e.stack ?? ''}\n`)
  else process.stderr.write('Set SCALE_TRAY_DEBUG=1 for details, and report it with that output.\n')
  process.exitCode = 3
}
