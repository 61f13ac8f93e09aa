// Settings export and import: no secret (or reference to one) leaves or enters, the note says who
// needs credentials, duplicates are skipped with a reason unless replacing, the file is repaired
// like a loaded settings file.
import { describe, expect, it } from 'vitest'
import {
  EXPORT_KIND,
  exportSettings,
  importSettings
} from '../../../../main/core/settings/transfer.ts'
import {
  defaultSettings,
  makeCluster,
  type Settings
} from '../../../../main/core/settings/schema.ts'
import { secretRef } from '../../../../main/core/settings/secrets.ts'

const now = Date.UTC(2026, 2, 4, 10, 30, 0)

function current(): Settings {
  return {
    ...defaultSettings(),
    watchdogMinutes: 15,
    notifications: { ...defaultSettings().notifications, snoozedUntil: now + 60_000 },
    clusters: [
      makeCluster({
        id: 'p',
        name: 'prod',
        url: 'https://scale.prod.example/api',
        auth: { kind: 'token', username: 'alice', secretRef: secretRef('p') },
        tls: {
          caFile: '/etc/pki/agency.pem',
          pfxFile: '/home/op/op.p12',
          passphraseRef: secretRef('p', 'passphrase')
        },
        proxy: { mode: 'explicit', url: 'http://bob:proxy-pw-9@proxy.example:3128/' },
        snoozedUntil: now + 1000
      }),
      makeCluster({ id: 't', name: 'test', url: 'http://scale.test.example/api' }),
      makeCluster({
        id: 'b',
        name: 'old',
        url: 'https://old.example/api',
        auth: { kind: 'basic', username: 'carol' }
      })
    ]
  }
}

describe('export', () => {
  const e = exportSettings(current(), now)
  const doc = JSON.parse(e.content) as {
    kind: string
    note: string
    needCredentials: { name: string; what: string[] }[]
    settings: Settings
  }

  it('is a stamped JSON file of kind scale-tray-settings-export', () => {
    expect(e.filename).toBe('scale-tray-settings-2026-03-04-10-30-00.json')
    expect(doc.kind).toBe(EXPORT_KIND)
    expect(doc.settings.clusters.map((c) => c.name)).toEqual(['prod', 'test', 'old'])
  })

  it('has no secret reference, no proxy password, no snooze', () => {
    expect(e.content).not.toMatch(/secretRef|passphraseRef|cluster:p:|proxy-pw-9|snoozedUntil/)
    expect(doc.settings.clusters[0]?.proxy.url).toBe('http://proxy.example:3128/')
    expect(doc.settings.clusters[0]?.auth).toEqual({ kind: 'token', username: 'alice' })
  })

  it('notes who needs which credentials, and that files are referenced by path', () => {
    expect(doc.needCredentials).toEqual([
      {
        name: 'prod',
        what: ['Scale token (or log in as alice)', 'client certificate passphrase']
      },
      { name: 'old', what: ['Basic auth password for carol'] }
    ])
    expect(doc.note).toMatch(/Secrets are never exported/)
    expect(doc.note).toMatch(
      /user and password written in these URLs were removed: prod \(proxy URL\)/
    )
    expect(doc.note).toMatch(/referenced by path/)
  })
})

