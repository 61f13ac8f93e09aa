// Electron-free: the app's one implementation of the bridge contract, over the monitor, the
// settings store and the secret store. The Electron IPC handlers and the `serve` HTTP bridge
// both call it, so the window behaves the same in both. Secrets go in, never come out.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type {
  BridgeApi,
  ClusterEdit,
  ClusterSettingsView,
  EditResult,
  FieldErrors,
  InvokeTypes,
  PushEvent,
  SettingsView,
  Snapshot,
  TestResult
} from '../../../preload/contract.ts'
import { evaluate } from '../health/rules.ts'
import { login, loginUrl, type LoginResult } from '../scale/login.ts'
import type { ClusterTransport } from '../scale/transport.ts'
import { exportSettings, importSettings } from '../settings/transfer.ts'
import { changesCsv, samplesCsv } from '../monitor/history.ts'
import type { ClusterReader, Monitor } from '../monitor/monitor.ts'
import type { TrayNotification } from '../monitor/types.ts'
import {
  ClusterConfig,
  HttpUrl,
  NotificationSettings,
  scaleUiUrl,
  type ClusterConfigInput,
  type Settings
} from '../settings/schema.ts'
import { secretRef, type SecretStore } from '../settings/secrets.ts'
import { backUpSettings, type SettingsStore } from '../settings/store.ts'
import type { ImportReport, ReadOutcome, Result } from '../types.ts'

/** What differs between the Electron app and `serve`: how notifications and links leave the app. */
export interface Platform {
  mode: 'electron' | 'serve'
  version: string
  notificationsSupported: boolean
  /** Show a notification for real; returns whether it was shown, and how (or why not). */
  showTestNotification(n: TrayNotification): Promise<{ shown: boolean; detail: string }>
  /** Open an http(s) URL outside the app (already checked to belong to a configured cluster). */
  openExternal(url: string): Promise<Result<null>>
}

export interface ControllerOptions {
  monitor: Monitor
  /** Absent: settings live only in memory (ad-hoc clusters from the command line). */
  store?: SettingsStore
  secrets: SecretStore
  settings: Settings
  /** A reader over the given secrets ("test connection" layers the form's secret over the store). */
  readerFor: (secrets: Pick<SecretStore, 'get'>) => ClusterReader
  /**
   * The per-cluster transports the readers use (`TransportCache`): logins go the same way (TLS,
   * client certificate, proxy), and transports of removed or test-only clusters are closed.
   * Absent: the client's shared agent.
   */
  transports?: {
    get(c: ClusterConfig, secrets?: Pick<SecretStore, 'get'>): Promise<ClusterTransport>
    forget(id: string): void
    retain(ids: Iterable<string>): void
  }
  platform: Platform
  notices?: string[]
  /** Why changes are not saved in this run (read-only settings), for the import report. */
  unsaved?: string
  now?: () => number
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value })
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error })

export class Controller implements Omit<BridgeApi, 'onEvent'> {
  private settings: Settings
  private readonly o: ControllerOptions
  private readonly listeners = new Set<(e: PushEvent) => void>()
  private readonly unsubscribe: (() => void)[] = []

  constructor(o: ControllerOptions) {
    this.o = o
    this.settings = o.settings
    const m = o.monitor
    this.unsubscribe.push(
      m.on('cluster', (cluster) => this.push({ type: 'cluster', cluster })),
      m.on('tray', (tray) => this.push({ type: 'tray', tray })),
      m.on('notification', (notification) => this.push({ type: 'notification', notification }))
    )
  }

