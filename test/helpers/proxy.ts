// Test helper: a tiny forward proxy on 127.0.0.1 — CONNECT tunnels (https targets) and
// absolute-form forwarding (http targets) — that counts what went through it, so a test can
// prove the traffic took the proxy. It can refuse (403), demand credentials (407), and map host
// names to loopback (a `.test` name the machine cannot resolve still reaches the simulator).
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'
import { listenOnLoopback } from './http.ts'

export interface TestProxy {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  /** CONNECT requests answered 200, by `host:port` as asked. */
  tunnels: string[]
  /** Plain-http requests forwarded, by absolute URL. */
  forwarded: string[]
  /** Every CONNECT / forward request seen, answered or not. */
  seen: string[]
  close(): Promise<void>
}

export interface TestProxyOptions {
  /** Answer every request with 403. */
  deny?: boolean
  /** Demand `Proxy-Authorization: Basic base64(user:pass)`; 407 otherwise. */
  auth?: { user: string; pass: string }
  /** Where a host really is; default: as asked. */
  mapHost?: (host: string) => string
}

export async function startTestProxy(o: TestProxyOptions = {}): Promise<TestProxy> {
  const tunnels: string[] = []
  const forwarded: string[] = []
  const seen: string[] = []
  const sockets = new Set<Socket>()
  const map = o.mapHost ?? ((h: string) => h)
  const allowed = (req: IncomingMessage): 'ok' | 403 | 407 => {
    if (o.deny) return 403
    if (o.auth) {
      const want = `Basic ${Buffer.from(`${o.auth.user}:${o.auth.pass}`).toString('base64')}`
      if (req.headers['proxy-authorization'] !== want) return 407
    }
    return 'ok'
  }
  const server = createServer((req, res) => {
    const target = req.url ?? ''
    seen.push(target)
    const verdict = allowed(req)
    if (verdict !== 'ok') {
      res.writeHead(verdict, verdict === 407 ? { 'proxy-authenticate': 'Basic realm="test"' } : {})
      res.end(verdict === 407 ? 'proxy auth required' : 'forbidden by proxy')
      return
    }
    let u: URL
    try {
      u = new URL(target)
    } catch {
      res.writeHead(400)
      res.end('absolute URL required')
      return
    }
    forwarded.push(target)
    const up = httpRequest(
      {
        host: map(u.hostname),
        port: Number(u.port) || 80,
        path: `${u.pathname}${u.search}`,
        method: req.method,
        headers: { ...req.headers, host: u.host }
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers)
        upRes.pipe(res)
      }
    )
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end('bad gateway')
    })
    req.pipe(up)
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? ''
    seen.push(target)
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => {
      // The client hung up mid-tunnel: nothing to answer.
    })
    const verdict = allowed(req)
    if (verdict !== 'ok') {
      client.end(
        verdict === 407
          ? 'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
          : 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'
      )
      return
    }
    const i = target.lastIndexOf(':')
    const host = target.slice(0, i).replace(/^\[(.+)\]$/, '$1')
    const port = Number(target.slice(i + 1))
    let open = false
    const upstream = connect({ host: map(host), port }, () => {
      open = true
      tunnels.push(target)
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => {
      if (open) client.destroy()
      else if (!client.destroyed)
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n')
    })
  })
  const listening = await listenOnLoopback(server)
  return {
    url: `http://127.0.0.1:${listening.port}`,
    port: listening.port,
    tunnels,
    forwarded,
    seen,
    close: () => {
      // The tunnels' upstream sides are ours too; the helper closes the accepted connections.
      for (const s of sockets) s.destroy()
      return listening.close()
    }
  }
}
