// The renderer may import only types from main/, so two tables are restated there: these tests
// hold each copy to the one main/ decides with.
import { describe, expect, it } from 'vitest'
import { DEPENDENCY_KEYS } from '../../../main/core/scale/schema.ts'
import { LEVEL_RANK as MAIN_RANK } from '../../../main/core/types.ts'
import { LEVEL_RANK } from '../../../renderer/lib/levels.ts'
import { DEPENDENCY_ORDER } from '../../../renderer/lib/status.ts'

describe('tables the renderer restates', () => {
  it('ranks levels as the tray does', () => {
    expect(LEVEL_RANK).toEqual(MAIN_RANK)
  })

  it('lists the same dependencies as the status schema', () => {
    expect([...DEPENDENCY_ORDER].sort()).toEqual([...DEPENDENCY_KEYS].sort())
  })
})