  /** Subscribe to pushes for the window(s). */
  onEvent(fn: (e: PushEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  dispose(): void {
    for (const u of this.unsubscribe) u()
    this.listeners.clear()
  }

  currentSettings(): Settings {
    return this.settings
  }

  /** Ask open windows to show a cluster (tray menu, notification click). */
  navigate(clusterId: string | null, view?: 'overview' | 'settings'): void {
    this.push({ type: 'navigate', clusterId, view })
  }

  private push(e: PushEvent): void {
    for (const fn of this.listeners) {
      try {
        fn(e)
      } catch (err) {
        // One broken window (a closed SSE stream) must not stop the others.
        console.error(`scale-tray: push listener failed: ${(err as Error).message}`)
      }
    }
  }

  private now(): number {
    return (this.o.now ?? Date.now)()
  }

  // ------------------------------------------------------------------ settings plumbing

  private clusterView(c: ClusterConfig): ClusterSettingsView {
    return {
      ...c,
      uiUrl: c.uiUrl,
      hasSecret: this.o.secrets.has(c.auth.secretRef ?? secretRef(c.id)),
      hasPassphrase: this.o.secrets.has(c.tls.passphraseRef ?? secretRef(c.id, 'passphrase'))
    }
  }

  settingsView(): SettingsView {
    return { ...this.settings, clusters: this.settings.clusters.map((c) => this.clusterView(c)) }
  }

  /** Persist and apply new settings; returns an error message if the store refused. */
  private commit(next: Settings): Result<null> {
    try {
      this.o.store?.save(next)
    } catch (err) {
      return fail(
        `could not save settings: ${err instanceof z.ZodError ? (err.issues[0]?.message ?? 'invalid') : (err as Error).message}`
      )
    }
    this.settings = next
    this.o.monitor.updateSettings(next)
    this.o.transports?.retain(next.clusters.map((c) => c.id))
    this.push({ type: 'settings', settings: this.settingsView() })
    return ok(null)
  }

  /** A form that logs in means token auth as that user. */
  private withLogin(edit: ClusterEdit): ClusterEdit {
    return edit.login ? { ...edit, auth: { kind: 'token', username: edit.login.username } } : edit
  }

  /** Log in over the cluster's own transport; the password is used once and dropped. */
  private async logIn(
    c: ClusterConfig,
    creds: { username: string; password: string },
    secrets: Pick<SecretStore, 'get'>
  ): Promise<LoginResult> {
    const t = this.o.transports ? await this.o.transports.get(c, secrets) : undefined
    if (t?.blocked) return { ok: false, failure: t.blocked, message: t.blocked.message }
    return login({
      url: c.url,
      username: creds.username,
      password: creds.password,
      dispatcher: t?.dispatcher,
      route: t?.route,
      timeoutMs: c.timeoutSec * 1000
    })
  }

  /** The form's passphrase over the stored secrets (for a login before anything is saved). */
  private formSecrets(id: string, edit: ClusterEdit): Pick<SecretStore, 'get'> {
    const store = this.o.secrets
    const pass =
      typeof edit.passphrase === 'string' && edit.passphrase !== '' ? edit.passphrase : undefined
    const passRef = secretRef(id, 'passphrase')
    return { get: (ref) => (ref === passRef && pass !== undefined ? pass : store.get(ref)) }
  }

  /** add/update with `login`: the token, or the edit result that says why there is none. */
  private async tokenFor(
    config: ClusterConfig,
    edit: ClusterEdit,
    isNew: boolean
  ): Promise<{ token?: string; error?: EditResult }> {
    if (!edit.login) return {}
    const r = await this.logIn(config, edit.login, this.formSecrets(config.id, edit))
    if (isNew) this.o.transports?.forget(config.id)
    if (r.ok) return { token: r.token }
    return {
      error: {
        ok: false,
        error: `Login as ${edit.login.username} failed: ${r.failure.detail ?? r.message}`,
        fields: { 'login.password': r.failure.detail ?? r.message }
      }
    }
  }

  private find(id: string): ClusterConfig | undefined {
    return this.settings.clusters.find((c) => c.id === id)
  }

  /** Turn a form into a cluster config (validated), with field errors for the form. */
  private build(
    edit: ClusterEdit,
    base: ClusterConfig | undefined,
    id: string
  ): { ok: true; config: ClusterConfig } | { ok: false; error: string; fields: FieldErrors } {
    const fields: FieldErrors = {}
    const url = edit.url.trim()
    if (!HttpUrl.safeParse(url).success)
      fields.url = 'an http:// or https:// URL, e.g. https://scale.example.com/api'
    else if (new URL(url).username || new URL(url).password)
      fields.url = 'no credentials in the URL: use the auth fields'
    if (edit.proxy?.mode === 'explicit' && !HttpUrl.safeParse(edit.proxy.url ?? '').success)
      fields['proxy.url'] = 'an http:// or https:// proxy URL'
    if (edit.uiUrl && !HttpUrl.safeParse(edit.uiUrl).success)
      fields.uiUrl = 'an http:// or https:// URL'
    const dup = this.settings.clusters.find(
      (c) => c.id !== id && c.name.trim().toLowerCase() === edit.name.trim().toLowerCase()
    )
    if (dup) fields.name = `a cluster is already called ${dup.name}`
    const kind = edit.auth?.kind ?? base?.auth.kind ?? 'none'
    if (kind === 'basic' && !(edit.auth?.username ?? base?.auth.username))
      fields['auth.username'] = 'a user name for Basic auth'
    const input: ClusterConfigInput = {
      ...(base ?? {}),
      id,
      name: edit.name,
      url,
      api: edit.api ?? base?.api,
      enabled: edit.enabled ?? base?.enabled,
      intervalSec: edit.intervalSec ?? base?.intervalSec,
      timeoutSec: edit.timeoutSec ?? base?.timeoutSec,
      auth: {
        kind,
        username: edit.auth?.username ?? base?.auth.username,
        secretRef: kind === 'none' ? undefined : secretRef(id)
      },
      tls: { ...(base?.tls ?? { insecure: false }), ...(edit.tls ?? {}) },
      proxy: edit.proxy ?? base?.proxy,
      overrides: edit.overrides ?? base?.overrides,
      color: edit.color === '' ? undefined : (edit.color ?? base?.color),
      uiUrl: edit.uiUrl === '' ? undefined : (edit.uiUrl ?? base?.uiUrl)
    }
    const parsed = ClusterConfig.safeParse(input)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.') || 'form'
        fields[key] ??= issue.message
      }
    }
    if (Object.keys(fields).length > 0 || !parsed.success) {
      return { ok: false, error: `Check ${Object.keys(fields).join(', ')}`, fields }
    }
    return { ok: true, config: parsed.data }
  }

