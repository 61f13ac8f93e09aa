// `watch`/`serve`/`settings` given odd --config files and arguments: each gets a clear message
// (never "internal error"), a repair is reported before the error that stops the run, and a file
// that must not be written (newer version, read-only, a link) is left byte for byte as it was.
import { execFileSync, spawn } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRuntime, parseClusterArg } from '../../../main/cli/runtime.ts'
import { runSettings } from '../../../main/cli/settings.ts'
import { runWatch } from '../../../main/cli/watch.ts'
import { UsageError } from '../../../main/cli/common.ts'
import { REPO_ROOT, runCli } from '../../helpers/cli.ts'
import { fakeIo } from '../../helpers/io.ts'

let dir: string
let n = 0
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scale-tray-config-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A fresh folder per test: settings, secrets and history live side by side. */
async function folder(): Promise<string> {
  const d = join(dir, `t${++n}`)
  await mkdir(d)
  return d
}

const cluster = (id: string, name: string) => ({
  id,
  name,
  url: `https://${name}.example/api`,
  auth: { kind: 'token', secretRef: `cluster:${id}:auth` }
})

describe('arguments that used to end in "internal error"', () => {
  it('an empty --config is a usage error, exit 3', async () => {
    const f = fakeIo()
    expect(await runWatch(['--config', ''], f.io)).toBe(3)
    expect(f.stderr()).toMatch(/--config needs a file name \(it was given an empty one\)/)
    const s = fakeIo()
    expect(await runSettings(['export', '--config', ''], s.io)).toBe(3)
    expect(s.stderr()).toMatch(/--config needs a file name/)
  })

  it('a folder as --config says it is a folder and which file it probably meant', async () => {
    const d = await folder()
    const f = fakeIo()
    expect(await runWatch(['--config', d], f.io)).toBe(3)
    expect(f.stderr()).toContain(`${d} is a directory, not a settings file`)
    expect(f.stderr()).toContain(join(d, 'settings.json'))
    expect(f.stderr()).not.toMatch(/internal error|EISDIR/)
  })

  it('a NAME over 80 characters is a usage error naming the limit', () => {
    const long = 'x'.repeat(81)
    expect(() => parseClusterArg(`${long}=https://a.example/api`, 0)).toThrow(UsageError)
    expect(() => parseClusterArg(`${long}=https://a.example/api`, 0)).toThrow(
      /is too long: the most is 80 characters/
    )
    expect(parseClusterArg(`${'x'.repeat(80)}=https://a.example/api`, 0).name).toHaveLength(80)
  })
})

describe('what loading said is printed even when the run then stops', () => {
  it('a repaired file with no clusters left: the repair and the backup path come before the error', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    await writeFile(file, '{"version": 2, "confirmPolls": "lots", ')
    const f = fakeIo()
    expect(await runWatch(['--config', file], f.io)).toBe(3)
    const err = f.stderr()
    const copied = err.indexOf('the original file was copied to')
    const noClusters = err.indexOf(`no clusters in ${file}`)
    expect(copied).toBeGreaterThanOrEqual(0)
    expect(noClusters).toBeGreaterThan(copied)
    expect((await readdir(d)).some((x) => x.startsWith('settings.json.corrupt-'))).toBe(true)
  })

  it('a damaged secrets file is reported at start, before any poll', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    await writeFile(file, JSON.stringify({ version: 2, clusters: [cluster('c1', 'prod')] }))
    await writeFile(join(d, 'secrets.json'), '{"version":1,"secrets":{"cluster:c1:auth":"tok-7', {
      mode: 0o600
    })
    const rt = await buildRuntime({ config: file, clusters: [], auth: { kind: 'none' }, env: {} })
    await rt.close()
    const secretLines = rt.notices.filter((l) => l.startsWith('secrets: '))
    expect(secretLines).toHaveLength(1)
    expect(secretLines[0]).toMatch(/is not valid JSON; copied to .*secrets\.json\.corrupt-/)
    expect(rt.notices.join('\n')).not.toContain('tok-7')
  })
})

