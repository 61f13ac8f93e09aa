// The transport over real TLS on loopback: a test CA and certificates made with `openssl`, the
// simulator serving HTTPS (and demanding client certificates), and a tiny forward proxy that
// counts tunnels. Each option works, and each failure gives the finding that names its fix.
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { X509Certificate } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyError, readCluster } from '../../../main/core/scale/client.ts'
import {
  buildTransport,
  clientCertNotes,
  envProxyFor,
  noProxyMatches,
  parsePacResult,
  TransportCache,
  type TransportOptions
} from '../../../main/core/scale/transport.ts'
import { evaluate } from '../../../main/core/health/rules.ts'
import { makeReader } from '../../../main/core/monitor/reader.ts'
import { makeCluster, type ClusterConfigInput } from '../../../main/core/settings/schema.ts'
import { MemorySecretStore, secretRef } from '../../../main/core/settings/secrets.ts'
import type { Evaluation } from '../../../main/core/types.ts'
import { startSim, type RunningSim } from '../../../main/sim/server.ts'
import { makeTestPki, TEST_HOST, type TestPki } from '../../helpers/certs.ts'
import { startTestProxy, type TestProxy } from '../../helpers/proxy.ts'
import { closedPort } from '../../helpers/http.ts'

let pki: TestPki
const sims: Record<string, RunningSim> = {}
let proxy: TestProxy
const toLoopback = (h: string): string => (h.endsWith('.test') ? '127.0.0.1' : h)

beforeAll(async () => {
  pki = makeTestPki()
  const mtls = {
    key: pki.server.key,
    cert: pki.server.cert,
    ca: pki.ca.cert,
    requestCert: true,
    rejectUnauthorized: true
  }
  const [good, expired, wrongHost, selfSigned, clientTls13, clientTls12, plain] = await Promise.all(
    [
      startSim({ tls: { key: pki.server.key, cert: pki.server.cert } }),
      startSim({ tls: { key: pki.expiredServer.key, cert: pki.expiredServer.cert } }),
      startSim({ tls: { key: pki.wrongHost.key, cert: pki.wrongHost.cert } }),
      startSim({ tls: { key: pki.selfSigned.key, cert: pki.selfSigned.cert } }),
      startSim({ tls: mtls }),
      startSim({ tls: { ...mtls, maxVersion: 'TLSv1.2' } }),
      startSim({})
    ]
  )
  Object.assign(sims, { good, expired, wrongHost, selfSigned, clientTls13, clientTls12, plain })
  proxy = await startTestProxy({ mapHost: toLoopback })
})

afterAll(async () => {
  await Promise.all([...Object.values(sims).map((s) => s.close()), proxy.close()])
  pki.cleanup()
})

function cluster(url: string, extra: Partial<ClusterConfigInput> = {}) {
  return makeCluster({ id: 'x', name: 'x', url, ...extra })
}

/** Read `url` the way the monitor does, and judge it. */
async function check(
  url: string,
  extra: Partial<ClusterConfigInput> = {},
  o: Partial<TransportOptions> = {}
): Promise<Evaluation & { ids: string[] }> {
  const secrets = new MemorySecretStore({ [secretRef('x', 'passphrase')]: pki.pfxPassphrase })
  const cache = new TransportCache({ secrets, env: {}, ...o })
  try {
    const read = makeReader({ secrets, transportFor: (c) => cache.get(c) })
    const outcome = await read(cluster(url, extra), {
      signal: new AbortController().signal,
      skipVersion: true
    })
    const e = evaluate(outcome, { timeoutMs: 5000 })
    return { ...e, ids: e.findings.map((f) => f.id) }
  } finally {
    await cache.close()
  }
}

const ca = (): { caFile: string } => ({ caFile: pki.ca.certFile })

