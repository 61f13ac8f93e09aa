// Connecting to real clusters from the real CLI (spawned like Nagios would): a private CA,
// TLS failures, client certificates (PEM, PKCS#12), proxies (explicit, HTTPS_PROXY, NO_PROXY),
// token login, `watch --config --username` saving the token, settings export/import — and no
// secret (token, password, passphrase) in any output or file that should not hold it. Spawns
// are few and at most two at a time (the machines have two cores); usage errors and the like
// run the same command code in-process.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SIM_TOKEN, startSim, type RunningSim } from '../../../main/sim/server.ts'
import { runCheck } from '../../../main/cli/check.ts'
import { runSettings } from '../../../main/cli/settings.ts'
import { runSim } from '../../../main/cli/sim.ts'
import { runWatch } from '../../../main/cli/watch.ts'
import { REPO_ROOT, runCli, type CliResult } from '../../helpers/cli.ts'
import { fakeIo } from '../../helpers/io.ts'
import { makeTestPki, TEST_HOST, type TestPki } from '../../helpers/certs.ts'
import { startTestProxy, type TestProxy } from '../../helpers/proxy.ts'
import { closedPort } from '../../helpers/http.ts'

const PASSWORD = 'pw-Cli-7731-secret'
const PASSPHRASE = 'pp-Cli-4410-secret'

let pki: TestPki
let dir: string
let proxy: TestProxy
const sims: Record<string, RunningSim> = {}

beforeAll(async () => {
  pki = makeTestPki(PASSPHRASE)
  dir = await mkdtemp(join(tmpdir(), 'scale-tray-connect-'))
  const server = { key: pki.server.key, cert: pki.server.cert }
  const [tls, auth, expired, wrongHost, selfSigned, mtls] = await Promise.all([
    startSim({ tls: server }),
    startSim({ tls: server, scenario: 'auth-required', username: 'alice', password: PASSWORD }),
    startSim({ tls: { key: pki.expiredServer.key, cert: pki.expiredServer.cert } }),
    startSim({ tls: { key: pki.wrongHost.key, cert: pki.wrongHost.cert } }),
    startSim({ tls: { key: pki.selfSigned.key, cert: pki.selfSigned.cert } }),
    startSim({ tls: { ...server, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true } })
  ])
  Object.assign(sims, { tls, auth, expired, wrongHost, selfSigned, mtls })
  proxy = await startTestProxy({ mapHost: (h) => (h.endsWith('.test') ? '127.0.0.1' : h) })
})

afterAll(async () => {
  await Promise.all([...Object.values(sims).map((s) => s.close()), proxy.close()])
  await rm(dir, { recursive: true, force: true })
  pki.cleanup()
})

interface CheckJson {
  level: string
  exitCode: number
  summary: string
  findings: { id: string; title: string; message: string; fix?: string }[]
}

/** Everything every spawned command printed, for the leak test at the end. */
const outputs: string[] = []

async function spawnCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await runCli(args, { env, killAfterMs: 20_000 })
  outputs.push(r.stdout, r.stderr)
  return r
}

/** `check --json`, spawned and parsed. */
async function check(
  args: string[],
  env: Record<string, string> = {}
): Promise<CheckJson & { ids: string[]; r: CliResult }> {
  const r = await spawnCli(['check', '--json', '--timeout', '5', ...args], env)
  let j: CheckJson
  try {
    j = JSON.parse(r.stdout) as CheckJson
  } catch {
    throw new Error(`not JSON (exit ${String(r.code)}): ${r.stdout}\n${r.stderr}`)
  }
  expect(r.code).toBe(j.exitCode)
  return { ...j, ids: j.findings.map((f) => f.id), r }
}

/** `check --json` in-process (the same code, no process start). */
async function checkHere(
  args: string[],
  env: Record<string, string> = {}
): Promise<{ code: number; json?: CheckJson & { ids: string[] }; stderr: string }> {
  const f = fakeIo({ env })
  const code = await runCheck(['--json', '--timeout', '5', ...args], f.io)
  const out = f.stdout()
  const json = out ? (JSON.parse(out) as CheckJson) : undefined
  return {
    code,
    ...(json ? { json: { ...json, ids: json.findings.map((x) => x.id) } } : {}),
    stderr: f.stderr()
  }
}