describe('settings files that are read but never written', () => {
  it('a file from a newer Scale Tray: used, not saved, and left as it was', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    const text = JSON.stringify({
      version: 99,
      clusters: [{ ...cluster('c1', 'prod'), newField: 1 }],
      newTopLevel: { a: 1 }
    })
    await writeFile(file, text)
    const rt = await buildRuntime({ config: file, clusters: [], auth: { kind: 'none' }, env: {} })
    expect(rt.settings.clusters.map((c) => c.name)).toEqual(['prod'])
    expect(rt.store).toBeUndefined()
    expect(rt.readOnly?.reason).toMatch(/newer Scale Tray \(version 99/)
    expect(rt.notices.join('\n')).toMatch(/read only: changes in this run are not saved/)
    await rt.close()
    expect(await readFile(file, 'utf8')).toBe(text)
    expect((await readdir(d)).filter((x) => x.startsWith('settings'))).toEqual(['settings.json'])
  })

  it.runIf(process.platform !== 'win32')(
    'a link: the file it points at is never written through',
    async () => {
      const d = await folder()
      const real = join(d, 'real.json')
      const text = JSON.stringify({ version: 2, clusters: [cluster('c1', 'prod')] })
      await writeFile(real, text)
      await symlink(real, join(d, 'settings.json'))
      const rt = await buildRuntime({
        config: join(d, 'settings.json'),
        clusters: [],
        auth: { kind: 'none' },
        env: {}
      })
      expect(rt.store).toBeUndefined()
      expect(rt.notices.join('\n')).toMatch(/is a symbolic link .*never written through a link/)
      await rt.close()
      expect(await readFile(real, 'utf8')).toBe(text)
    }
  )
})

describe('settings import', () => {
  it('copies the settings aside first, and forgets the credentials of a cluster moved to another server', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    const before = JSON.stringify({ version: 2, clusters: [cluster('c1', 'prod')] })
    await writeFile(file, before)
    await writeFile(
      join(d, 'secrets.json'),
      JSON.stringify({ version: 1, secrets: { 'cluster:c1:auth': 'tok-old-server' } }),
      { mode: 0o600 }
    )
    const moved = join(d, 'moved.json')
    await writeFile(
      moved,
      JSON.stringify({
        version: 2,
        clusters: [{ ...cluster('c1', 'prod'), url: 'https://other.example/api' }]
      })
    )
    const f = fakeIo()
    expect(await runSettings(['import', moved, '--config', file, '--replace'], f.io)).toBe(0)
    const out = f.stdout()
    expect(out).toMatch(/replaced: prod/)
    expect(out).toMatch(/needs credentials: prod/)
    expect(out).toMatch(
      /"prod" now points at https:\/\/other\.example .*stored credentials were removed/
    )
    const backup = (await readdir(d)).find((x) => x.startsWith('settings.json.pre-import-'))
    expect(backup).toBeDefined()
    expect(out).toContain(`the settings before the import were copied to ${join(d, backup ?? '')}`)
    expect(await readFile(join(d, backup ?? ''), 'utf8')).toBe(before)
    const secrets = JSON.parse(await readFile(join(d, 'secrets.json'), 'utf8')) as {
      secrets: Record<string, string>
    }
    expect(secrets.secrets).toEqual({})
  })

  it.runIf(process.platform !== 'win32')(
    'into a read-only settings file: refused with the reason, nothing changed',
    async () => {
      const d = await folder()
      const file = join(d, 'settings.json')
      const before = JSON.stringify({ version: 2, clusters: [] })
      await writeFile(file, before)
      await chmod(file, 0o444)
      const other = join(d, 'in.json')
      await writeFile(
        other,
        JSON.stringify({ version: 2, clusters: [{ name: 'a', url: 'https://a.example/api' }] })
      )
      const f = fakeIo()
      expect(await runSettings(['import', other, '--config', file], f.io)).toBe(3)
      expect(f.stderr()).toContain(
        `cannot import into ${file}: ${file} is read-only; nothing was changed`
      )
      expect(await readFile(file, 'utf8')).toBe(before)
      await chmod(file, 0o644)
    }
  )
})