describe('server certificates', () => {
  it('an unknown issuer names the reason and the --ca fix; --ca makes it work', async () => {
    const bad = await check(sims.good!.url)
    expect(bad.level).toBe('unknown')
    expect(bad.ids).toEqual(['tls.unknown-issuer'])
    expect(bad.findings[0]?.fix).toMatch(/--ca FILE/)
    const good = await check(sims.good!.url, { tls: ca() })
    expect(good.level).toBe('ok')
    expect(good.findings).toEqual([])
  })

  it('adds the CA file to the system roots, PEM bundle or a single DER certificate', async () => {
    const bundle = join(pki.dir, 'bundle.pem')
    writeFileSync(bundle, `# our CAs\n${pki.otherCa.cert}\n${pki.ca.cert}`)
    expect((await check(sims.good!.url, { tls: { caFile: bundle } })).level).toBe('ok')
    const der = join(pki.dir, 'ca.der')
    writeFileSync(der, new X509Certificate(pki.ca.cert).raw)
    expect((await check(sims.good!.url, { tls: { caFile: der } })).level).toBe('ok')
  })

  it.each([
    ['expired', 'tls.expired', /renewed/],
    ['wrongHost', 'tls.hostname-mismatch', /host name/],
    ['selfSigned', 'tls.self-signed', /--ca FILE/]
  ])('%s → %s', async (name, id, fix) => {
    const e = await check(sims[name]!.url, { tls: ca() })
    expect(e.level).toBe('unknown')
    expect(e.ids).toEqual([id])
    expect(e.findings[0]?.fix).toMatch(fix)
  })

  it('https:// to a plain-http port says so', async () => {
    const e = await check(sims.plain!.url.replace('http:', 'https:'))
    expect(e.ids).toEqual(['tls.not-tls'])
  })

  it('a CA file that cannot be read or parsed is a finding naming the file, not an exception', async () => {
    const missing = join(pki.dir, 'nope.pem')
    const e = await check(sims.good!.url, { tls: { caFile: missing } })
    expect(e.ids).toEqual(['tls.unknown-issuer', 'config.ca-file'])
    expect(e.findings[1]?.message).toContain(missing)
    expect(e.findings[1]?.message).toMatch(/no such file/)
    const junk = join(pki.dir, 'junk.pem')
    writeFileSync(junk, 'this is not a certificate')
    const j = await check(sims.good!.url, { tls: { caFile: junk } })
    expect(j.findings[1]?.message).toMatch(/junk\.pem: it holds no certificate/)
    expect(j.level).toBe('unknown')
  })

  it('insecure reads the cluster but carries a permanent "TLS not verified" warning', async () => {
    const e = await check(sims.selfSigned!.url, { tls: { insecure: true } })
    expect(e.level).toBe('warning')
    expect(e.ids).toEqual(['tls.insecure'])
    expect(e.findings[0]?.title).toBe('TLS not verified')
    expect(e.summary).toBe('TLS not verified')
  })

  it('insecure is per cluster: another cluster on the same cache is still verified', async () => {
    const secrets = new MemorySecretStore()
    const cache = new TransportCache({ secrets, env: {} })
    const read = makeReader({ secrets, transportFor: (c) => cache.get(c) })
    const ctx = { signal: new AbortController().signal, skipVersion: true }
    const loose = makeCluster({
      id: 'loose',
      name: 'loose',
      url: sims.selfSigned!.url,
      tls: { insecure: true }
    })
    const strict = makeCluster({ id: 'strict', name: 'strict', url: sims.selfSigned!.url })
    const [a, b] = await Promise.all([read(loose, ctx), read(strict, ctx)])
    await cache.close()
    expect(a.kind).toBe('ok')
    expect(b.kind === 'failure' && b.failure.tlsReason).toBe('self-signed')
    // Nothing global was touched.
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined()
  })
})

