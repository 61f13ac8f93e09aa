// Electron-free: how a cluster is reached — an undici dispatcher built from its TLS and proxy
// settings and its secrets, plus the findings those settings deserve (TLS not verified, a client
// certificate near expiry, a file that cannot be read).
//
// Verification is always on unless one cluster says `insecure`; nothing here changes a global
// dispatcher or `NODE_TLS_REJECT_UNAUTHORIZED`. Problems with the settings never throw: they come
// back as findings, and the read goes ahead without the broken part (so the server's own answer
// shows what is missing), except a bad explicit proxy, which blocks the read rather than going
// around the proxy the user asked for.
import { createHash, X509Certificate } from 'node:crypto'
import { statSync } from 'node:fs'
import { readSmallFileSync, FileRefused } from '../files.ts'
import type { Socket } from 'node:net'
import { resolve as resolvePath } from 'node:path'
import tls from 'node:tls'
import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici'
import type { ClusterConfig } from '../settings/schema.ts'
import { secretRef, type SecretStore } from '../settings/secrets.ts'
import type { Failure, Finding } from '../types.ts'
import { DEFAULT_TIMEOUT_MS, type RouteInfo } from './client.ts'

/** CA bundles and certificates are kilobytes; anything bigger is not one (or is /dev/zero). */
const MAX_PKI_FILE = 4 * 1024 * 1024

/** A client certificate this close to expiry raises a warning. */
export const CERT_EXPIRY_WARN_DAYS = 14
const DAY = 86_400_000

/** Electron's `session.resolveProxy(url)`: a PAC-style answer such as `PROXY host:port; DIRECT`. */
export type SystemProxyResolver = (url: string) => Promise<string> | string

export interface TransportOptions {
  /** Where the client-certificate passphrase is (`cluster:<id>:passphrase`; env SCALE_CERT_PASSPHRASE). */
  secrets: Pick<SecretStore, 'get'>
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and lower-case forms) come from here; default process.env. */
  env?: Record<string, string | undefined>
  /** In the app: the OS/PAC proxy for a URL. When given, proxy mode `system` asks it instead of env. */
  resolveSystemProxy?: SystemProxyResolver
  now?: () => number
}

/** A cluster's way in: the dispatcher, and what to tell the operator about it. */
export interface ClusterTransport {
  dispatcher: Dispatcher
  /** How requests go (for classifying failures). */
  route: RouteInfo
  /** Findings about the settings themselves (see `ReadOutcome.notes`); recomputed on each `get`. */
  notes: Finding[]
  /** Set when the settings forbid any request (a bad explicit proxy): the read fails with it. */
  blocked?: Failure
}

type ClusterReach = Pick<ClusterConfig, 'id' | 'url' | 'tls' | 'proxy'>

// ------------------------------------------------------------------------------ certificates

interface Loaded {
  ca?: string[]
  cert?: string
  key?: string
  pfx?: Buffer
  passphrase?: string
  /** The client certificate's subject and validity, for the expiry findings. */
  client?: { subject: string; validFrom: number; validTo: number; file: string }
  problems: Finding[]
}

function fileProblem(id: string, title: string, message: string, fix: string): Finding {
  return { id, severity: 'warning', title, message, fix }
}