describe('more arguments that are refused with a reason', () => {
  it('an empty NAME before "=", a name with control characters, a --config ending in /', async () => {
    expect(() => parseClusterArg('=https://a.example/api', 0)).toThrow(
      /the name before "=" is empty/
    )
    expect(() => parseClusterArg('   =https://a.example/api', 0)).toThrow(/is empty/)
    expect(() => parseClusterArg('evil\u001b[31m\nFAKE=https://a.example/api', 0)).toThrow(
      /control characters/
    )
    const f = fakeIo()
    expect(await runWatch(['--config', `${dir}/nd/`], f.io)).toBe(3)
    expect(f.stderr()).toContain(`--config ${dir}/nd/ names a folder; give the settings file in it`)
  })

  it('never prints a password typed into a URL, even in a URL that does not parse', () => {
    let message = ''
    try {
      parseClusterArg('p=http//user:PASSWORD99@127.0.0.1:1/api', 0)
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/is not a URL/)
    expect(message).not.toContain('PASSWORD99')
  })

  it('watch with every cluster disabled stops and says so, instead of watching nothing', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    await writeFile(
      file,
      JSON.stringify({ version: 2, clusters: [{ ...cluster('c1', 'prod'), enabled: false }] })
    )
    const f = fakeIo()
    expect(await runWatch(['--config', file], f.io)).toBe(3)
    expect(f.stderr()).toContain(`all 1 cluster(s) in ${file} are disabled`)
  })
})

describe('a read-only run keeps its hands off the secrets file', () => {
  it('a secret deleted in the run is gone for the run, and still in the file', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    await writeFile(file, JSON.stringify({ version: 99, clusters: [cluster('c1', 'prod')] }))
    const secretsText = JSON.stringify({ version: 1, secrets: { 'cluster:c1:auth': 'tok-keep' } })
    await writeFile(join(d, 'secrets.json'), secretsText, { mode: 0o600 })
    const rt = await buildRuntime({ config: file, clusters: [], auth: { kind: 'none' }, env: {} })
    expect(rt.secrets.get('cluster:c1:auth')).toBe('tok-keep')
    rt.secrets.delete('cluster:c1:auth')
    rt.secrets.set('cluster:c9:auth', 'tok-new')
    expect(rt.secrets.get('cluster:c1:auth')).toBeUndefined()
    expect(rt.secrets.get('cluster:c9:auth')).toBe('tok-new')
    await rt.close()
    expect(await readFile(join(d, 'secrets.json'), 'utf8')).toBe(secretsText)
  })
})

describe('settings export writes only the export', () => {
  it("refuses Scale Tray's own files, links, folders and missing folders as --out", async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    const text = JSON.stringify({ version: 2, clusters: [cluster('c1', 'prod')] })
    await writeFile(file, text)
    const secretsText = JSON.stringify({ version: 1, secrets: { 'cluster:c1:auth': 'tok-1' } })
    await writeFile(join(d, 'secrets.json'), secretsText, { mode: 0o600 })
    await writeFile(join(d, 'other.json'), 'other')
    await symlink(join(d, 'other.json'), join(d, 'link.json'))
    const cases: [string, RegExp][] = [
      [join(d, 'secrets.json'), /it is Scale Tray's own secrets\.json; export to another file/],
      [file, /it is Scale Tray's own settings\.json/],
      [join(d, 'link.json'), /it is a symbolic link/],
      [d, /it is a folder/],
      [join(d, 'no', 'such', 'e.json'), /its folder .*: no such file/]
    ]
    for (const [out, why] of cases) {
      const f = fakeIo()
      expect(await runSettings(['export', '--config', file, '--out', out], f.io)).toBe(3)
      expect(f.stderr()).toMatch(why)
    }
    expect(await readFile(file, 'utf8')).toBe(text)
    expect(await readFile(join(d, 'secrets.json'), 'utf8')).toBe(secretsText)
    expect(await readFile(join(d, 'other.json'), 'utf8')).toBe('other')
    const ok = fakeIo()
    expect(await runSettings(['export', '--config', file, '--out', join(d, 'e.json')], ok.io)).toBe(
      0
    )
    expect(JSON.parse(await readFile(join(d, 'e.json'), 'utf8'))).toMatchObject({
      kind: 'scale-tray-settings-export'
    })
  })

  it('does not repair or rewrite a damaged settings file it exports from', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    const text = '{"version": 2, "clusters": [{"name": "a", "url": "https://a.example/api"}'
    await writeFile(file, text)
    const f = fakeIo()
    expect(await runSettings(['export', '--config', file], f.io)).toBe(0)
    expect(f.stdout()).toContain('"name": "a"')
    expect(await readFile(file, 'utf8')).toBe(text)
    expect(await readdir(d)).toEqual(['settings.json'])
  })
})

