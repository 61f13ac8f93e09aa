// The settings UI's "test connection", add/update with a login, and settings import/export,
// through the controller (the one implementation of the bridge) over real HTTP(S): the same
// transport and findings as `check`, secrets stored only where they belong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Controller } from '../../../main/core/app/controller.ts'
import { parseRequest } from '../../../main/core/app/requests.ts'
import { Monitor } from '../../../main/core/monitor/monitor.ts'
import { makeReader } from '../../../main/core/monitor/reader.ts'
import { TransportCache } from '../../../main/core/scale/transport.ts'
import { defaultSettings, makeCluster } from '../../../main/core/settings/schema.ts'
import { MemorySecretStore, secretRef } from '../../../main/core/settings/secrets.ts'
import { DEFAULT_SIM_TOKEN, startSim, type RunningSim } from '../../../main/sim/server.ts'
import type { ClusterEdit, PushEvent, TestResult } from '../../../preload/contract.ts'
import { makeTestPki, TEST_HOST, type TestPki } from '../../helpers/certs.ts'
import { startTestProxy, type TestProxy } from '../../helpers/proxy.ts'

let pki: TestPki
let sim: RunningSim
let mtls: RunningSim
let proxy: TestProxy
let secrets: MemorySecretStore
let transports: TransportCache
let monitor: Monitor
let controller: Controller
const events: PushEvent[] = []
const PASSWORD = 'pw-Zq81-never-stored'

beforeAll(async () => {
  pki = makeTestPki()
  ;[sim, mtls, proxy] = await Promise.all([
    startSim({
      scenario: 'auth-required',
      username: 'alice',
      password: PASSWORD,
      tls: { key: pki.server.key, cert: pki.server.cert }
    }),
    startSim({
      tls: {
        key: pki.server.key,
        cert: pki.server.cert,
        ca: pki.ca.cert,
        requestCert: true,
        rejectUnauthorized: true
      }
    }),
    startTestProxy({ mapHost: (h) => (h.endsWith('.test') ? '127.0.0.1' : h) })
  ])
  secrets = new MemorySecretStore()
  transports = new TransportCache({ secrets, env: {} })
  const settings = {
    ...defaultSettings(),
    clusters: [
      makeCluster({
        id: 'kept',
        name: 'kept',
        url: mtls.url,
        enabled: false,
        tls: { caFile: pki.ca.certFile, pfxFile: pki.clientPfxFile }
      })
    ]
  }
  const readerFor = (s: Pick<MemorySecretStore, 'get'>) =>
    makeReader({ secrets: s, transportFor: (c) => transports.get(c, s) })
  monitor = new Monitor({ settings, read: readerFor(secrets) })
  controller = new Controller({
    monitor,
    secrets,
    settings,
    readerFor,
    transports,
    platform: {
      mode: 'serve',
      version: 'test',
      notificationsSupported: true,
      showTestNotification: () => Promise.resolve({ shown: true, detail: 'x' }),
      openExternal: () => Promise.resolve({ ok: true, value: null })
    }
  })
  controller.onEvent((e) => events.push(e))
})

afterAll(async () => {
  controller.dispose()
  monitor.stop()
  await transports.close()
  await Promise.all([sim.close(), mtls.close(), proxy.close()])
  pki.cleanup()
})

const ca = { caFile: '' }
beforeAll(() => {
  ca.caFile = pki.ca.certFile
})

async function test(edit: ClusterEdit, id?: string): Promise<TestResult & { ids: string[] }> {
  // Through the request schema, as the window's payload would come.
  const req = parseRequest('testConnection', { edit, ...(id ? { id } : {}) })
  const r = await controller.testConnection(req)
  if (!r.ok) throw new Error(r.error)
  return { ...r.value, ids: r.value.findings.map((f) => f.id) }
}

