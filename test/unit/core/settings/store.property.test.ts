import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Settings } from '../../../../main/core/settings/schema.ts'
import { MemorySecretStore } from '../../../../main/core/settings/secrets.ts'
import { openSettingsStore } from '../../../../main/core/settings/store.ts'

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-tray-prop-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

let n = 0
/** Write `text` as a fresh settings file and load it with the real store. */
function loadText(text: string) {
  const file = path.join(dir, `s${++n}`, 'settings.json')
  fs.mkdirSync(path.dirname(file))
  fs.writeFileSync(file, text)
  return openSettingsStore({ file, secrets: new MemorySecretStore() }).load()
}

// Cluster-ish entries: right keys, any values, so the repair paths are exercised, not just skipped.
const clusterish = fc.record(
  {
    id: fc.oneof(fc.uuid(), fc.string(), fc.jsonValue()),
    name: fc.oneof(fc.string(), fc.jsonValue()),
    url: fc.oneof(fc.webUrl(), fc.string(), fc.jsonValue()),
    intervalSec: fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.double(), fc.jsonValue()),
    intervalMs: fc.oneof(fc.integer(), fc.jsonValue()),
    token: fc.oneof(fc.string(), fc.jsonValue()),
    enabled: fc.jsonValue(),
    auth: fc.oneof(
      fc.record({ kind: fc.oneof(fc.constantFrom('none', 'token', 'x'), fc.jsonValue()) }),
      fc.jsonValue()
    ),
    overrides: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
    color: fc.jsonValue()
  },
  { requiredKeys: [] }
)
const documents = fc.record(
  {
    version: fc.oneof(fc.constantFrom(1, 2, 3), fc.jsonValue()),
    clusters: fc.array(fc.oneof(clusterish, fc.jsonValue()), { maxLength: 8 }),
    notifications: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
    notify: fc.jsonValue(),
    quietStart: fc.jsonValue(),
    confirmPolls: fc.jsonValue()
  },
  { requiredKeys: [] }
)

describe('load() on arbitrary files', () => {
  it('never throws and never returns fewer clusters than the file listed', () => {
    fc.assert(
      fc.property(fc.oneof(documents, fc.jsonValue()), (doc) => {
        const text = JSON.stringify(doc) ?? 'null'
        const listed = JSON.parse(text) as unknown
        const r = loadText(text)
        expect(Settings.safeParse(r.settings).success).toBe(true)
        const clusters =
          typeof listed === 'object' && listed !== null && 'clusters' in listed
            ? listed.clusters
            : undefined
        if (Array.isArray(clusters))
          expect(r.settings.clusters.length).toBeGreaterThanOrEqual(clusters.length)
        expect(new Set(r.settings.clusters.map((c) => c.id)).size).toBe(r.settings.clusters.length)
      }),
      { numRuns: 300 }
    )
  })

  it('never throws on a valid file cut off at any point, and keeps every cluster completed before the cut', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.uuid(),
            name: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
            url: fc.webUrl()
          }),
          {
            minLength: 1,
            maxLength: 6
          }
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (clusters, where) => {
          const text = JSON.stringify({ version: 2, clusters })
          const cut = text.slice(0, Math.floor(text.length * where))
          const r = loadText(cut)
          expect(Settings.safeParse(r.settings).success).toBe(true)
          // Every cluster written out in full before the cut is kept.
          const complete = clusters.filter((c) => cut.includes(JSON.stringify(c)))
          const ids = new Set(r.settings.clusters.map((c) => c.id))
          for (const c of complete) expect(ids.has(c.id)).toBe(true)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const r = loadText(text)
        expect(Settings.safeParse(r.settings).success).toBe(true)
      }),
      { numRuns: 200 }
    )
  })
})
