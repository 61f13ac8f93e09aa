// Plain TS: level ordering and per-cluster wording the views share. The renderer may import only
// types from main/, so the rank table is restated here (it must match main/core/types.ts).
import type { Level } from '../../main/core/types.ts'
import type { ClusterView } from '../../main/core/monitor/types.ts'
import { formatDuration } from './format.ts'

/** Worse first: critical > warning > unknown > ok (the tray's precedence). */
export const LEVEL_RANK: Record<Level, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 }

/** One line for a cluster: its most important unacknowledged finding, else the summary. */
export function reasonOf(c: ClusterView): string {
  if (!c.enabled) return 'Disabled: not polled'
  const f = c.findings.find((x) => !x.acked && x.severity !== 'info')
  return f ? f.title : c.summary
}

/**
 * No good read for longer than three intervals plus the timeout is stale: the level shown is
 * old news. A cluster never read successfully is not "stale", it is unknown.
 */
export function staleFor(c: ClusterView, now: number): number | null {
  if (!c.enabled || c.lastSuccessAt === null) return null
  const age = now - c.lastSuccessAt
  return age > Math.max(3 * c.intervalSec * 1000 + 10_000, 60_000) ? age : null
}

/** "stale: no good read for 5 min", or null. */
export function staleText(c: ClusterView, now: number): string | null {
  const age = staleFor(c, now)
  return age === null ? null : `Stale: no good read for ${formatDuration(age)}`
}

/** What a failure to read means for the operator, in a sentence (null when it was read). */
export function failureHelp(c: ClusterView): string | null {
  switch (c.failureKind) {
    case null:
      return null
    case 'auth':
      return c.hasSecret
        ? 'The cluster refused the stored credentials. Check or replace the token in Settings.'
        : 'This cluster needs credentials: add a Scale token (or user name and password) in Settings.'
    case 'dns':
    case 'refused':
    case 'reset':
    case 'timeout':
    case 'network':
      return 'The cluster could not be reached from this machine (network, VPN or proxy?).'
    case 'tls':
      return 'The TLS certificate was not accepted: add the CA file in Settings, or check the host name.'
    case 'not-found':
      return 'No Scale API at this URL: check the API base (usually https://host/api) and the API version.'
    case 'redirect':
      return 'The server redirected (often to a login page): point the URL at the API itself.'
    case 'proxy':
      return 'The proxy in between refused or failed: check the proxy settings of this cluster (or HTTPS_PROXY/NO_PROXY).'
    case 'login':
      return 'Logging in for a token failed: check the user name and password in Settings.'
    case 'bad-url':
      return 'The cluster URL is not valid: fix it in Settings (the API base, e.g. https://scale.example.com/api).'
    case 'http':
      return 'The Scale web server answered with an error; see the findings below.'
    case 'too-large':
      return 'The status document is larger than the limit; see the findings below.'
    default:
      return 'The answer was not a Scale status document; see the findings below.'
  }
}