function readErr(err: unknown): string {
  if (err instanceof FileRefused) return err.message.replace(/^.*? is /, 'it is ')
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'it is a folder, not a file'
  return code ?? (err as Error).message
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** Certificates in a PEM bundle (or one DER certificate), each checked to parse. */
function parseCaFile(bytes: Buffer): { pems: string[] } | { error: string } {
  const text = bytes.toString('latin1')
  const blocks = text.match(PEM_CERT) ?? []
  if (blocks.length === 0) {
    try {
      return { pems: [new X509Certificate(bytes).toString()] } // a single DER certificate
    } catch {
      // Neither PEM nor DER: say what the file should look like.
      return { error: 'it holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)' }
    }
  }
  const pems: string[] = []
  for (const [i, b] of blocks.entries()) {
    try {
      new X509Certificate(b)
      pems.push(b)
    } catch {
      return { error: `certificate ${i + 1} of ${blocks.length} is damaged` }
    }
  }
  return { pems }
}

function describeSubject(x: X509Certificate): string {
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(x.subject)?.[1]
  return cn ?? x.subject.replace(/\n/g, ', ')
}

/** Why a client-certificate secure context could not be made, in the operator's words. */
function contextError(err: unknown, pfx: boolean, hasPass: boolean): string {
  const e = err as { code?: string; message?: string }
  const m = e.message ?? String(err)
  if (/mac verify failure|bad decrypt|bad password/i.test(m))
    return hasPass
      ? 'the passphrase is wrong'
      : 'it is protected by a passphrase and none was given'
  if (e.code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /key values mismatch/i.test(m))
    return 'the key does not belong to the certificate'
  if (/no start line|not enough data|wrong tag|unsupported|header too long|nested asn1/i.test(m))
    return pfx ? 'it is not a PKCS#12 (.p12/.pfx) file' : 'it is not a PEM certificate and key'
  return m.split('\n')[0] ?? m
}

/** The leaf of a secure context built from a PKCS#12 file (node:crypto cannot parse PKCS#12). */
function pfxLeaf(ctx: tls.SecureContext): X509Certificate | undefined {
  const sock = new tls.TLSSocket(null as unknown as Socket, { secureContext: ctx })
  try {
    const raw = sock.getCertificate()
    return raw && 'raw' in raw && raw.raw ? new X509Certificate(raw.raw) : undefined
  } finally {
    sock.destroy()
  }
}

function loadTls(c: ClusterReach, secrets: Pick<SecretStore, 'get'>): Loaded {
  const out: Loaded = { problems: [] }
  const t = c.tls
  if (t.caFile) {
    const file = resolvePath(t.caFile)
    try {
      const r = parseCaFile(readSmallFileSync(file, MAX_PKI_FILE))
      if ('error' in r) {
        out.problems.push(
          fileProblem(
            'config.ca-file',
            'Cannot use the CA file',
            `${file}: ${r.error}. Connecting with the system's CAs only.`,
            'Give a PEM bundle of your CA certificates (--ca FILE, or the CA file in the cluster settings).'
          )
        )
      } else out.ca = [...defaultCaCertificates(), ...r.pems]
    } catch (err) {
      out.problems.push(
        fileProblem(
          'config.ca-file',
          'Cannot read the CA file',
          `${file}: ${readErr(err)}. Connecting with the system's CAs only.`,
          'Check the path (--ca FILE, or the CA file in the cluster settings) and that this user may read it.'
        )
      )
    }
  }
  const passphrase = secrets.get(t.passphraseRef ?? secretRef(c.id, 'passphrase'))
  const clientProblem = (file: string, why: string): void => {
    out.problems.push(
      fileProblem(
        'config.client-cert',
        'Cannot use the client certificate',
        `${file}: ${why}. Connecting without a client certificate.`,
        /passphrase/.test(why)
          ? 'Give the passphrase in SCALE_CERT_PASSPHRASE (or in the cluster settings).'
          : 'Give a PEM certificate and key (--cert FILE --key FILE) or a PKCS#12 file (--pfx FILE).'
      )
    )
  }
  if (t.pfxFile) {
    const file = resolvePath(t.pfxFile)
    let pfx: Buffer | undefined
    try {
      pfx = readSmallFileSync(file, MAX_PKI_FILE)
    } catch (err) {
      clientProblem(file, readErr(err))
    }
    if (pfx) {
      try {
        const ctx = tls.createSecureContext({ pfx, ...(passphrase ? { passphrase } : {}) })
        const leaf = pfxLeaf(ctx)
        out.pfx = pfx
        if (passphrase) out.passphrase = passphrase
        if (leaf) out.client = clientInfo(leaf, file)
      } catch (err) {
        clientProblem(file, contextError(err, true, !!passphrase))
      }
    }
  } else if (t.certFile || t.keyFile) {
    const certFile = t.certFile ? resolvePath(t.certFile) : undefined
    const keyFile = t.keyFile ? resolvePath(t.keyFile) : undefined
    let cert: string | undefined
    let key: string | undefined
    try {
      if (certFile) cert = readSmallFileSync(certFile, MAX_PKI_FILE).toString('utf8')
    } catch (err) {
      clientProblem(certFile as string, readErr(err))
    }
    try {
      if (keyFile) key = readSmallFileSync(keyFile, MAX_PKI_FILE).toString('utf8')
    } catch (err) {
      clientProblem(keyFile as string, readErr(err))
    }
    // One PEM file may hold both the certificate and its key.
    if (cert && !key && !keyFile && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(cert)) key = cert
    if (!certFile && keyFile)
      clientProblem(keyFile, 'a key without its certificate (give --cert FILE too)')
    else if (cert && !key && !keyFile)
      clientProblem(certFile as string, 'a certificate without its key (give --key FILE too)')
    if (cert && key) {
      try {
        tls.createSecureContext({ cert, key, ...(passphrase ? { passphrase } : {}) })
        out.cert = cert
        out.key = key
        if (passphrase) out.passphrase = passphrase
        out.client = clientInfo(new X509Certificate(cert), certFile as string)
      } catch (err) {
        clientProblem(
          /passphrase|key/.test(contextError(err, false, !!passphrase))
            ? (keyFile ?? (certFile as string))
            : (certFile as string),
          contextError(err, false, !!passphrase)
        )
      }
    }
  }
  return out
}

function clientInfo(x: X509Certificate, file: string): Loaded['client'] {
  return {
    subject: describeSubject(x),
    validFrom: Date.parse(x.validFrom),
    validTo: Date.parse(x.validTo),
    file
  }
}

/** The CAs Node trusts by default (its bundle, NODE_EXTRA_CA_CERTS, the OS store with --use-system-ca). */
function defaultCaCertificates(): readonly string[] {
  const get = (tls as { getCACertificates?: (type?: string) => string[] }).getCACertificates
  return get ? get('default') : tls.rootCertificates
}

/** Expiry findings for the client certificate at `now`. */
export function clientCertNotes(client: Loaded['client'], now: number): Finding[] {
  if (!client) return []
  const date = new Date(client.validTo).toISOString().slice(0, 10)
  const fix =
    'Get a renewed certificate from your PKI, then replace the file (no restart needed: it is re-read when it changes).'
  if (now >= client.validTo) {
    return [
      {
        id: 'tls.client-cert-expired',
        severity: 'critical',
        title: 'Client certificate expired',
        message: `The client certificate ${client.subject} (${client.file}) expired on ${date}; servers that demand one will refuse it.`,
        fix
      }
    ]
  }
  if (now < client.validFrom) {
    return [
      {
        id: 'tls.client-cert-not-yet-valid',
        severity: 'warning',
        title: 'Client certificate not valid yet',
        message: `The client certificate ${client.subject} (${client.file}) is valid only from ${new Date(client.validFrom).toISOString()}.`,
        fix: "Check this machine's clock, or wait until the certificate's start date."
      }
    ]
  }
  const days = Math.ceil((client.validTo - now) / DAY)
  if (days <= CERT_EXPIRY_WARN_DAYS) {
    return [
      {
        id: 'tls.client-cert-expiring',
        severity: 'warning',
        title: `Client certificate expires in ${days} day${days === 1 ? '' : 's'}`,
        message: `The client certificate ${client.subject} (${client.file}) expires on ${date}.`,
        fix
      }
    ]
  }
  return []
}

export const INSECURE_NOTE: Finding = {
  id: 'tls.insecure',
  severity: 'warning',
  title: 'TLS not verified',
  message:
    'Certificate checks are off for this cluster: anyone on the network path could read its credentials and forge its status. This applies to this cluster only.',
  fix: "Give the cluster's CA with --ca FILE (or the CA file in the cluster settings) and turn verification back on."
}

// ------------------------------------------------------------------------------ proxies

/** A proxy URL without its credentials, for messages. */
export function proxyLabel(uri: string): string {
  try {
    const u = new URL(uri)
    return `${u.protocol}//${u.host}`
  } catch {
    // Not a URL: show nothing of it (it may hold a password).
    return '(unparsable proxy URL)'
  }
}

function envGet(env: Record<string, string | undefined>, name: string): string {
  // Lower case wins over upper case, as in curl and undici.
  return env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? ''
}

/** `proxy:3128` → `http://proxy:3128` (HTTPS_PROXY without a scheme is common; undici wants a URL). */
export function normalizeProxyUri(v: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`
}

/** An http, https or socks5 URL with a host: something undici's ProxyAgent can use. */
export function isProxyUrl(uri: string): boolean {
  if (!URL.canParse(uri)) return false
  const u = new URL(uri)
  return ['http:', 'https:', 'socks5:', 'socks:'].includes(u.protocol) && u.hostname !== ''
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1'])

/** Is `host` (lower case, no brackets) matched by a NO_PROXY list (undici's rules)? */
export function noProxyMatches(noProxy: string, host: string, port: number): boolean {
  for (const raw of noProxy.split(/[,\s]/)) {
    if (!raw) continue
    const v6 = /^\[(.+)\]:(\d+)$/.exec(raw)
    const un = raw.replace(/^\[(.+)\]$/, '$1')
    // host:port only when there is exactly one colon (a bare IPv6 address has several).
    const hp = v6 ?? ((un.match(/:/g) ?? []).length === 1 ? /^(.+):(\d+)$/.exec(un) : null)
    const p = hp ? Number(hp[2]) : 0
    const wildcard = raw.startsWith('*')
    const h = (hp ? (hp[1] as string) : un)
      .replace(/^\*?\./, '')
      .replace(/^(.+)\.$/, '$1')
      .toLowerCase()
    if (h === '*') {
      if (p && p !== port) continue
      return true
    }
    if (p && p !== port) continue
    if (!wildcard && host === h) return true
    if (host.endsWith(`.${h}`)) return true
  }
  return false
}

interface SystemProxyEnv {
  httpProxy: string
  httpsProxy: string
  noProxy: string
}

function systemProxyEnv(env: Record<string, string | undefined>): SystemProxyEnv {
  const http = envGet(env, 'http_proxy')
  const https = envGet(env, 'https_proxy')
  // A proxy cannot reach this machine's loopback: those addresses never go through it.
  const noProxy = [envGet(env, 'no_proxy'), 'localhost', '127.0.0.1', '::1']
    .filter(Boolean)
    .join(',')
  return {
    httpProxy: http ? normalizeProxyUri(http) : '',
    httpsProxy: https ? normalizeProxyUri(https) : http ? normalizeProxyUri(http) : '',
    noProxy
  }
}

/** The proxy env sends `url` through (the same choice EnvHttpProxyAgent makes), or undefined. */
export function envProxyFor(
  url: string,
  env: Record<string, string | undefined>
): string | undefined {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return undefined
  }
  const e = systemProxyEnv(env)
  const host = u.hostname
    .replace(/^\[(.+)\]$/, '$1')
    .replace(/(.)\.$/, '$1')
    .toLowerCase()
  const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80)
  if (LOOPBACK.has(host) || noProxyMatches(e.noProxy, host, port)) return undefined
  const proxy = u.protocol === 'https:' ? e.httpsProxy : e.httpProxy
  return proxy || undefined
}

/**
 * The first usable entry of a PAC answer (`PROXY h:p; DIRECT`) as a proxy URL, or null for
 * DIRECT. Unknown entries are skipped; nothing usable means DIRECT.
 */
export function parsePacResult(pac: string): string | null {
  for (const part of pac.split(';')) {
    const [type, where] = part.trim().split(/\s+/, 2)
    switch (type?.toUpperCase()) {
      case 'DIRECT':
        return null
      case 'PROXY':
      case 'HTTP':
        if (where) return `http://${where}`
        break
      case 'HTTPS':
        if (where) return `https://${where}`
        break
      case 'SOCKS':
      case 'SOCKS5':
        if (where) return `socks5://${where}`
        break
    }
  }
  return null
}