describe('client certificates', () => {
  it('a TLS 1.3 server that demands one, given none: "requires a client certificate"', async () => {
    const e = await check(sims.clientTls13!.url, { tls: ca() })
    expect(e.ids).toEqual(['tls.client-cert-required'])
    expect(e.findings[0]?.fix).toMatch(/--cert FILE --key FILE, or --pfx FILE/)
  })

  it('a TLS 1.2 server that demands one, given none: a handshake failure that mentions them', async () => {
    const e = await check(sims.clientTls12!.url, { tls: ca() })
    expect(e.ids).toEqual(['tls.handshake'])
    expect(e.findings[0]?.fix).toMatch(/--cert FILE --key FILE or --pfx FILE/)
  })

  it('PEM cert + key works', async () => {
    const e = await check(sims.clientTls13!.url, {
      tls: { ...ca(), certFile: pki.client.certFile, keyFile: pki.client.keyFile }
    })
    expect(e.level).toBe('ok')
  })

  it('one PEM file holding both certificate and key works', async () => {
    const both = join(pki.dir, 'both.pem')
    writeFileSync(both, `${pki.client.cert}\n${pki.client.key}`)
    const e = await check(sims.clientTls13!.url, { tls: { ...ca(), certFile: both } })
    expect(e.level).toBe('ok')
  })

  it('PKCS#12 with its passphrase from the secret store works', async () => {
    const e = await check(sims.clientTls13!.url, { tls: { ...ca(), pfxFile: pki.clientPfxFile } })
    expect(e.level).toBe('ok')
  })

  it.each([
    ['TLS 1.3', 'clientTls13'],
    ['TLS 1.2', 'clientTls12']
  ])('%s: a certificate the server does not trust is "refused"', async (_v, sim) => {
    const e = await check(sims[sim]!.url, {
      tls: { ...ca(), certFile: pki.clientUntrusted.certFile, keyFile: pki.clientUntrusted.keyFile }
    })
    expect(e.ids).toEqual(['tls.client-cert-rejected'])
    expect(e.findings[0]?.title).toMatch(/TLS failed/)
    expect(e.findings[0]?.fix).toMatch(/refused the client certificate/)
  })

  it('an expired client certificate: refused by the server, and a critical finding of its own', async () => {
    const e = await check(sims.clientTls13!.url, {
      tls: { ...ca(), certFile: pki.clientExpired.certFile, keyFile: pki.clientExpired.keyFile }
    })
    expect(e.ids).toEqual(['tls.client-cert-rejected', 'tls.client-cert-expired'])
    expect(e.findings[1]?.severity).toBe('critical')
    expect(e.level).toBe('unknown') // could not read: Nagios UNKNOWN, the reason in the summary
    expect(e.summary).toMatch(/; Client certificate expired$/)
  })

  it('a client certificate expiring within 14 days is a warning, PEM or PKCS#12', async () => {
    for (const tls of [
      { certFile: pki.clientSoon.certFile, keyFile: pki.clientSoon.keyFile },
      { pfxFile: pki.clientSoon.pfxFile }
    ]) {
      const e = await check(sims.clientTls13!.url, { tls: { ...ca(), ...tls } })
      expect(e.level).toBe('warning')
      expect(e.ids).toEqual(['tls.client-cert-expiring'])
      expect(e.findings[0]?.title).toMatch(/^Client certificate expires in [45] days$/)
    }
  })

  it('expiry thresholds: 15 days nothing, 14 warning, expired critical', () => {
    const now = Date.UTC(2026, 0, 1)
    const c = (days: number) => ({
      subject: 'op',
      file: '/c.pem',
      validFrom: now - 86_400_000,
      validTo: now + days * 86_400_000
    })
    expect(clientCertNotes(c(15), now)).toEqual([])
    expect(clientCertNotes(c(14), now)[0]?.severity).toBe('warning')
    expect(clientCertNotes(c(-1), now)[0]?.severity).toBe('critical')
  })

  it('a wrong or missing passphrase, a key that does not match, an unreadable file: findings naming the file', async () => {
    const secrets = new MemorySecretStore({ [secretRef('x', 'passphrase')]: 'wrong' })
    const wrong = await buildTransport(
      cluster(sims.good!.url, { tls: { pfxFile: pki.clientPfxFile } }),
      { secrets, env: {} }
    )
    await wrong.dispatcher.destroy()
    expect(wrong.notes.map((n) => n.message)).toEqual([
      expect.stringMatching(/client\.p12: the passphrase is wrong/)
    ])
    expect(wrong.notes[0]?.fix).toMatch(/SCALE_CERT_PASSPHRASE/)
    expect(wrong.route.clientCert).toBe(false)

    const none = await buildTransport(
      cluster(sims.good!.url, { tls: { pfxFile: pki.clientPfxFile } }),
      { secrets: new MemorySecretStore(), env: {} }
    )
    await none.dispatcher.destroy()
    expect(none.notes[0]?.message).toMatch(/protected by a passphrase and none was given/)

    const mismatch = await buildTransport(
      cluster(sims.good!.url, {
        tls: { certFile: pki.client.certFile, keyFile: pki.clientSoon.keyFile }
      }),
      { secrets: new MemorySecretStore(), env: {} }
    )
    await mismatch.dispatcher.destroy()
    expect(mismatch.notes[0]?.message).toMatch(/the key does not belong to the certificate/)

    const gone = await buildTransport(
      cluster(sims.good!.url, {
        tls: { certFile: join(pki.dir, 'gone.pem'), keyFile: pki.client.keyFile }
      }),
      { secrets: new MemorySecretStore(), env: {} }
    )
    await gone.dispatcher.destroy()
    expect(gone.notes.map((n) => n.id)).toEqual(['config.client-cert'])
    expect(gone.notes[0]?.message).toMatch(/gone\.pem: no such file/)
  })

  it('classifies a hang-up before any answer as a refused client certificate only when one was offered', () => {
    const err = Object.assign(new Error('other side closed'), {
      code: 'UND_ERR_SOCKET',
      socket: { bytesRead: 0 }
    })
    expect(classifyError(err, false, { clientCert: true })).toMatchObject({
      kind: 'tls',
      tlsReason: 'client-cert-rejected'
    })
    expect(classifyError(err, false, {}).kind).toBe('reset')
  })
})

