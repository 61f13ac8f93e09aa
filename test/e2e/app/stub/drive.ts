// Driven by bundle.test.ts: register the `electron` stand-in, start the built shell, use it the
// way the page and the OS would (IPC, the app:// protocol, sleep, quit), and report as `STUB` lines.
import { register } from 'node:module'

register(new URL('./hooks.ts', import.meta.url))
const main = process.argv[2]
if (!main) throw new Error('usage: drive.ts dist/electron/main.js')
await import(main)
const stub = await import('./electron.ts')
const ready = Date.now()
while (!stub.ipcMain.handlers.has('app:snapshot') && Date.now() - ready < 10_000)
  await new Promise((r) => setTimeout(r, 50))
await new Promise((r) => setTimeout(r, 300))
stub.report('ipc.channels', [...stub.ipcMain.handlers.keys()])
stub.report('ipc.listeners', stub.ipcMain.eventNames())
const app = { senderFrame: { url: 'app://bundle/index.html', parent: null }, sender: {} }
const snapshot = stub.ipcMain.handlers.get('app:snapshot')
stub.report('ipc.snapshot', await snapshot?.(app))
try {
  await snapshot?.({ senderFrame: { url: 'https://evil.example/', parent: null }, sender: {} })
  stub.report('ipc.foreign', 'answered')
} catch (err) {
  stub.report('ipc.foreign', (err as Error).message)
}
const serve = stub.session.defaultSession.appProtocol
for (const url of ['app://bundle/', 'app://bundle/..%2fpackage.json']) {
  const r = await serve?.(new Request(url))
  stub.report('protocol', {
    url,
    status: r?.status,
    csp: r?.headers.get('content-security-policy')
  })
}
stub.powerMonitor.emit('suspend')
stub.report(
  'suspended',
  ((await snapshot?.(app)) as { tray: { suspended: boolean } }).tray.suspended
)
stub.app.quit()
