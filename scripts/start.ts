// `npm start`: the tray app from this checkout (after `npm run build`). Without an Electron
// binary — it downloads from GitHub at install time, which some networks block — say so and
// what to use instead, rather than failing with electron's own stack trace.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { findElectron } from './electron-binary.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const electron = findElectron(root)
if (!('path' in electron)) {
  console.error(`scale-tray: cannot start the tray app: ${electron.reason}.`)
  console.error(
    'Meanwhile the same dashboard runs in a browser: npm run demo, or npx scale-tray serve --config FILE.'
  )
  process.exit(1)
}
const app = spawn(electron.path, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => app.kill(sig))
app.on('exit', (code) => process.exit(code ?? 0))