describe('test connection: each option works, each failure names its fix', () => {
  it('private CA: unknown issuer without it (the server sends its private root), OK with it', async () => {
    const bad = await test({ name: 'n', url: mtls.url })
    expect(bad.ids).toEqual(['tls.unknown-issuer'])
    expect(bad.findings[0]?.message).toMatch(/SELF_SIGNED_CERT_IN_CHAIN/)
    expect(bad.findings[0]?.fix).toMatch(/CA bundle/)
    const good = await test({
      name: 'n',
      url: mtls.url,
      tls: { ...ca, pfxFile: pki.clientPfxFile },
      passphrase: pki.pfxPassphrase
    })
    expect(good.level).toBe('ok')
    expect(good.nodes).toBeGreaterThan(0)
  })

  it('client certificate: required without one, OK with PEM, refused when untrusted', async () => {
    expect((await test({ name: 'n', url: mtls.url, tls: ca })).ids).toEqual([
      'tls.client-cert-required'
    ])
    const pem = await test({
      name: 'n',
      url: mtls.url,
      tls: { ...ca, certFile: pki.client.certFile, keyFile: pki.client.keyFile }
    })
    expect(pem.level).toBe('ok')
    const untrusted = await test({
      name: 'n',
      url: mtls.url,
      tls: { ...ca, certFile: pki.clientUntrusted.certFile, keyFile: pki.clientUntrusted.keyFile }
    })
    expect(untrusted.ids).toEqual(['tls.client-cert-rejected'])
  })

  it("an existing cluster's stored passphrase is used; expiry shows as a finding", async () => {
    secrets.set(secretRef('kept', 'passphrase'), pki.pfxPassphrase)
    const r = await test({ name: 'kept', url: mtls.url }, 'kept')
    expect(r.level).toBe('ok')
    const soon = await test(
      {
        name: 'kept',
        url: mtls.url,
        tls: { ...ca, pfxFile: pki.clientSoon.pfxFile }
      },
      'kept'
    )
    expect(soon.ids).toEqual(['tls.client-cert-expiring'])
    expect(soon.level).toBe('warning')
  })

  it('insecure: read, with the TLS-not-verified warning', async () => {
    const r = await test({
      name: 'n',
      url: sim.url,
      tls: { insecure: true },
      auth: { kind: 'token' },
      secret: DEFAULT_SIM_TOKEN
    })
    expect(r.ids).toEqual(['tls.insecure'])
    expect(r.level).toBe('warning')
  })

  it('proxy: explicit goes through it; a dead one says so', async () => {
    const before = proxy.tunnels.length
    const port = new URL(mtls.url).port
    const r = await test({
      name: 'n',
      url: `https://${TEST_HOST}:${port}/api`,
      tls: { ...ca, certFile: pki.client.certFile, keyFile: pki.client.keyFile },
      proxy: { mode: 'explicit', url: proxy.url }
    })
    expect(r.level).toBe('ok')
    expect(proxy.tunnels.length).toBeGreaterThan(before)
    const dead = await test({
      name: 'n',
      url: mtls.url,
      proxy: { mode: 'explicit', url: 'http://127.0.0.1:9' }
    })
    expect(dead.ids).toEqual(['proxy.unreachable'])
  })

  it('login: the token is used for the test and stored nowhere', async () => {
    const r = await test({
      name: 'n',
      url: sim.url,
      tls: ca,
      login: { username: 'alice', password: PASSWORD }
    })
    expect(r.level).toBe('ok')
    expect(secrets.has(secretRef('n'))).toBe(false)
    expect(JSON.stringify(r)).not.toContain(DEFAULT_SIM_TOKEN)
  })

  it("login with a wrong password: data with the server's message", async () => {
    const r = await test({
      name: 'n',
      url: sim.url,
      tls: ca,
      login: { username: 'alice', password: 'nope-nope' }
    })
    expect(r.level).toBe('unknown')
    expect(r.ids).toEqual(['auth.login'])
    expect(r.summary).toMatch(/Unable to log in with provided credentials\./)
    expect(r.url).toMatch(/\/api\/api-token-auth\/$/)
  })

  it('test connections of unsaved clusters leave no transport behind', async () => {
    const sizeBefore = (transports as unknown as { entries: Map<string, unknown> }).entries.size
    await test({ name: 'n', url: mtls.url, tls: ca })
    expect((transports as unknown as { entries: Map<string, unknown> }).entries.size).toBe(
      sizeBefore
    )
  })
})

