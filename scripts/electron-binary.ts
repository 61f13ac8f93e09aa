// Where the Electron executable is, found the way `require('electron')` finds it — without
// requiring it, which would try to download the binary. For `npm run demo` and test/e2e/app.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export type ElectronBinary = { path: string } | { reason: string }

export function findElectron(root: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pkg = join(root, 'node_modules/electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) {
    return {
      reason:
        'no Electron binary: node_modules/electron/path.txt is missing (electron downloads its binary from GitHub at install, which this machine cannot reach; run "npx install-electron" where it can)'
    }
  }
  const exe = join(
    env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist'),
    readFileSync(pathFile, 'utf8').trim()
  )
  return existsSync(exe)
    ? { path: exe }
    : {
        reason: `no Electron binary: ${exe} is missing (node_modules/electron/path.txt names it; reinstall electron)`
      }
}