  /** Store or delete write-only secrets of a form. */
  private applySecrets(c: ClusterConfig, edit: ClusterEdit): void {
    const authRef = secretRef(c.id)
    if (c.auth.kind === 'none') this.o.secrets.delete(authRef)
    else if (typeof edit.secret === 'string' && edit.secret !== '')
      this.o.secrets.set(authRef, edit.secret)
    else if (edit.secret === null) this.o.secrets.delete(authRef)
    const passRef = secretRef(c.id, 'passphrase')
    if (typeof edit.passphrase === 'string' && edit.passphrase !== '')
      this.o.secrets.set(passRef, edit.passphrase)
    else if (edit.passphrase === null) this.o.secrets.delete(passRef)
  }

  // ------------------------------------------------------------------ the contract

  getSnapshot(): Promise<Snapshot> {
    return Promise.resolve({
      clusters: this.o.monitor.views(),
      tray: this.o.monitor.trayState(),
      notifications: this.o.monitor.recentNotifications(),
      settings: this.settingsView(),
      notices: this.o.notices ?? [],
      serverTime: this.now(),
      app: {
        mode: this.o.platform.mode,
        version: this.o.platform.version,
        notificationsSupported: this.o.platform.notificationsSupported,
        secretsBacking: this.o.secrets.kind
      }
    })
  }

  getClusterStatus(
    req: InvokeTypes['getClusterStatus']['req']
  ): Promise<InvokeTypes['getClusterStatus']['res']> {
    return this.o.monitor.fetchStatus(req.id)
  }

  getHistory(req: InvokeTypes['getHistory']['req']): Promise<InvokeTypes['getHistory']['res']> {
    const h = this.o.monitor.history
    const now = this.now()
    return Promise.resolve({
      changes: h.changes(req.id),
      samples: h.samples(req.id, now),
      episodes: h.episodes(req.id, now)
    })
  }

