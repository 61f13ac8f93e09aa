// `npm run demo`: Scale Tray against a simulated fleet, no real cluster needed.
//
// Starts the simulator with clusters in different states (healthy, degraded, a dependency down,
// paused, 3,000 nodes, a 5.x release, one that needs a token, one whose story changes every
// minute), writes a throwaway settings file for them, and runs the dashboard (`serve`), printing
// its URL. Where an Electron binary is installed it runs the tray app instead, on the same
// throwaway settings (its own userData folder: your real settings are not touched); `--serve`
// forces the dashboard.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { execFileSync, spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSim, DEFAULT_SIM_TOKEN } from '../main/sim/server.ts'
import { runServe, DEFAULT_RENDERER_DIR } from '../main/cli/serve.ts'
import { processIo } from '../main/cli/common.ts'
import { secretRef } from '../main/core/settings/secrets.ts'
import { SETTINGS_VERSION } from '../main/core/settings/schema.ts'
import { findElectron } from './electron-binary.ts'

if (!existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) {
  console.error(
    'The dashboard is not built yet: run "npm run build:renderer" (npm run demo does it for you).'
  )
  process.exit(1)
}

const sim = await startSim({ port: 0 })
const fleet = [
  { key: 'production', name: 'Production', scenario: 'healthy', nodes: 40, color: '#2563eb' },
  { key: 'imagery-east', name: 'Imagery East', scenario: 'degraded', nodes: 60 },
  { key: 'imagery-west', name: 'Imagery West', scenario: 'dependency-down', nodes: 24 },
  { key: 'staging', name: 'Staging', scenario: 'healthy', nodes: 8, color: '#9333ea' },
  { key: 'maintenance', name: 'Maintenance', scenario: 'paused', nodes: 12 },
  { key: 'analytics', name: 'Analytics (3,000 nodes)', scenario: 'big', nodes: 3000 },
  { key: 'legacy', name: 'Legacy 5.9', scenario: 'legacy-5x', nodes: 10 },
  { key: 'secure', name: 'Secure enclave', scenario: 'auth-required', nodes: 16, token: true },
  { key: 'new-site', name: 'New site (no token yet)', scenario: 'auth-required', nodes: 4 }
] as const
for (const c of fleet) sim.setCluster(c.key, { scenario: c.scenario, nodes: c.nodes })

// A throwaway folder for this run's settings, secrets and history, removed when the demo ends.
const dir = await mkdtemp(join(tmpdir(), 'scale-tray-demo-'))
const clusters = fleet.map((c) => ({
  id: `demo-${c.key}`,
  name: c.name,
  url: sim.urlFor(c.key),
  intervalSec: 5,
  ...('color' in c ? { color: c.color } : {}),
  auth:
    'token' in c
      ? { kind: 'token', secretRef: secretRef(`demo-${c.key}`) }
      : { kind: c.scenario === 'auth-required' ? 'token' : 'none' }
}))
await writeFile(
  join(dir, 'settings.json'),
  JSON.stringify({ version: SETTINGS_VERSION, clusters }, null, 2)
)
await writeFile(
  join(dir, 'secrets.json'),
  JSON.stringify({ version: 1, secrets: { [secretRef('demo-secure')]: DEFAULT_SIM_TOKEN } }),
  { mode: 0o600 }
)

// Staging has a story: every minute it loses RabbitMQ, then gets it back — watch the tray
// level, the notification and the history follow.
let down = false
const story = setInterval(() => {
  down = !down
  sim.setCluster('staging', { scenario: down ? 'dependency-down' : 'healthy', nodes: 8 })
  console.error(
    `demo: Staging is now ${down ? 'losing RabbitMQ (critical in ~10 s)' : 'recovering'}`
  )
}, 60_000)

console.error(`demo: simulator at ${sim.origin} (scenarios listed at ${sim.origin}/_sim/)`)
console.error(
  `demo: settings in ${join(dir, 'settings.json')}; Staging fails and recovers every minute`
)
const root = join(import.meta.dirname, '..')
const electron = process.argv.includes('--serve') ? { reason: '--serve given' } : findElectron(root)
if ('path' in electron) {
  // The tray app: its bundles built, its userData the demo folder (settings.json, secrets.json).
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '-c',
      'vite.electron.config.ts',
      '--logLevel',
      'warn'
    ],
    { cwd: root, stdio: 'inherit' }
  )
  console.error('demo: starting the tray app (quit it from the tray menu to end the demo)')
  const app = spawn(electron.path, [root], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SCALE_TRAY_USER_DATA: dir }
  })
  const exit = await new Promise<number>((resolve) => app.on('exit', (c) => resolve(c ?? 0)))
  clearInterval(story)
  await sim.close()
  await rm(dir, { recursive: true, force: true })
  process.exit(exit)
}
console.error(`demo: the dashboard in a browser (${electron.reason})`)
const port = process.env.PORT ?? '8643'
let code = await runServe(['--config', join(dir, 'settings.json'), '--port', port], processIo)
if (code === 3 && port === '8643') {
  console.error('demo: port 8643 is busy, using a free one')
  code = await runServe(['--config', join(dir, 'settings.json'), '--port', '0'], processIo)
}
clearInterval(story)
await sim.close()
await rm(dir, { recursive: true, force: true })
process.exit(code)