describe('add / update with a login', () => {
  it('stores the token (not the password) as the cluster secret, auth token, user kept', async () => {
    events.length = 0
    const r = await controller.addCluster(
      parseRequest('addCluster', {
        name: 'secured',
        url: sim.url,
        tls: ca,
        login: { username: 'alice', password: PASSWORD }
      })
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.auth).toMatchObject({ kind: 'token', username: 'alice' })
    expect(r.value.hasSecret).toBe(true)
    expect(secrets.get(secretRef(r.value.id))).toBe(DEFAULT_SIM_TOKEN)
    const everything = JSON.stringify({ r, events, settings: controller.settingsView() })
    expect(everything).not.toContain(PASSWORD)
    expect(everything).not.toContain(DEFAULT_SIM_TOKEN)
    // And it reads: the monitor uses the stored token.
    monitor.start()
    await expect.poll(() => monitor.view(r.value.id).rawLevel, { timeout: 5000 }).toBe('ok')
    monitor.stop()
  })

  it('a refused login adds nothing and says why', async () => {
    const count = controller.currentSettings().clusters.length
    const r = await controller.addCluster({
      name: 'nope',
      url: sim.url,
      tls: ca,
      login: { username: 'alice', password: 'wrong' }
    })
    expect(r).toMatchObject({
      ok: false,
      error: 'Login as alice failed: Unable to log in with provided credentials.',
      fields: { 'login.password': 'Unable to log in with provided credentials.' }
    })
    expect(controller.currentSettings().clusters.length).toBe(count)
  })

  it('update with a login replaces the stored secret', async () => {
    const c = controller.currentSettings().clusters.find((x) => x.name === 'secured')
    if (!c) throw new Error('no cluster')
    secrets.set(secretRef(c.id), 'stale-token')
    const r = await controller.updateCluster({
      id: c.id,
      edit: { name: 'secured', url: sim.url, login: { username: 'alice', password: PASSWORD } }
    })
    expect(r.ok).toBe(true)
    expect(secrets.get(secretRef(c.id))).toBe(DEFAULT_SIM_TOKEN)
  })

  it('the request schema takes a login and refuses an empty one', () => {
    expect(() =>
      parseRequest('addCluster', {
        name: 'a',
        url: 'https://x/api',
        login: { username: '', password: 'p' }
      })
    ).toThrow(/login\.username/)
  })
})

describe('settings export / import through the bridge', () => {
  it('exports without secrets and lists who needs credentials; importing elsewhere says so too', async () => {
    const before = controller.currentSettings().clusters.length
    const e = await controller.exportSettings()
    expect(e.filename).toMatch(/^scale-tray-settings-.*\.json$/)
    expect(e.content).not.toContain(DEFAULT_SIM_TOKEN)
    expect(e.content).not.toContain(pki.pfxPassphrase)
    expect(e.content).not.toMatch(/secretRef|passphraseRef/)
    const doc = JSON.parse(e.content) as { note: string; needCredentials: { name: string }[] }
    expect(doc.needCredentials.map((n) => n.name)).toEqual(['kept', 'secured'])
    expect(doc.note).toMatch(
      /enter credentials for: kept \(client certificate passphrase\); secured \(Scale token \(or log in as alice\)\)/
    )

    // The same file back in: everything is a duplicate, nothing changes without replace.
    const again = await controller.importSettings(
      parseRequest('importSettings', { content: e.content, replace: false })
    )
    expect(again.ok && again.value.added).toEqual([])
    expect(again.ok && again.value.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/same id exists \(kept\); use replace/),
      expect.stringMatching(/same id exists \(secured\); use replace/)
    ])
    expect(controller.currentSettings().clusters.length).toBe(before)

    // With replace: replaced in place, ids (and so their stored secrets) kept.
    const replaced = await controller.importSettings({ content: e.content, replace: true })
    expect(replaced.ok && replaced.value.replaced).toEqual(['kept', 'secured'])
    expect(replaced.ok && replaced.value.needCredentials).toEqual([])
    expect(controller.currentSettings().clusters.length).toBe(before)

    const bad = await controller.importSettings({ content: '{nope', replace: false })
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/not JSON/) as unknown })
  })
})
