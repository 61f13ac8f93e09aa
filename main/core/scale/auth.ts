// Electron-free: how a request to Scale carries credentials (scale-status-api.md §8).

/**
 * - `token`: Scale/DRF token, `Authorization: Token <key>` (from `POST /api/api-token-auth/`).
 * - `bearer`: `Authorization: Bearer <value>`; GEOAxIS wants the value `geoaxis <access token>`.
 * - `basic`: HTTP Basic; only Scale ≤ 6.x accepts it (7.x has no Basic authenticator).
 * - `dcos`: DC/OS Admin Router, `Authorization: token=<DC/OS token>`.
 */
export type AuthKind = 'none' | 'token' | 'bearer' | 'basic' | 'dcos'
export const AUTH_KINDS: readonly AuthKind[] = ['none', 'token', 'bearer', 'basic', 'dcos']

export type Auth =
  | { kind: 'none' }
  | { kind: 'token' | 'bearer' | 'dcos'; secret: string }
  | { kind: 'basic'; username: string; secret: string }

/** The `Authorization` header value for `auth`, or undefined for none. */
export function authorizationHeader(auth: Auth): string | undefined {
  switch (auth.kind) {
    case 'none':
      return undefined
    case 'token':
      return `Token ${auth.secret}`
    case 'bearer':
      return `Bearer ${auth.secret}`
    case 'dcos':
      return `token=${auth.secret}`
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.secret}`, 'utf8').toString('base64')}`
  }
}

/** A short, secret-free description for messages: "a Scale token", "Basic auth as alice". */
export function describeAuth(auth: Auth): string {
  switch (auth.kind) {
    case 'none':
      return 'no credentials'
    case 'token':
      return 'a Scale token'
    case 'bearer':
      return 'a bearer token'
    case 'dcos':
      return 'a DC/OS token'
    case 'basic':
      return `Basic auth as ${auth.username}`
  }
}