describe('proxies', () => {
  it('explicit: the request goes through the proxy (it counts the tunnel)', async () => {
    const before = proxy.tunnels.length
    const e = await check(sims.good!.url, {
      tls: ca(),
      proxy: { mode: 'explicit', url: proxy.url }
    })
    expect(e.level).toBe('ok')
    expect(proxy.tunnels.length).toBe(before + 1)
    expect(proxy.tunnels.at(-1)).toBe(new URL(sims.good!.url).host)
  })

  it('system: HTTPS_PROXY is honoured; NO_PROXY bypasses it', async () => {
    const port = new URL(sims.good!.url).port
    const url = `https://${TEST_HOST}:${port}/api`
    const before = proxy.tunnels.length
    const via = await check(url, { tls: ca() }, { env: { HTTPS_PROXY: proxy.url } })
    expect(via.level).toBe('ok')
    expect(proxy.tunnels.slice(before)).toEqual([`${TEST_HOST}:${port}`])
    // Bypassed, the .test name does not resolve: proof the proxy was not asked.
    const direct = await check(
      url,
      { tls: ca() },
      { env: { HTTPS_PROXY: proxy.url, NO_PROXY: '.tray.test' } }
    )
    expect(direct.ids).toEqual(['connection.dns'])
    expect(proxy.tunnels.length).toBe(before + 1)
  })

  it('system: loopback never goes through a proxy; mode none ignores HTTPS_PROXY', async () => {
    const before = proxy.seen.length
    const env = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }
    expect((await check(sims.good!.url, { tls: ca() }, { env })).level).toBe('ok')
    const port = new URL(sims.good!.url).port
    const none = await check(
      `https://${TEST_HOST}:${port}/api`,
      { tls: ca(), proxy: { mode: 'none' } },
      { env }
    )
    expect(none.ids).toEqual(['connection.dns'])
    expect(proxy.seen.length).toBe(before)
  })

  it('system in the app: the injected resolver (PAC answer) is used', async () => {
    const port = new URL(sims.good!.url).port
    const url = `https://${TEST_HOST}:${port}/api`
    const asked: string[] = []
    const before = proxy.tunnels.length
    const e = await check(
      url,
      { tls: ca() },
      {
        resolveSystemProxy: (u) => {
          asked.push(u)
          return Promise.resolve(`PROXY 127.0.0.1:${proxy.port}; DIRECT`)
        }
      }
    )
    expect(e.level).toBe('ok')
    expect(asked).toEqual([url])
    expect(proxy.tunnels.length).toBe(before + 1)
    const direct = await check(url, { tls: ca() }, { resolveSystemProxy: () => 'DIRECT' })
    expect(direct.ids).toEqual(['connection.dns'])
    const broken = await check(
      sims.good!.url,
      { tls: ca() },
      { resolveSystemProxy: () => Promise.reject(new Error('no session')) }
    )
    expect(broken.level).toBe('ok')
    expect(broken.ids).toEqual(['proxy.system-unknown'])
  })

  it('a proxy that refuses, wants credentials, is down, or cannot reach the cluster: each says so', async () => {
    const deny = await startTestProxy({ deny: true })
    const auth = await startTestProxy({ auth: { user: 'u', pass: 'p4ss' }, mapHost: toLoopback })
    const down = await closedPort()
    try {
      const via = (url: string) => ({ tls: ca(), proxy: { mode: 'explicit' as const, url } })
      const refused = await check(sims.good!.url, via(deny.url))
      expect(refused.ids).toEqual(['proxy.refused'])
      expect(refused.findings[0]?.fix).toMatch(/NO_PROXY=127\.0\.0\.1 or --proxy none/)
      const wants = await check(sims.good!.url, via(auth.url))
      expect(wants.ids).toEqual(['proxy.auth'])
      const withCreds = await check(sims.good!.url, via(auth.url.replace('//', '//u:p4ss@')))
      expect(withCreds.level).toBe('ok')
      const unreachable = await check(sims.good!.url, via(`http://127.0.0.1:${down}`))
      expect(unreachable.ids).toEqual(['proxy.unreachable'])
      expect(unreachable.findings[0]?.title).toBe(`Cannot reach proxy http://127.0.0.1:${down}`)
      const upstream = await check(`https://127.0.0.1:${down}/api`, via(proxy.url))
      expect(upstream.ids).toEqual(['proxy.upstream'])
    } finally {
      await Promise.all([deny.close(), auth.close()])
    }
  })

  it('a bad explicit proxy sends nothing at all (never around the proxy the user asked for)', async () => {
    const before = sims.good!.requestCount()
    const e = await check(sims.good!.url, { tls: ca(), proxy: { mode: 'explicit', url: '' } })
    expect(e.ids).toEqual(['proxy.config'])
    const f = await check(sims.good!.url, {
      tls: ca(),
      proxy: { mode: 'explicit', url: 'ftp://proxy:21' }
    })
    expect(f.ids).toEqual(['proxy.config'])
    expect(sims.good!.requestCount()).toBe(before)
  })

  it('proxy credentials never appear in findings', async () => {
    const down = await closedPort()
    const e = await check(sims.good!.url, {
      proxy: { mode: 'explicit', url: `http://bob:s3cret-proxy-pw@127.0.0.1:${down}` }
    })
    expect(JSON.stringify(e)).not.toContain('s3cret-proxy-pw')
    expect(e.ids).toEqual(['proxy.unreachable'])
  })

  it('parsePacResult, NO_PROXY matching and the env choice follow the usual rules', () => {
    expect(parsePacResult('DIRECT')).toBeNull()
    expect(parsePacResult('PROXY p.corp:3128; DIRECT')).toBe('http://p.corp:3128')
    expect(parsePacResult('HTTPS p.corp:443')).toBe('https://p.corp:443')
    expect(parsePacResult('SOCKS5 s:1080')).toBe('socks5://s:1080')
    expect(parsePacResult('QUIC q:1; PROXY p:8080')).toBe('http://p:8080')
    expect(noProxyMatches('.corp.example', 'scale.corp.example', 443)).toBe(true)
    expect(noProxyMatches('corp.example', 'corp.example', 443)).toBe(true)
    expect(noProxyMatches('*.corp.example', 'corp.example', 443)).toBe(false)
    expect(noProxyMatches('scale.corp:8443', 'scale.corp', 443)).toBe(false)
    expect(noProxyMatches('*', 'anything', 1)).toBe(true)
    const env = { https_proxy: 'proxy:3128', HTTPS_PROXY: 'http://ignored:1', NO_PROXY: 'skip.me' }
    expect(envProxyFor('https://scale.example/api', env)).toBe('http://proxy:3128')
    expect(envProxyFor('https://skip.me/api', env)).toBeUndefined()
    expect(envProxyFor('http://scale.example/api', env)).toBeUndefined() // no HTTP_PROXY
    expect(envProxyFor('http://scale.example/api', { HTTP_PROXY: 'http://p:1' })).toBe('http://p:1')
    expect(envProxyFor('https://localhost:8443/api', env)).toBeUndefined()
  })
})