// ------------------------------------------------------------------------------ building

interface Plan {
  /** `direct`, `env` (EnvHttpProxyAgent) or `proxy` (ProxyAgent to `uri`). */
  via: 'direct' | 'env' | 'proxy'
  uri?: string
  env?: SystemProxyEnv
  /** The proxy the cluster's URL goes through, for messages. */
  label?: string
  blocked?: Failure
  notes: Finding[]
}

async function planProxy(c: ClusterReach, o: TransportOptions): Promise<Plan> {
  const mode = c.proxy.mode
  if (mode === 'none') return { via: 'direct', notes: [] }
  if (mode === 'explicit') {
    const raw = c.proxy.url?.trim() ?? ''
    if (!raw || !isProxyUrl(normalizeProxyUri(raw))) {
      return {
        via: 'direct',
        notes: [],
        blocked: {
          kind: 'proxy',
          proxyReason: 'config',
          message: raw
            ? `The proxy "${proxyLabel(normalizeProxyUri(raw))}" is not a proxy URL; nothing was sent.`
            : 'The proxy mode is "explicit" but no proxy URL is set; nothing was sent.'
        }
      }
    }
    const uri = normalizeProxyUri(raw)
    return { via: 'proxy', uri, label: proxyLabel(uri), notes: [] }
  }
  // system
  if (o.resolveSystemProxy) {
    try {
      const pac = await o.resolveSystemProxy(c.url)
      const uri = parsePacResult(pac)
      return uri
        ? { via: 'proxy', uri, label: proxyLabel(uri), notes: [] }
        : { via: 'direct', notes: [] }
    } catch (err) {
      // Fall back to the environment, and say so: the OS proxy may be what the user expects.
      const env = systemProxyEnv(o.env ?? process.env)
      const label = envProxyFor(c.url, o.env ?? process.env)
      return {
        via: 'env',
        env,
        ...(label ? { label: proxyLabel(label) } : {}),
        notes: [
          {
            id: 'proxy.system-unknown',
            severity: 'info',
            title: "Could not ask the system for this cluster's proxy",
            message: `${(err as Error).message}; using HTTPS_PROXY/NO_PROXY instead.`
          }
        ]
      }
    }
  }
  const env = systemProxyEnv(o.env ?? process.env)
  const label = envProxyFor(c.url, o.env ?? process.env)
  return { via: 'env', env, ...(label ? { label: proxyLabel(label) } : {}), notes: [] }
}