const CA = (): string[] => ['--ca', pki.ca.certFile]
const TOKEN = DEFAULT_SIM_TOKEN

describe('check: TLS (item 2)', () => {
  it('unknown issuer → UNKNOWN naming the reason and the --ca fix; with --ca (and a token) → OK', async () => {
    const [bad, good] = await Promise.all([
      check([sims.tls!.url]),
      check([sims.auth!.url, ...CA(), '--token', TOKEN])
    ])
    expect(bad.level).toBe('unknown')
    expect(bad.ids).toEqual(['tls.unknown-issuer'])
    expect(bad.findings[0]?.fix).toMatch(/--ca FILE/)
    expect(bad.summary).toMatch(
      /^TLS failed for 127\.0\.0\.1:\d+ \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/
    )
    expect(good.level).toBe('ok')
  })

  it('--insecure reads, warns loudly on stderr, and reports "TLS not verified" (exit 1); expired is named', async () => {
    const [insecure, expired] = await Promise.all([
      check([sims.selfSigned!.url, '--insecure']),
      check([sims.expired!.url, ...CA()])
    ])
    expect(insecure.level).toBe('warning')
    expect(insecure.r.code).toBe(1)
    expect(insecure.ids).toEqual(['tls.insecure'])
    expect(insecure.r.stderr).toMatch(
      /WARNING: --insecure: the server's TLS certificate is NOT verified/
    )
    expect(expired.ids).toEqual(['tls.expired'])
  })

  it('a CA file that is missing is a finding naming it (in-process)', async () => {
    const missing = join(dir, 'missing-ca.pem')
    const r = await checkHere([sims.tls!.url, '--ca', missing])
    expect(r.code).toBe(3)
    expect(r.json?.ids).toEqual(['tls.unknown-issuer', 'config.ca-file'])
    expect(r.json?.findings[1]?.message).toContain(missing)
  })
})

describe('check: client certificates (items 3 and 5)', () => {
  it('none given → "requires a client certificate"; --cert/--key → OK', async () => {
    const [none, pem] = await Promise.all([
      check([sims.mtls!.url, ...CA()]),
      check([sims.mtls!.url, ...CA(), '--cert', pki.client.certFile, '--key', pki.client.keyFile])
    ])
    expect(none.ids).toEqual(['tls.client-cert-required'])
    expect(none.findings[0]?.fix).toMatch(/--cert FILE --key FILE, or --pfx FILE/)
    expect(pem.level).toBe('ok')
  })

  it('--pfx with SCALE_CERT_PASSPHRASE → OK; one expiring in 5 days → WARNING', async () => {
    const env = { SCALE_CERT_PASSPHRASE: PASSPHRASE }
    const [good, soon] = await Promise.all([
      check([sims.mtls!.url, ...CA(), '--pfx', pki.clientPfxFile], env),
      check([sims.mtls!.url, ...CA(), '--pfx', pki.clientSoon.pfxFile], env)
    ])
    expect(good.level).toBe('ok')
    expect(soon.level).toBe('warning')
    expect(soon.r.code).toBe(1)
    expect(soon.ids).toEqual(['tls.client-cert-expiring'])
  })

  it('a wrong passphrase or an untrusted certificate: each says so (in-process)', async () => {
    const [wrong, untrusted] = await Promise.all([
      checkHere([sims.mtls!.url, ...CA(), '--pfx', pki.clientPfxFile], {
        SCALE_CERT_PASSPHRASE: `${PASSPHRASE}-wrong`
      }),
      checkHere([
        sims.mtls!.url,
        ...CA(),
        '--cert',
        pki.clientUntrusted.certFile,
        '--key',
        pki.clientUntrusted.keyFile
      ])
    ])
    expect(wrong.json?.ids).toEqual(['tls.client-cert-required', 'config.client-cert'])
    expect(wrong.json?.findings[1]?.message).toMatch(/the passphrase is wrong/)
    expect(untrusted.json?.ids).toEqual(['tls.client-cert-rejected'])
  })
})