describe('the transport cache', () => {
  it('keeps one dispatcher per cluster and rebuilds it when settings, passphrase or a file change', async () => {
    const secrets = new MemorySecretStore()
    const cache = new TransportCache({ secrets, env: {} })
    const caFile = join(pki.dir, 'rotating-ca.pem')
    copyFileSync(pki.otherCa.certFile, caFile)
    const c = makeCluster({ id: 'r', name: 'r', url: sims.good!.url, tls: { caFile } })
    const a = await cache.get(c)
    expect((await cache.get(c)).dispatcher).toBe(a.dispatcher)
    const read = makeReader({ secrets, transportFor: (x) => cache.get(x) })
    const ctx = { signal: new AbortController().signal, skipVersion: true }
    expect((await read(c, ctx)).kind).toBe('failure') // the wrong CA
    // The CA file is replaced on disk: picked up without a restart.
    await new Promise((r) => setTimeout(r, 20))
    writeFileSync(caFile, pki.ca.cert)
    const b = await cache.get(c)
    expect(b.dispatcher).not.toBe(a.dispatcher)
    expect((await read(c, ctx)).kind).toBe('ok')
    const d = await cache.get({ ...c, proxy: { mode: 'none' } })
    expect(d.dispatcher).not.toBe(b.dispatcher)
    secrets.set(secretRef('r', 'passphrase'), 'new')
    expect((await cache.get({ ...c, proxy: { mode: 'none' } })).dispatcher).not.toBe(d.dispatcher)
    cache.retain([])
    expect((await cache.get(c)).dispatcher).not.toBe(d.dispatcher)
    await cache.close()
  })

  it('notes (certificate expiry) are recomputed on every read, with the injected clock', async () => {
    let now = Date.now()
    const cache = new TransportCache({
      secrets: new MemorySecretStore(),
      env: {},
      now: () => now
    })
    const c = makeCluster({
      id: 's',
      name: 's',
      url: sims.clientTls13!.url,
      tls: { ...ca(), certFile: pki.clientSoon.certFile, keyFile: pki.clientSoon.keyFile }
    })
    expect((await cache.get(c)).notes.map((n) => n.id)).toEqual(['tls.client-cert-expiring'])
    now += 6 * 86_400_000
    expect((await cache.get(c)).notes.map((n) => n.id)).toEqual(['tls.client-cert-expired'])
    await cache.close()
  })

  it('the reader carries notes on every outcome, ok or not', async () => {
    const secrets = new MemorySecretStore()
    const cache = new TransportCache({ secrets, env: {} })
    const read = makeReader({ secrets, transportFor: (x) => cache.get(x) })
    const ctx = { signal: new AbortController().signal, skipVersion: true }
    const ok = await read(cluster(sims.selfSigned!.url, { tls: { insecure: true } }), ctx)
    expect(ok.notes?.map((n) => n.id)).toEqual(['tls.insecure'])
    const down = await closedPort()
    const bad = await read(
      cluster(`https://127.0.0.1:${down}/api`, { tls: { insecure: true } }),
      ctx
    )
    expect(bad.kind).toBe('failure')
    expect(bad.notes?.map((n) => n.id)).toEqual(['tls.insecure'])
    expect(evaluate(bad).findings.map((f) => f.id)).toEqual(['connection.refused', 'tls.insecure'])
    await cache.close()
    // Without a transport the reader is what it always was.
    const plain = await readCluster({ url: sims.plain!.url, skipVersion: true })
    expect(plain.notes).toBeUndefined()
  })
})
