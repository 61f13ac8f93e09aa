import { describe, expect, it } from 'vitest'
import {
  formatDuration,
  formatRelative,
  formatResource,
  formatUsage,
  levelInfo,
  nextMorning,
  parseScaleTime,
  severityInfo
} from '../../../renderer/lib/format.ts'

describe('resource units', () => {
  it('shows mem and disk (MiB in Scale) as MiB, GiB or TiB by size', () => {
    expect(formatResource('mem', 512)).toBe('512 MiB')
    expect(formatResource('mem', 393216)).toBe('384 GiB')
    expect(formatResource('mem', 3014656)).toBe('2.88 TiB')
    expect(formatResource('disk', 1536)).toBe('1.5 GiB')
  })

  it('shows cpus and gpus as counts, and tames float noise from per-node values', () => {
    expect(formatResource('cpus', 170.25)).toBe('170 CPUs')
    expect(formatResource('cpus', 0.30000000000000004)).toBe('0.3 CPUs')
    expect(formatResource('gpus', 1)).toBe('1 GPU')
    expect(formatResource('sharedmem', 12.5)).toBe('12.5')
  })

  it('puts used and total in the unit of the total', () => {
    expect(formatUsage('mem', 1021624.13, 3014656)).toBe('0.97 / 2.88 TiB')
    expect(formatUsage('mem', 252569.2, 393216, true)).toBe('246.6 / 384 GiB')
    expect(formatUsage('cpus', 31.13, 48, true)).toBe('31.1 / 48')
  })
})

describe('times', () => {
  it('reads durations the way an operator says them', () => {
    expect(formatDuration(45_000)).toBe('45 s')
    expect(formatDuration(3 * 60_000)).toBe('3 min')
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min')
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe('3 d 4 h')
  })

  it('says how long ago, and "never" for no time at all', () => {
    const now = 1_000_000_000
    expect(formatRelative(now - 2000, now)).toBe('just now')
    expect(formatRelative(now - 3 * 60_000, now)).toBe('3 min ago')
    expect(formatRelative(now + 5 * 60_000, now)).toBe('in 5 min')
    expect(formatRelative(null, now)).toBe('never')
  })

  it('parses Scale timestamps with microseconds or none', () => {
    expect(parseScaleTime('2021-07-14T12:00:03.123456Z')).toBe(Date.UTC(2021, 6, 14, 12, 0, 3, 123))
    expect(parseScaleTime('2021-07-14T12:00:03Z')).toBe(Date.UTC(2021, 6, 14, 12, 0, 3))
    expect(parseScaleTime('not a time')).toBeNull()
    expect(parseScaleTime(undefined)).toBeNull()
  })

  it('snoozes "until 08:00" to this morning at night and to tomorrow by day', () => {
    const night = new Date(2024, 4, 10, 2, 30).getTime()
    const day = new Date(2024, 4, 10, 14, 0).getTime()
    expect(new Date(nextMorning(night)).toString()).toBe(new Date(2024, 4, 10, 8, 0).toString())
    expect(new Date(nextMorning(day)).toString()).toBe(new Date(2024, 4, 11, 8, 0).toString())
  })
})

describe('levels', () => {
  it('gives every level its own word and shape, not just a colour', () => {
    const levels = ['ok', 'warning', 'critical', 'unknown', 'offline', 'paused'] as const
    const infos = levels.map(levelInfo)
    expect(new Set(infos.map((i) => i.word)).size).toBe(levels.length)
    expect(new Set(infos.map((i) => i.shape)).size).toBe(levels.length)
    expect(levelInfo('critical')).toMatchObject({ word: 'Critical', shape: 'octagon' })
    expect(severityInfo('info').word).toBe('Info')
  })
})