function tlsOptions(c: ClusterReach, l: Loaded): tls.ConnectionOptions {
  const opts: tls.ConnectionOptions = {}
  if (l.ca) opts.ca = l.ca
  if (l.pfx) opts.pfx = l.pfx
  if (l.cert) opts.cert = l.cert
  if (l.key) opts.key = l.key
  if (l.passphrase) opts.passphrase = l.passphrase
  if (c.tls.insecure) opts.rejectUnauthorized = false
  return opts
}

function makeDispatcher(plan: Plan, tlsOpts: tls.ConnectionOptions): Dispatcher {
  const common = { connections: 4, keepAliveTimeout: 30_000 }
  const connect = { timeout: DEFAULT_TIMEOUT_MS, ...tlsOpts }
  // An https:// proxy is checked against the same CAs (a private CA usually signs both).
  const proxyTls = tlsOpts.ca ? { ca: tlsOpts.ca } : undefined
  if (plan.via === 'proxy' && plan.uri)
    return new ProxyAgent({
      ...common,
      uri: plan.uri,
      requestTls: tlsOpts,
      ...(proxyTls ? { proxyTls } : {}),
      connectTimeout: DEFAULT_TIMEOUT_MS
    })
  if (plan.via === 'env' && plan.env)
    return new EnvHttpProxyAgent({
      ...common,
      connect,
      requestTls: tlsOpts,
      ...(proxyTls ? { proxyTls } : {}),
      httpProxy: plan.env.httpProxy,
      httpsProxy: plan.env.httpsProxy,
      noProxy: plan.env.noProxy
    })
  return new Agent({ ...common, connect })
}

