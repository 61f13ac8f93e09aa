// Plain TS: comparisons shared by the dashboard's sortable tables.

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/** Natural, case-insensitive: "agent-2" before "agent-10". */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b)
}

export type SortDir = 'asc' | 'desc'

/** The next direction when a column header is clicked: a new column starts at its natural direction. */
export function nextSort<K extends string>(
  current: { key: K; dir: SortDir },
  key: K,
  naturalDir: SortDir = 'asc'
): { key: K; dir: SortDir } {
  if (current.key !== key) return { key, dir: naturalDir }
  return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' }
}

/** `aria-sort` for a column header. */
export function ariaSort(
  current: { key: string; dir: SortDir },
  key: string
): 'ascending' | 'descending' | 'none' {
  if (current.key !== key) return 'none'
  return current.dir === 'asc' ? 'ascending' : 'descending'
}

/** Sorted copy by a key function; ties keep their input order (Array.prototype.sort is stable). */
export function sortBy<T>(
  items: readonly T[],
  value: (t: T) => number | string,
  dir: SortDir
): T[] {
  const sign = dir === 'asc' ? 1 : -1
  return items.slice().sort((a, b) => {
    const x = value(a)
    const y = value(b)
    const c =
      typeof x === 'string' && typeof y === 'string'
        ? compareText(x, y)
        : (x as number) - (y as number)
    return sign * c
  })
}
