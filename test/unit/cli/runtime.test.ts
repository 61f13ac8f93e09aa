// Which credential a cluster of `watch`/`serve` uses: a flag, then the cluster's own
// SCALE_TOKEN_<NAME>, then a stored token, then the catch-all SCALE_TOKEN.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRuntime } from '../../../main/cli/runtime.ts'
import { readCluster } from '../../../main/core/scale/client.ts'
import { authFor } from '../../../main/core/monitor/reader.ts'
import { DEFAULT_SIM_TOKEN, startSim, type RunningSim } from '../../../main/sim/server.ts'

let sim: RunningSim
let dir: string
beforeAll(async () => {
  sim = await startSim({ port: 0 })
  dir = await mkdtemp(join(tmpdir(), 'scale-tray-runtime-'))
})
afterAll(async () => {
  await sim.close()
  await rm(dir, { recursive: true, force: true })
})

async function levelWith(
  env: Record<string, string>,
  opts: { config?: string; clusters?: string[]; flagToken?: string } = {}
): Promise<string> {
  const rt = await buildRuntime({
    config: opts.config,
    clusters: opts.clusters ?? [],
    auth: opts.flagToken
      ? { kind: 'token', secret: opts.flagToken }
      : env.SCALE_TOKEN
        ? { kind: 'token', secret: env.SCALE_TOKEN }
        : { kind: 'none' },
    authFromFlag: opts.flagToken !== undefined,
    env
  })
  const c = rt.settings.clusters[0]
  if (!c) throw new Error('no cluster')
  const out = await readCluster({ url: c.url, auth: authFor(c, rt.secrets), timeoutMs: 3000 })
  await rt.close()
  return out.kind === 'ok'
    ? 'ok'
    : out.kind === 'failure'
      ? (out.failure.detail ?? out.failure.kind)
      : out.kind
}

describe('credentials for clusters given on the command line', () => {
  it("uses the cluster's own SCALE_TOKEN_<NAME>", async () => {
    expect(
      await levelWith(
        { SCALE_TOKEN_SECURE: DEFAULT_SIM_TOKEN },
        { clusters: [`secure=${sim.urlFor('auth-required')}`] }
      )
    ).toBe('ok')
  })

  it('prefers SCALE_TOKEN_<NAME> to the catch-all SCALE_TOKEN', async () => {
    expect(
      await levelWith(
        { SCALE_TOKEN: 'wrong', SCALE_TOKEN_SECURE: DEFAULT_SIM_TOKEN },
        { clusters: [`secure=${sim.urlFor('auth-required')}`] }
      )
    ).toBe('ok')
  })

  it('prefers a --token flag to any variable', async () => {
    expect(
      await levelWith(
        { SCALE_TOKEN_SECURE: 'wrong' },
        { clusters: [`secure=${sim.urlFor('auth-required')}`], flagToken: DEFAULT_SIM_TOKEN }
      )
    ).toBe('ok')
  })
})

describe('credentials for clusters in a settings file', () => {
  it('a cluster variable beats a stored token; a stored token beats the catch-all', async () => {
    const file = join(dir, 'settings.json')
    const id = 'c1'
    await writeFile(
      file,
      JSON.stringify({
        version: 2,
        clusters: [
          {
            id,
            name: 'secure',
            url: sim.urlFor('auth-required'),
            auth: { kind: 'token', secretRef: `cluster:${id}:auth` }
          }
        ]
      })
    )
    await writeFile(
      join(dir, 'secrets.json'),
      JSON.stringify({ version: 1, secrets: { [`cluster:${id}:auth`]: 'stale-token' } }),
      { mode: 0o600 }
    )
    expect(await levelWith({ SCALE_TOKEN_SECURE: DEFAULT_SIM_TOKEN }, { config: file })).toBe('ok')
    expect(await levelWith({ SCALE_TOKEN: DEFAULT_SIM_TOKEN }, { config: file })).toBe(
      'Invalid token.'
    )
  })
})