describe('check: proxies (item 4)', () => {
  it('--proxy URL goes through the proxy; HTTPS_PROXY by default', async () => {
    const tlsHost = new URL(sims.tls!.url).host
    const port = new URL(sims.wrongHost!.url).port
    const named = `${TEST_HOST}:${port}`
    const [explicit, env] = await Promise.all([
      check([sims.tls!.url, ...CA(), '--proxy', proxy.url]),
      check([`https://${named}/api`, ...CA()], { HTTPS_PROXY: proxy.url })
    ])
    expect(explicit.level).toBe('ok')
    expect(proxy.tunnels).toContain(tlsHost)
    // Through the proxy the (wrong-host) server answered: only the proxy can reach that name.
    expect(env.ids).toEqual(['tls.hostname-mismatch'])
    expect(proxy.tunnels).toContain(named)
  })

  it('NO_PROXY bypasses HTTPS_PROXY; --proxy none ignores it', async () => {
    const port = new URL(sims.selfSigned!.url).port
    const named = `${TEST_HOST}:${port}`
    const env = { HTTPS_PROXY: proxy.url }
    const [bypass, none] = await Promise.all([
      check([`https://${named}/api`, ...CA()], { ...env, NO_PROXY: `.tray.test` }),
      check([`https://${named}/api`, ...CA(), '--proxy', 'none'], env)
    ])
    expect(bypass.ids).toEqual(['connection.dns'])
    expect(none.ids).toEqual(['connection.dns'])
    expect(proxy.seen).not.toContain(named)
  })

  it('a proxy that is down says so (in-process)', async () => {
    const down = await closedPort()
    const r = await checkHere([sims.tls!.url, ...CA(), '--proxy', `http://127.0.0.1:${down}`])
    expect(r.json?.ids).toEqual(['proxy.unreachable'])
    expect(r.json?.findings[0]?.fix).toMatch(/--proxy/)
  })
})

describe('check: login (item 1)', () => {
  it("--username with SCALE_PASSWORD logs in and reads; a wrong password → the server's message", async () => {
    const [good, wrong] = await Promise.all([
      check([sims.auth!.url, ...CA(), '--username', 'alice'], { SCALE_PASSWORD: PASSWORD }),
      check([sims.auth!.url, ...CA(), '--username', 'alice'], {
        SCALE_PASSWORD: `${PASSWORD}-wrong`
      })
    ])
    expect(good.level).toBe('ok')
    expect(wrong.level).toBe('unknown')
    expect(wrong.r.code).toBe(3)
    expect(wrong.ids).toEqual(['auth.login'])
    expect(wrong.findings[0]?.message).toBe(
      'Scale says: "Unable to log in with provided credentials."'
    )
  })

  it('no SCALE_PASSWORD and no terminal: a clear usage error; a prompt when there is one', async () => {
    const f = fakeIo()
    expect(await runCheck([sims.auth!.url, '--username', 'alice'], f.io)).toBe(3)
    expect(f.stderr()).toMatch(
      /--username alice needs a password: set SCALE_PASSWORD or run in a terminal/
    )
    const asked: string[] = []
    const tty = fakeIo()
    tty.io.promptSecret = (q) => {
      asked.push(q)
      return Promise.resolve(PASSWORD)
    }
    expect(await runCheck([sims.auth!.url, ...CA(), '--username', 'alice'], tty.io)).toBe(0)
    expect(asked).toEqual(['Password for alice: '])
    expect(tty.stdout() + tty.stderr()).not.toContain(PASSWORD)
  })

  it('flags that contradict each other are usage errors', async () => {
    const cases = [
      [['--username', 'a', '--token', 't'], 'give --username or --token, not both'],
      [['--pfx', 'a.p12', '--cert', 'c.pem'], 'give --pfx, or --cert and --key, not both'],
      [['--key', 'k.pem'], '--key needs --cert (the certificate it belongs to)'],
      [['--proxy', 'ftp://p:21'], '--proxy wants http://host:port, or none (got "ftp://p:21")'],
      [['--file', 'x.json', '--insecure'], '--file reads no network']
    ] as const
    for (const [flags, message] of cases) {
      const f = fakeIo()
      const args = (flags as readonly string[]).includes('--file')
        ? [...flags]
        : [sims.auth!.url, ...flags]
      expect(await runCheck(args, f.io)).toBe(3)
      expect(f.stderr().split('\n')[0]).toContain(`scale-tray check: ${message}`)
    }
  })
})