describe('settings import reads its file with care', () => {
  it('a file that cannot be imported changes nothing, and its text is never quoted', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    const text = '{"version": 2, "clusters": [{"name": "a", "url": "https://a.example/api"}'
    await writeFile(file, text)
    const bad = join(d, 'bad.json')
    await writeFile(bad, '{"version": 2, "tok": SUPERSECRET-TOKEN-zzz}')
    const f = fakeIo()
    expect(await runSettings(['import', bad, '--config', file], f.io)).toBe(3)
    expect(f.stderr()).toMatch(/not a settings file: it is not JSON/)
    expect(f.stderr()).not.toContain('SUPERSECRET')
    expect(await readFile(file, 'utf8')).toBe(text) // not even repaired
  })

  it('refuses a folder, a missing file and a pipe with a plain reason, without the usage text', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    execFileSync('mkfifo', [join(d, 'pipe')])
    const cases: [string, string][] = [
      [d, 'is a folder, not a file'],
      [join(d, 'nope.json'), 'no such file'],
      [join(d, 'pipe'), 'is not a regular file']
    ]
    for (const [input, why] of cases) {
      const f = fakeIo()
      expect(await runSettings(['import', input, '--config', file], f.io)).toBe(3)
      expect(f.stderr()).toContain(why)
      expect(f.stderr()).not.toContain('Usage:')
    }
  })

  it('reads a UTF-16 export (what PowerShell 5 writes with >)', async () => {
    const d = await folder()
    const exp = join(d, 'e16.json')
    const body = JSON.stringify({
      version: 2,
      clusters: [{ name: 'w', url: 'https://w.example/api' }]
    })
    await writeFile(exp, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]))
    const f = fakeIo()
    expect(await runSettings(['import', exp, '--config', join(d, 'settings.json')], f.io)).toBe(0)
    expect(f.stdout()).toMatch(/added: {4}w/)
  })

  it('an import that changes nothing leaves the file alone and makes no backup', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    const body = JSON.stringify({ version: 2, clusters: [cluster('c1', 'prod')] })
    await writeFile(file, body)
    const f = fakeIo()
    expect(await runSettings(['import', file, '--config', file], f.io)).toBe(0)
    expect(f.stdout()).toMatch(/nothing to change: the settings file was left as it was/)
    expect(await readdir(d)).toEqual(['settings.json'])
  })
})

describe('the process', () => {
  it('leaves quietly when the reader of its output goes away (| head)', async () => {
    const d = await folder()
    const file = join(d, 'settings.json')
    const clusters = Array.from({ length: 600 }, (_, i) => ({
      name: `c${i}`,
      url: `https://c${i}.example/api`
    }))
    await writeFile(file, JSON.stringify({ version: 2, clusters }))
    const child = spawn(
      process.execPath,
      ['bin/scale-tray.mjs', 'settings', 'export', '--config', file],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t))
    child.stdout.once('data', () => child.stdout.destroy()) // like head: read a little, then close
    const code = await new Promise<number | null>((done) => child.on('close', done))
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.ts:\d+/)
    expect(code).toBe(0)
  })

  it('refuses standard input past 16 MiB instead of reading without end', async () => {
    const r = await runCli(['settings', 'import', '-', '--config', join(dir, 'never.json')], {
      stdin: ' '.repeat(17 * 1024 * 1024),
      killAfterMs: 20_000
    })
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(
      /cannot read standard input: standard input is more than the 16\.0 MiB/
    )
  })
})
