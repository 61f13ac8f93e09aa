// Test helper: the recorded Scale payloads in test/fixtures/scale/ (see SOURCES.md there).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/scale/', import.meta.url))

/** Status documents (docs examples and the scale-ui mock). */
export const STATUS_FIXTURES = [
  'status-v5-docs-5.9.9.json',
  'status-v6-docs-7.2.json',
  'status-v6-scale-ui-mock.json'
] as const
/** 503 bodies, with the detail each carries. */
export const STALE_FIXTURES = {
  'status-v6-503-missing.json': 'Status is missing. Scheduler may be down.',
  'status-v6-503-stale.json': 'Status is over 12 seconds old'
} as const
/** `/version/` answers, with the version each carries. */
export const VERSION_FIXTURES = {
  'version-scale-ui-mock.json': '7.0.0',
  'version-v5-docs-5.9.9.json': '3.0.0',
  'version-v6-docs.json': '6.0.0'
} as const

/** Every JSON file in the fixture folder, sorted. */
export function fixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
}

export function fixturePath(name: string): string {
  return join(FIXTURE_DIR, name)
}

export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8')
}

export function loadFixture(name: string): unknown {
  return JSON.parse(readFixture(name)) as unknown
}