/** Build a cluster's transport now (uncached; the caller closes `dispatcher`). */
export async function buildTransport(
  c: ClusterReach,
  o: TransportOptions
): Promise<ClusterTransport> {
  const built = await buildParts(c, o)
  return {
    dispatcher: built.dispatcher,
    route: built.route,
    notes: built.notesAt((o.now ?? Date.now)()),
    ...(built.blocked ? { blocked: built.blocked } : {})
  }
}

interface Built {
  dispatcher: Dispatcher
  route: RouteInfo
  blocked?: Failure
  notesAt(now: number): Finding[]
}

async function buildParts(c: ClusterReach, o: TransportOptions): Promise<Built> {
  const plan = await planProxy(c, o)
  const loaded = loadTls(c, o.secrets)
  const dispatcher = makeDispatcher(plan, tlsOptions(c, loaded))
  // "Not verified" only means something for https; plain http has nothing to verify.
  const verifiesNothing = c.tls.insecure && /^\s*https:/i.test(c.url)
  const fixed = [...(verifiesNothing ? [INSECURE_NOTE] : []), ...loaded.problems, ...plan.notes]
  return {
    dispatcher,
    route: {
      clientCert: !!(loaded.pfx || loaded.cert),
      ...(plan.label ? { proxy: plan.label } : {})
    },
    ...(plan.blocked ? { blocked: plan.blocked } : {}),
    notesAt: (now) => [...fixed, ...clientCertNotes(loaded.client, now)]
  }
}