describe('import', () => {
  const exported = exportSettings(current(), now).content

  it('into empty settings: everything added, each that needs credentials listed', () => {
    const r = importSettings(defaultSettings(), exported, { replace: false })
    if (!r.ok) throw new Error(r.error)
    expect(r.report.added).toEqual(['prod', 'test', 'old'])
    expect(r.report.skipped).toEqual([])
    expect(r.report.needCredentials).toEqual(['prod', 'old'])
    expect(r.settings.clusters.map((c) => c.id)).toEqual(['p', 't', 'b'])
    // Global options are not taken without replace, and that is said.
    expect(r.settings.watchdogMinutes).toBe(10)
    expect(r.report.notes).toContain(
      "your notification and polling options were kept (replace takes the file's)"
    )
  })

  it('never overwrites without replace: duplicates by id or URL are skipped with the reason', () => {
    const mine = current()
    mine.clusters[1] = { ...mine.clusters[1]!, id: 'other-id' } // same URL, another id
    const r = importSettings(mine, exported, { replace: false })
    if (!r.ok) throw new Error(r.error)
    expect(r.report.added).toEqual([])
    expect(r.report.skipped).toEqual([
      {
        name: 'prod',
        reason: 'a cluster with the same id exists (prod); use replace to overwrite it'
      },
      {
        name: 'test',
        reason: 'a cluster with the same URL exists (test); use replace to overwrite it'
      },
      {
        name: 'old',
        reason: 'a cluster with the same id exists (old); use replace to overwrite it'
      }
    ])
    expect(r.settings.clusters).toEqual(mine.clusters)
  })

  it('replace overwrites in place and keeps the existing id (and so its stored secrets)', () => {
    const mine = current()
    mine.clusters[1] = { ...mine.clusters[1]!, id: 'other-id', intervalSec: 99 }
    const stored = new Set([secretRef('p'), secretRef('p', 'passphrase')])
    const r = importSettings(mine, exported, { replace: true, hasSecret: (ref) => stored.has(ref) })
    if (!r.ok) throw new Error(r.error)
    expect(r.report.replaced).toEqual(['prod', 'test', 'old'])
    expect(r.settings.clusters.map((c) => c.id)).toEqual(['p', 'other-id', 'b'])
    expect(r.settings.clusters[1]?.intervalSec).toBe(30)
    expect(r.report.needCredentials).toEqual(['old'])
    expect(r.settings.watchdogMinutes).toBe(15)
  })

  it('ignores secret references in the file: an imported cluster cannot borrow a stored secret', () => {
    const evil = JSON.stringify({
      version: 2,
      clusters: [
        {
          id: 'x',
          name: 'attacker',
          url: 'https://attacker.example/api',
          auth: { kind: 'token', secretRef: secretRef('p') },
          tls: { passphraseRef: secretRef('p', 'passphrase') }
        }
      ]
    })
    const r = importSettings(current(), evil, { replace: false })
    if (!r.ok) throw new Error(r.error)
    const c = r.settings.clusters.find((x) => x.name === 'attacker')
    expect(c?.auth.secretRef).toBeUndefined()
    expect(c?.tls.passphraseRef).toBeUndefined()
    expect(r.report.needCredentials).toEqual(['attacker'])
  })

  it('skips what it cannot use and says why; repairs are reported; a taken name is changed', () => {
    const file = JSON.stringify({
      version: 2,
      clusters: [
        { name: 'a', url: 'https://a.example/api', intervalSec: 0 },
        { name: 'a-again', url: 'https://A.example/api/' },
        { name: 'nowhere' },
        { name: 'prod', url: 'https://new-prod.example/api' }
      ]
    })
    let n = 0
    const r = importSettings(current(), file, { replace: false, newId: () => `new-${++n}` })
    if (!r.ok) throw new Error(r.error)
    expect(r.report.added).toEqual(['a', 'prod (2)'])
    expect(r.report.skipped).toEqual([
      { name: 'a-again', reason: 'same URL as a, earlier in the file' },
      { name: 'nowhere', reason: 'no usable URL (missing)' }
    ])
    expect(r.report.notes.join('\n')).toMatch(
      /clusters\[0\]\.intervalSec: 0 is below the minimum 1/
    )
    expect(r.report.notes).toContain('"prod" was renamed "prod (2)" (the name was taken)')
  })

  it('a version-1 file: migrated, its plain-text tokens not imported', () => {
    const v1 = JSON.stringify({
      version: 1,
      clusters: [{ name: 'legacy', url: 'https://legacy.example/api', token: 'plain-token-1' }]
    })
    const r = importSettings(defaultSettings(), v1, { replace: false })
    if (!r.ok) throw new Error(r.error)
    expect(r.report.added).toEqual(['legacy'])
    expect(JSON.stringify(r)).not.toContain('plain-token-1')
    expect(r.report.needCredentials).toEqual(['legacy'])
    expect(r.report.notes.join('\n')).toMatch(/1 plain-text token\(s\).*not imported/)
  })

  it('replace that points a cluster at another server forgets its stored credentials', () => {
    const moved = JSON.stringify({
      version: 2,
      clusters: [
        { id: 'p', name: 'prod', url: 'https://elsewhere.example/api', auth: { kind: 'token' } }
      ]
    })
    const stored = new Set([secretRef('p'), secretRef('p', 'passphrase')])
    const r = importSettings(current(), moved, {
      replace: true,
      hasSecret: (ref) => stored.has(ref)
    })
    if (!r.ok) throw new Error(r.error)
    expect(r.forgetSecrets).toEqual([secretRef('p'), secretRef('p', 'passphrase')])
    expect(r.report.needCredentials).toEqual(['prod'])
    expect(r.report.notes).toContain(
      '"prod" now points at https://elsewhere.example (it was https://scale.prod.example): its stored credentials were removed so they are not sent to another server; enter them again'
    )
  })

  it('replace on the same server keeps the stored credentials', () => {
    const same = JSON.stringify({
      version: 2,
      clusters: [{ id: 'p', name: 'prod', url: 'https://scale.prod.example/api/', intervalSec: 5 }]
    })
    const r = importSettings(current(), same, { replace: true, hasSecret: () => true })
    if (!r.ok) throw new Error(r.error)
    expect(r.forgetSecrets).toEqual([])
    expect(r.settings.clusters[0]?.intervalSec).toBe(5)
  })

  it('a user and password written in an API or UI URL are neither exported nor imported', () => {
    const mine = current()
    mine.clusters[1] = {
      ...mine.clusters[1]!,
      url: 'http://dave:url-pw-1@scale.test.example/api',
      uiUrl: 'http://dave:url-pw-2@scale.test.example/'
    }
    const out = exportSettings(mine, now)
    expect(out.content).not.toMatch(/url-pw-|dave/)
    expect(out.content).toContain('test (API URL, Scale UI URL')
    const file = JSON.stringify({
      version: 2,
      clusters: [{ name: 'x', url: 'https://eve:url-pw-3@x.example/api' }]
    })
    const r = importSettings(defaultSettings(), file, { replace: false })
    if (!r.ok) throw new Error(r.error)
    expect(r.settings.clusters[0]?.url).toBe('https://x.example/api')
    expect(JSON.stringify(r)).not.toContain('url-pw-3')
    expect(r.report.notes).toContain(
      '"x": the user and password written in its API URL were left out; enter credentials instead'
    )
  })

  it('says that a left-out field survives in the imported file, not in a backup', () => {
    const file = JSON.stringify({
      version: 2,
      clusters: [{ name: 'x', url: 'https://x.example/api', typo: 1 }]
    })
    const r = importSettings(defaultSettings(), file, { replace: false })
    if (!r.ok) throw new Error(r.error)
    expect(r.report.notes.join('\n')).toMatch(/typo: .*the imported file keeps it/)
  })

  it('renames 2,000 clusters of one name to distinct names', () => {
    const file = JSON.stringify({
      version: 2,
      clusters: Array.from({ length: 2000 }, (_, i) => ({
        name: 'prod',
        url: `https://s${i}.example/api`
      }))
    })
    const r = importSettings(current(), file, { replace: false })
    if (!r.ok) throw new Error(r.error)
    const names = r.settings.clusters.map((c) => c.name.toLowerCase())
    expect(new Set(names).size).toBe(names.length)
    expect(r.report.added.slice(0, 3)).toEqual(['prod (2)', 'prod (3)', 'prod (4)'])
    expect(r.report.added.at(-1)).toBe('prod (2001)')
  })

  it('a moved cluster does not take away credentials another cluster shares', () => {
    const mine = current()
    // "test" uses prod's token as its own (a shared reference).
    mine.clusters[1] = {
      ...mine.clusters[1]!,
      auth: { kind: 'token', secretRef: secretRef('p') }
    }
    const moved = JSON.stringify({
      version: 2,
      clusters: [{ id: 'p', name: 'prod', url: 'https://elsewhere.example/api' }]
    })
    const r = importSettings(mine, moved, { replace: true, hasSecret: () => true })
    if (!r.ok) throw new Error(r.error)
    expect(r.forgetSecrets).toEqual([secretRef('p', 'passphrase')])
    expect(r.report.notes.join('\n')).toMatch(
      /"prod" now points at https:\/\/elsewhere\.example, but shares stored credentials with another cluster/
    )
  })

  it('a file that is not JSON is refused by where it fails, never by quoting it', () => {
    const r = importSettings(current(), '{"version": 2, "tok": SUPERSECRET-77}', { replace: false })
    expect(r).toEqual({
      ok: false,
      error: 'not a settings file: it is not JSON (a character JSON does not allow)'
    })
    const cut = importSettings(current(), '{"version": 2 "x": 1}', { replace: false })
    expect(cut).toMatchObject({ error: expect.stringMatching(/at line 1, column 15/) as unknown })
  })

  it('reads a bare list of clusters, as a settings file may be', () => {
    const r = importSettings(
      defaultSettings(),
      JSON.stringify([{ name: 'a', url: 'https://a.example/api' }]),
      { replace: false }
    )
    if (!r.ok) throw new Error(r.error)
    expect(r.report.added).toEqual(['a'])
  })

  it('tells URLs apart by path case (paths are case-sensitive), not by host case', () => {
    const file = JSON.stringify({
      version: 2,
      clusters: [
        { name: 'upper-path', url: 'http://scale.test.example/API' },
        { name: 'upper-host', url: 'http://SCALE.TEST.example/api' }
      ]
    })
    const r = importSettings(current(), file, { replace: false })
    if (!r.ok) throw new Error(r.error)
    expect(r.report.added).toEqual(['upper-path'])
    expect(r.report.skipped.map((x) => x.name)).toEqual(['upper-host'])
  })

  it('removes control characters from imported names, so a name cannot drive the terminal', () => {
    const file = JSON.stringify({
      version: 2,
      clusters: [{ name: 'evil\u001b[2J\nnote: all good', url: 'https://e.example/api' }]
    })
    const r = importSettings(defaultSettings(), file, { replace: false })
    if (!r.ok) throw new Error(r.error)
    expect(r.report.added).toEqual(['evil[2Jnote: all good'])
    expect(r.report.notes.join('\n')).toMatch(/holds control characters/)
  })

  it('what is not a settings file is an error, not a half import', () => {
    expect(importSettings(current(), '{"a":', { replace: false })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a settings file: it is not JSON/) as unknown
    })
    expect(importSettings(current(), '[1,2]', { replace: false })).toMatchObject({
      ok: false,
      error: 'not a settings file: it has no "clusters" and no "version"'
    })
  })
})
