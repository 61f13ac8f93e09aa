// Electron-free: the real ClusterReader — a cluster's settings and secret turned into a Scale read.
import { readCluster } from '../scale/client.ts'
import type { Auth } from '../scale/auth.ts'
import type { ClusterTransport } from '../scale/transport.ts'
import type { ClusterConfig } from '../settings/schema.ts'
import { secretRef, type SecretStore } from '../settings/secrets.ts'
import type { ClusterReader } from './monitor.ts'
import type { Dispatcher } from 'undici'

/** The credentials of a cluster, from its auth kind and the secret store. */
export function authFor(
  c: Pick<ClusterConfig, 'id' | 'auth'>,
  secrets: Pick<SecretStore, 'get'>
): Auth {
  const kind = c.auth.kind
  if (kind === 'none') return { kind: 'none' }
  const secret = secrets.get(c.auth.secretRef ?? secretRef(c.id))
  // No secret stored: ask without credentials; the server's 403 then says what is missing.
  if (!secret) return { kind: 'none' }
  if (kind === 'basic') return { kind: 'basic', username: c.auth.username ?? '', secret }
  return { kind, secret }
}

export interface ReaderOptions {
  secrets: Pick<SecretStore, 'get'>
  /**
   * Per-cluster transport (TLS, client certificate, proxy) and its findings, usually
   * `TransportCache.get` from `scale/transport.ts`. Takes precedence over `dispatcherFor`.
   */
  transportFor?: (c: ClusterConfig) => Promise<ClusterTransport>
  /** Per-cluster dispatcher only (no findings); the client's shared agent when it returns undefined. */
  dispatcherFor?: (c: ClusterConfig) => Dispatcher | undefined
  maxBytes?: number
}

/** A reader for the monitor: the Scale client with each cluster's auth, timeout and transport. */
export function makeReader(opts: ReaderOptions): ClusterReader {
  return async (c, ctx) => {
    const t = opts.transportFor ? await opts.transportFor(c) : undefined
    if (t?.blocked) {
      // The settings forbid sending anything (a bad explicit proxy): fail without a request.
      return {
        kind: 'failure',
        url: c.url,
        version: null,
        durationMs: 0,
        at: Date.now(),
        failure: t.blocked,
        ...(t.notes.length > 0 ? { notes: t.notes } : {})
      }
    }
    return readCluster({
      url: c.url,
      api: c.api,
      timeoutMs: c.timeoutSec * 1000,
      auth: authFor(c, opts.secrets),
      dispatcher: t?.dispatcher ?? opts.dispatcherFor?.(c),
      skipVersion: ctx.skipVersion,
      maxBytes: opts.maxBytes,
      signal: ctx.signal,
      ...(t ? { route: t.route, notes: t.notes } : {})
    })
  }
}