  refresh(req: InvokeTypes['refresh']['req']): Promise<Result<null>> {
    if (req.id !== undefined && !this.find(req.id))
      return Promise.resolve(fail(`no cluster ${req.id}`))
    this.o.monitor.refresh(req.id)
    return Promise.resolve(ok(null))
  }

  async addCluster(form: ClusterEdit): Promise<EditResult> {
    const edit = this.withLogin(form)
    const built = this.build(edit, undefined, randomUUID())
    if (!built.ok) return built
    const login = await this.tokenFor(built.config, edit, true)
    if (login.error) return login.error
    this.applySecrets(built.config, login.token ? { ...edit, secret: login.token } : edit)
    const r = this.commit({ ...this.settings, clusters: [...this.settings.clusters, built.config] })
    if (!r.ok) {
      this.o.secrets.delete(secretRef(built.config.id))
      return r
    }
    return { ok: true, value: this.clusterView(built.config) }
  }

  async updateCluster(req: InvokeTypes['updateCluster']['req']): Promise<EditResult> {
    const base = this.find(req.id)
    if (!base) return fail(`no cluster ${req.id}`)
    const edit = this.withLogin(req.edit)
    const built = this.build(edit, base, base.id)
    if (!built.ok) return built
    const login = await this.tokenFor(built.config, edit, false)
    if (login.error) return login.error
    this.applySecrets(built.config, login.token ? { ...edit, secret: login.token } : edit)
    const r = this.commit({
      ...this.settings,
      clusters: this.settings.clusters.map((c) => (c.id === base.id ? built.config : c))
    })
    if (!r.ok) return r
    return { ok: true, value: this.clusterView(built.config) }
  }

  removeCluster(req: InvokeTypes['removeCluster']['req']): Promise<Result<null>> {
    const c = this.find(req.id)
    if (!c) return Promise.resolve(fail(`no cluster ${req.id}`))
    const r = this.commit({
      ...this.settings,
      clusters: this.settings.clusters.filter((x) => x.id !== req.id)
    })
    if (r.ok) {
      this.o.secrets.delete(secretRef(c.id))
      this.o.secrets.delete(secretRef(c.id, 'passphrase'))
      this.push({ type: 'removed', id: c.id })
    }
    return Promise.resolve(r)
  }

  setEnabled(req: InvokeTypes['setEnabled']['req']): Promise<Result<null>> {
    return Promise.resolve(this.patchCluster(req.id, { enabled: req.enabled }))
  }

  mute(req: InvokeTypes['mute']['req']): Promise<Result<null>> {
    return Promise.resolve(this.patchCluster(req.id, { muted: req.muted }))
  }

  private patchCluster(id: string, patch: Partial<ClusterConfig>): Result<null> {
    const c = this.find(id)
    if (!c) return fail(`no cluster ${id}`)
    return this.commit({
      ...this.settings,
      clusters: this.settings.clusters.map((x) => (x.id === id ? { ...x, ...patch } : x))
    })
  }

  async testConnection(req: InvokeTypes['testConnection']['req']): Promise<Result<TestResult>> {
    const base = req.id !== undefined ? this.find(req.id) : undefined
    const id = base?.id ?? `test-${randomUUID()}`
    try {
      return await this.runTest(req, base, id)
    } finally {
      // A cluster that exists only in the form leaves no connection behind.
      if (!base) this.o.transports?.forget(id)
    }
  }

