// Electron-free: `scale-tray <command>`, the headless faces of Scale Tray.
// Each command is loaded on demand: a Nagios check should not pay for compiling the server.
import type { Io } from './common.ts'

export const USAGE = `Usage: scale-tray <command> [options]

Commands:
  check     one-shot check of a cluster, as a Nagios/Icinga plugin (exit 0/1/2/3)
  watch     the monitor headless: poll clusters, print level changes and notifications
  serve     the dashboard in a browser (loopback, with an access token)
  sim       a Scale simulator for demos and tests
  settings  export the settings without secrets, or import an export

Run "scale-tray <command> --help" for a command's options.
`

/** Dispatch a command line; resolves to the process exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv
  switch (cmd) {
    case 'check':
      return (await import('./check.ts')).runCheck(rest, io)
    case 'sim':
      return (await import('./sim.ts')).runSim(rest, io)
    case 'watch':
      return (await import('./watch.ts')).runWatch(rest, io)
    case 'serve':
      return (await import('./serve.ts')).runServe(rest, io)
    case 'settings':
      return (await import('./settings.ts')).runSettings(rest, io)
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.out(USAGE)
      return cmd === undefined ? 3 : 0
    default:
      io.err(`scale-tray: unknown command "${cmd}"\n\n${USAGE}`)
      return 3
  }
}