/** What makes a transport different: settings, the passphrase (hashed), the files' identity. */
function transportKey(c: ClusterReach, o: TransportOptions, pac: string | null): string {
  const pass = o.secrets.get(c.tls.passphraseRef ?? secretRef(c.id, 'passphrase'))
  const stamp = (f: string | undefined): string => {
    if (!f) return ''
    const st = statSync(resolvePath(f), { throwIfNoEntry: false })
    return st ? `${st.ino}:${st.size}:${st.mtimeMs}` : 'missing'
  }
  const t = c.tls
  return JSON.stringify([
    c.url,
    t,
    c.proxy,
    pass ? createHash('sha256').update(pass).digest('hex') : '',
    [t.caFile, t.certFile, t.keyFile, t.pfxFile].map((f) => {
      try {
        return stamp(f)
      } catch {
        // A path that cannot even be stat'ed: loading will say why.
        return 'unstatable'
      }
    }),
    pac
  ])
}

/**
 * One transport per cluster, rebuilt when its settings, its passphrase, one of its files, or
 * (in the app) its system proxy change; the replaced dispatcher is closed gracefully (requests
 * in flight finish). `get` never throws.
 */
export class TransportCache {
  private readonly o: TransportOptions
  private readonly entries = new Map<string, { key: string; built: Built }>()

  constructor(o: TransportOptions) {
    this.o = o
  }

  /** The cluster's transport; `secrets` overrides the cache's (a "test connection" form). */
  async get(c: ClusterReach, secrets?: Pick<SecretStore, 'get'>): Promise<ClusterTransport> {
    const o = secrets ? { ...this.o, secrets } : this.o
    let pac: string | null = null
    if (c.proxy.mode === 'system' && o.resolveSystemProxy) {
      try {
        pac = await o.resolveSystemProxy(c.url)
      } catch (err) {
        pac = `error: ${(err as Error).message}`
      }
    }
    const key = transportKey(c, o, pac)
    let e = this.entries.get(c.id)
    if (!e || e.key !== key) {
      const old = e?.built.dispatcher
      const built = await buildParts(
        c,
        pac === null ? o : { ...o, resolveSystemProxy: () => pacOrThrow(pac) }
      )
      e = { key, built }
      this.entries.set(c.id, e)
      if (old) void old.close().catch(() => undefined) // already closing or destroyed: nothing to do
    }
    const b = e.built
    return {
      dispatcher: b.dispatcher,
      route: b.route,
      notes: b.notesAt((o.now ?? Date.now)()),
      ...(b.blocked ? { blocked: b.blocked } : {})
    }
  }

  /** Forget one cluster's transport (a "test connection" of a cluster that was never saved). */
  forget(id: string): void {
    const e = this.entries.get(id)
    if (!e) return
    this.entries.delete(id)
    void e.built.dispatcher.close().catch(() => undefined) // closing twice is harmless
  }

  /** Forget clusters that are gone (their dispatchers are closed). */
  retain(ids: Iterable<string>): void {
    const keep = new Set(ids)
    for (const [id, e] of this.entries) {
      if (keep.has(id)) continue
      this.entries.delete(id)
      void e.built.dispatcher.close().catch(() => undefined) // closing twice is harmless
    }
  }

  /** Close every dispatcher (a CLI run ends; keep-alive sockets must not hold the process). */
  async close(): Promise<void> {
    const all = [...this.entries.values()]
    this.entries.clear()
    await Promise.all(all.map((e) => e.built.dispatcher.destroy().catch(() => undefined)))
  }
}

function pacOrThrow(pac: string): string {
  if (pac.startsWith('error: ')) throw new Error(pac.slice('error: '.length))
  return pac
}