  private async runTest(
    req: InvokeTypes['testConnection']['req'],
    base: ClusterConfig | undefined,
    id: string
  ): Promise<Result<TestResult>> {
    const form = this.withLogin(req.edit)
    const built = this.build(form, base, id)
    if (!built.ok)
      return fail(
        built.error +
          (built.fields
            ? `: ${Object.entries(built.fields)
                .map(([k, v]) => `${k} — ${v}`)
                .join('; ')}`
            : '')
      )
    // The secret typed in the form wins; else the stored one (editing an existing cluster).
    const temp = new Map<string, string>()
    if (typeof form.secret === 'string' && form.secret !== '') temp.set(secretRef(id), form.secret)
    if (typeof form.passphrase === 'string' && form.passphrase !== '')
      temp.set(secretRef(id, 'passphrase'), form.passphrase)
    const store = this.o.secrets
    const layered = { get: (ref: string) => temp.get(ref) ?? store.get(ref) }
    const config = { ...built.config, auth: { ...built.config.auth, secretRef: secretRef(id) } }
    let outcome: ReadOutcome | undefined
    if (form.login) {
      // Log in and use the token for this test only: nothing is stored.
      const r = await this.logIn(config, form.login, layered)
      if (r.ok) temp.set(secretRef(id), r.token)
      else {
        const t = this.o.transports ? await this.o.transports.get(config, layered) : undefined
        const target = loginUrl(config.url)
        outcome = {
          kind: 'failure',
          url: typeof target === 'string' ? target : config.url,
          version: null,
          durationMs: 0,
          at: this.now(),
          failure: r.failure,
          ...(t && t.notes.length > 0 ? { notes: t.notes } : {})
        }
      }
    }
    outcome ??= await this.o.readerFor(layered)(config, {
      signal: new AbortController().signal,
      skipVersion: false
    })
    const e = evaluate(outcome, {
      overrides: config.overrides,
      timeoutMs: config.timeoutSec * 1000
    })
    return ok({
      level: e.level,
      summary: e.summary,
      findings: e.findings,
      version: outcome.version,
      url: outcome.url,
      durationMs: outcome.durationMs,
      httpStatus:
        outcome.kind === 'ok'
          ? 200
          : outcome.kind === 'stale'
            ? outcome.httpStatus
            : (outcome.failure.httpStatus ?? null),
      nodes: outcome.kind === 'ok' ? outcome.status.nodes.length : null
    })
  }

  acknowledge(req: InvokeTypes['acknowledge']['req']): Promise<Result<null>> {
    const r = req.ack
      ? this.o.monitor.acknowledge(req.clusterId, req.findingId)
      : this.o.monitor.unacknowledge(req.clusterId, req.findingId)
    return Promise.resolve(r.ok ? ok(null) : r)
  }

  snooze(req: InvokeTypes['snooze']['req']): Promise<Result<null>> {
    const until = req.until === null ? undefined : req.until
    if (until !== undefined && until <= this.now())
      return Promise.resolve(fail('snooze until a time in the future'))
    if (req.clusterId !== undefined)
      return Promise.resolve(this.patchCluster(req.clusterId, { snoozedUntil: until }))
    return Promise.resolve(
      this.commit({
        ...this.settings,
        notifications: { ...this.settings.notifications, snoozedUntil: until }
      })
    )
  }

  setNotificationSettings(
    req: InvokeTypes['setNotificationSettings']['req']
  ): Promise<Result<Settings['notifications']>> {
    const merged = NotificationSettings.safeParse({ ...this.settings.notifications, ...req })
    if (!merged.success) {
      const i = merged.error.issues[0]
      return Promise.resolve(fail(`${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`))
    }
    const r = this.commit({ ...this.settings, notifications: merged.data })
    return Promise.resolve(r.ok ? ok(merged.data) : r)
  }

  async testNotification(): Promise<Result<{ shown: boolean; detail: string }>> {
    const n = this.o.monitor.testNotification()
    return ok(await this.o.platform.showTestNotification(n))
  }

