// Plain TS: the dashboard's address lives in the URL hash, so a reload, a bookmark or a link on a
// wall screen keeps the cluster, the tab and the selected node. Parsing never throws: an unknown
// hash is the "All clusters" overview.

export const TABS = ['overview', 'nodes', 'jobs', 'history'] as const
export type Tab = (typeof TABS)[number]

export type Route =
  | { view: 'all' }
  | { view: 'cluster'; id: string; tab: Tab; node?: number }
  | { view: 'settings'; edit?: string }
  | { view: 'notifications' }

function isTab(s: string | undefined): s is Tab {
  return (TABS as readonly string[]).includes(s ?? '')
}

/** `#/cluster/<id>/nodes/42` → a route. */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode)
  const [head, a, b, c] = parts
  if (head === 'cluster' && a) {
    const tab = isTab(b) ? b : 'overview'
    const node = tab === 'nodes' && c !== undefined && /^\d+$/.test(c) ? Number(c) : undefined
    return node === undefined
      ? { view: 'cluster', id: a, tab }
      : { view: 'cluster', id: a, tab, node }
  }
  if (head === 'settings') return a ? { view: 'settings', edit: a } : { view: 'settings' }
  if (head === 'notifications') return { view: 'notifications' }
  return { view: 'all' }
}

/** A route as a hash, `#/…`. */
export function formatHash(r: Route): string {
  switch (r.view) {
    case 'all':
      return '#/all'
    case 'cluster':
      return `#/cluster/${encodeURIComponent(r.id)}/${r.tab}${r.node !== undefined ? `/${r.node}` : ''}`
    case 'settings':
      return r.edit ? `#/settings/${encodeURIComponent(r.edit)}` : '#/settings'
    case 'notifications':
      return '#/notifications'
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    // A hand-typed hash with a stray %: use it as written rather than fail.
    return s
  }
}
