// Test helper: a tiny loopback HTTP server that records what it was sent, for transport edge cases
// the simulator does not play (header echo, declared-too-large bodies, resets).
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface Recorded {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

export interface TinyServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  port: number
  requests: Recorded[]
  close: () => Promise<void>
}

/**
 * Listen on a free loopback port; `close` destroys open connections first (a keep-alive client
 * would otherwise hold `server.close` open).
 */
export async function listenOnLoopback(
  server: Server
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

export async function startTinyServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void
): Promise<TinyServer> {
  const requests: Recorded[] = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    handle(req, res)
  })
  const { port, close } = await listenOnLoopback(server)
  return { origin: `http://127.0.0.1:${port}`, port, requests, close }
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = await startTinyServer((_req, res) => res.end())
  await s.close()
  return s.port
}