  exportHistory(
    req: InvokeTypes['exportHistory']['req']
  ): Promise<Result<{ filename: string; content: string }>> {
    const h = this.o.monitor.history
    const now = this.now()
    const ids = req.id !== undefined ? [req.id] : this.settings.clusters.map((c) => c.id)
    if (req.id !== undefined && !this.find(req.id))
      return Promise.resolve(fail(`no cluster ${req.id}`))
    const names = Object.fromEntries(this.settings.clusters.map((c) => [c.id, c.name]))
    const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-')
    const slug = req.id !== undefined ? (names[req.id] ?? req.id).replace(/[^\w.-]+/g, '_') : 'all'
    if (req.format === 'csv') {
      const changes = ids.flatMap((id) => h.changes(id))
      const samples = req.id !== undefined ? `\n${samplesCsv(h.samples(req.id, now))}` : ''
      return Promise.resolve(
        ok({
          filename: `scale-tray-history-${slug}-${stamp}.csv`,
          content: changesCsv(changes, names) + samples
        })
      )
    }
    // JSON: history only — cluster settings and secrets are never part of it.
    const out = Object.fromEntries(
      ids.map((id) => [
        names[id] ?? id,
        { changes: h.changes(id), samples: h.samples(id, now), episodes: h.episodes(id, now) }
      ])
    )
    return Promise.resolve(
      ok({
        filename: `scale-tray-history-${slug}-${stamp}.json`,
        content: JSON.stringify({ exportedAt: new Date(now).toISOString(), clusters: out }, null, 2)
      })
    )
  }

  /** Start at login (the tray app applies it to the OS when the settings push arrives). */
  setStartAtLogin(req: InvokeTypes['setStartAtLogin']['req']): Promise<Result<null>> {
    if (this.o.platform.mode !== 'electron') {
      return Promise.resolve(
        fail('start at login belongs to the tray app; a browser dashboard cannot set it')
      )
    }
    return Promise.resolve(this.commit({ ...this.settings, startAtLogin: req.enabled }))
  }

  /** The settings as a file: no secrets, and a note of which clusters need credentials on import. */
  exportSettings(): Promise<{ filename: string; content: string }> {
    const { filename, content } = exportSettings(this.settings, this.now())
    return Promise.resolve({ filename, content })
  }

  /** Merge an exported file; existing clusters are replaced only with `replace`. */
  importSettings(req: InvokeTypes['importSettings']['req']): Promise<Result<ImportReport>> {
    const r = importSettings(this.settings, req.content, {
      replace: req.replace,
      hasSecret: (ref) => this.o.secrets.has(ref)
    })
    if (!r.ok) return Promise.resolve(fail(r.error))
    // The settings as they were, in case the import was not what was wanted.
    const backup = this.o.store ? backUpSettings(this.o.store.path, 'pre-import', this.now()) : {}
    if (backup.error)
      return Promise.resolve(
        fail(`the settings could not be copied aside first (${backup.error}); nothing was imported`)
      )
    if (backup.path)
      r.report.notes.push(`the settings before the import were copied to ${backup.path}`)
    const saved = this.commit(r.settings)
    if (!saved.ok) return Promise.resolve(saved)
    if (this.o.unsaved)
      r.report.notes.push(`imported for this run only, nothing is saved: ${this.o.unsaved}`)
    for (const ref of r.forgetSecrets) {
      try {
        this.o.secrets.delete(ref)
      } catch (err) {
        r.report.notes.push(
          `${ref} could not be removed (${(err as Error).message}): it would be sent to the new server; enter that cluster's credentials again now`
        )
      }
    }
    return Promise.resolve(ok(r.report))
  }

  /** Only http(s) links that belong to a configured cluster (its API or its Scale UI) leave the app. */
  openExternal(req: InvokeTypes['openExternal']['req']): Promise<Result<null>> {
    if (!isClusterLink(req.url, this.settings.clusters))
      return Promise.resolve(fail('only links to your clusters open from here'))
    return this.o.platform.openExternal(req.url)
  }
}

/** True for an http(s) URL on the origin of a configured cluster's API or Scale UI. */
export function isClusterLink(
  url: string,
  clusters: readonly Pick<ClusterConfig, 'url' | 'uiUrl'>[]
): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false
  if (u.username || u.password) return false
  return clusters.some((c) => {
    for (const candidate of [c.url, scaleUiUrl(c)]) {
      if (!candidate) continue
      try {
        if (new URL(candidate).origin === u.origin) return true
      } catch {
        // A cluster with a broken URL has no links.
      }
    }
    return false
  })
}