describe('sim', () => {
  it('--tls-cert/--tls-key/--client-ca: an HTTPS simulator demanding client certificates', async () => {
    const f = fakeIo()
    const stop = new AbortController()
    const running = runSim(
      [
        '--port',
        '0',
        '--tls-cert',
        pki.server.certFile,
        '--tls-key',
        pki.server.keyFile,
        '--client-ca',
        pki.ca.certFile
      ],
      f.io,
      stop.signal
    )
    await expect.poll(() => f.stdout(), { timeout: 5000 }).toMatch(/Scale simulator: https:/)
    const url = /Scale simulator: (\S+)/.exec(f.stdout())?.[1] ?? ''
    const [none, pem] = await Promise.all([
      checkHere([url, ...CA()]),
      checkHere([url, ...CA(), '--cert', pki.client.certFile, '--key', pki.client.keyFile])
    ])
    stop.abort()
    expect(await running).toBe(0)
    expect(none.json?.ids).toEqual(['tls.client-cert-required'])
    expect(pem.code).toBe(0)
  })
})

interface WatchEvent {
  type: string
  cluster?: string
  level?: string
}

/** `watch --json` until `until` holds for the events, then SIGINT; all output returned. */
async function watchUntil(
  args: string[],
  env: Record<string, string>,
  until: (ev: WatchEvent[]) => boolean
): Promise<{ events: WatchEvent[]; stdout: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, ['bin/scale-tray.mjs', 'watch', '--json', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: dir, ...env }
  })
  let stdout = ''
  let stderr = ''
  const events: WatchEvent[] = []
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    events.length = 0
    for (const l of stdout.split('\n')) if (l.trim()) events.push(JSON.parse(l) as WatchEvent)
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)))
  const end = Date.now() + 15_000
  while (!until(events) && Date.now() < end && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 100))
  child.kill('SIGINT')
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
  const code = await exited
  clearTimeout(killer)
  outputs.push(stdout, stderr)
  return { events, stdout, stderr, code }
}

const okPoll = (name: string) => (ev: WatchEvent[]) =>
  ev.some((e) => e.type === 'poll' && e.cluster === name && e.level === 'ok')

describe('watch', () => {
  it('--config --username: logs in, saves the token (never the password), reads with it, and again next time', async () => {
    const cfgDir = join(dir, 'cfg-login')
    const file = join(cfgDir, 'settings.json')
    await mkdir(cfgDir, { recursive: true })
    await writeFile(
      file,
      JSON.stringify({
        version: 2,
        clusters: [
          { id: 'sec', name: 'secured', url: sims.auth!.url, tls: { caFile: pki.ca.certFile } }
        ]
      })
    )
    const w = await watchUntil(
      ['--config', file, '--username', 'alice', '--interval', '1'],
      { SCALE_PASSWORD: PASSWORD },
      okPoll('secured')
    )
    expect(w.code).toBe(0)
    expect(okPoll('secured')(w.events)).toBe(true)
    expect(w.stderr).toMatch(/login: saved tokens for 1 cluster\(s\) in the secret store/)
    const settings = JSON.parse(await readFile(file, 'utf8')) as {
      clusters: { auth: { kind: string; username?: string } }[]
    }
    expect(settings.clusters[0]?.auth).toMatchObject({ kind: 'token', username: 'alice' })
    expect(await readFile(join(cfgDir, 'secrets.json'), 'utf8')).toContain(TOKEN)

    // The saved token alone is enough next time.
    const again = await watchUntil(['--config', file, '--interval', '1'], {}, okPoll('secured'))
    expect(okPoll('secured')(again.events)).toBe(true)
  })

  it('TLS and proxy flags apply to clusters on the command line (PKCS#12 + CA + proxy + login)', async () => {
    const file = join(dir, 'cfg-leak', 'settings.json')
    const w = await watchUntil(
      [
        '--config',
        file,
        `a=${sims.auth!.url}`,
        `m=${sims.mtls!.url}`,
        ...CA(),
        '--pfx',
        pki.clientPfxFile,
        '--proxy',
        proxy.url,
        '--username',
        'alice',
        '--interval',
        '1'
      ],
      { SCALE_PASSWORD: PASSWORD, SCALE_CERT_PASSPHRASE: PASSPHRASE },
      (ev) => okPoll('a')(ev) && okPoll('m')(ev)
    )
    expect(okPoll('a')(w.events) && okPoll('m')(w.events)).toBe(true)
    expect(proxy.tunnels).toContain(new URL(sims.mtls!.url).host)
    // Command-line clusters are not saved (the settings file is not even created), nor their token.
    expect(await readdir(dirname(file))).not.toContain('settings.json')
    expect(await readdir(dirname(file))).not.toContain('secrets.json')

    const f = fakeIo()
    expect(await runWatch(['--config', join(dir, 'x.json'), '--ca', pki.ca.certFile], f.io)).toBe(3)
    expect(f.stderr()).toMatch(/apply to clusters given on the command line/)
  })
})

describe('settings export / import (item 6)', () => {
  it('export strips secrets and notes credentials; import reports, skips, replaces', async () => {
    const src = join(dir, 'cfg-login', 'settings.json') // from the login test: a stored token
    const out = join(dir, 'export.json')
    const dest = join(dir, 'cfg-import', 'settings.json')
    const e = await spawnCli(['settings', 'export', '--config', src, '--out', out])
    expect(e.code).toBe(0)
    expect(e.stderr).toMatch(
      /enter credentials for: secured \(Scale token \(or log in as alice\)\)/
    )
    const exported = await readFile(out, 'utf8')
    expect(exported).not.toMatch(/secretRef/)
    expect(JSON.parse(exported)).toMatchObject({ kind: 'scale-tray-settings-export' })

    const first = await spawnCli(['settings', 'import', out, '--config', dest, '--json'])
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout)).toMatchObject({
      added: ['secured'],
      skipped: [],
      needCredentials: ['secured']
    })
    const second = fakeIo()
    expect(await runSettings(['import', out, '--config', dest], second.io)).toBe(0)
    expect(second.stdout()).toMatch(
      /skipped:\n {4}secured: a cluster with the same id exists \(secured\); use replace/
    )
    const third = fakeIo()
    expect(await runSettings(['import', out, '--config', dest, '--replace'], third.io)).toBe(0)
    expect(third.stdout()).toMatch(/replaced: secured/)
    const toStdout = fakeIo()
    expect(await runSettings(['export', '--config', src], toStdout.io)).toBe(0)
    outputs.push(toStdout.stdout(), toStdout.stderr())
    const junk = join(dir, 'junk.json')
    await writeFile(junk, 'not json')
    const bad = fakeIo()
    expect(await runSettings(['import', junk, '--config', dest], bad.io)).toBe(3)
    expect(bad.stderr()).toMatch(/not a settings file: it is not JSON/)
  })
})

describe('secrets never leak', () => {
  it('no token, password or passphrase in any output, nor in any file but the secret store', async () => {
    // Every run above had at least one of them: --token, SCALE_PASSWORD, SCALE_CERT_PASSPHRASE.
    expect(outputs.length).toBeGreaterThan(20)
    const all = outputs.join('\n')
    for (const secret of [TOKEN, PASSWORD, PASSPHRASE]) expect(all).not.toContain(secret)
    const files: string[] = [join(dir, 'export.json')]
    for (const sub of ['cfg-login', 'cfg-leak', 'cfg-import'])
      for (const f of await readdir(join(dir, sub))) files.push(join(dir, sub, f))
    expect(files.some((f) => f.endsWith('secrets.json'))).toBe(true)
    for (const f of files) {
      const text = await readFile(f, 'utf8')
      for (const secret of [PASSWORD, PASSPHRASE]) expect(text, f).not.toContain(secret)
      if (!f.endsWith('secrets.json')) expect(text, f).not.toContain(TOKEN)
    }
  })
})
