// Electron-free: the settings document (clusters, notifications, polling), version 2.
//
// One schema for the headless CLI (stored with `conf`) and the app (electron-store, the same file
// format). Secrets are never in here: a cluster holds only a *reference* to its secret in the
// secret store (safeStorage in the app; a 0600 file or environment variables headless).
import { z } from 'zod'
import { Overrides } from '../health/overrides.ts'

export const SETTINGS_VERSION = 2

export const AuthKind = z.enum(['none', 'token', 'bearer', 'basic', 'dcos'])

export const ClusterAuth = z.object({
  kind: AuthKind.default('none'),
  /** Key in the secret store (`cluster:<id>:auth`, see `secretRef`); never the secret itself. */
  secretRef: z.string().min(1).optional(),
  /** Basic auth user name, or the user that logged in for a token (not secret). */
  username: z.string().optional()
})
export type ClusterAuth = z.infer<typeof ClusterAuth>

export const ClusterTls = z.object({
  /** PEM bundle added to the system roots. */
  caFile: z.string().optional(),
  /** Client certificate: PEM cert + key, or a PKCS#12 file (passphrase in the secret store). */
  certFile: z.string().optional(),
  keyFile: z.string().optional(),
  pfxFile: z.string().optional(),
  /** Key in the secret store (`cluster:<id>:passphrase`). */
  passphraseRef: z.string().optional(),
  /** Skip verification for this cluster only; always shown as a warning finding. */
  insecure: z.boolean().default(false)
})
export type ClusterTls = z.infer<typeof ClusterTls>

export const ClusterProxy = z.object({
  /** system: HTTPS_PROXY/NO_PROXY (and the OS/PAC proxy in the app); none; explicit: `url`. */
  mode: z.enum(['system', 'none', 'explicit']).default('system'),
  url: z.string().optional()
})
export type ClusterProxy = z.infer<typeof ClusterProxy>

/** A label colour, `#rgb` or `#rrggbb`. */
export const Colour = z.string().regex(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i, 'a colour like #3b82f6')

export const HttpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })

export const ClusterConfig = z.object({
  id: z.string().min(1),
  name: z
    .string()
    .trim()
    .min(1, 'a name')
    .max(80)
    // A terminal would obey them (colours, a cleared screen, a forged line of output).
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'plain text, without control characters'),
  /** API base, e.g. https://scale.example.com/api (validated as an http(s) URL on add/edit). */
  url: z.string().min(1),
  api: z.enum(['v6', 'v7']).default('v6'),
  enabled: z.boolean().default(true),
  intervalSec: z.number().min(1).max(3600).default(30),
  timeoutSec: z.number().min(1).max(300).default(10),
  auth: ClusterAuth.default({ kind: 'none' }),
  tls: ClusterTls.default({ insecure: false }),
  proxy: ClusterProxy.default({ mode: 'system' }),
  /** Finding id or prefix → ignore/info/warning/critical. */
  overrides: Overrides.default({}),
  color: Colour.optional(),
  /** The cluster's Scale web UI, for deep links; derived from `url` when unset. */
  uiUrl: z.string().optional(),
  /** Notifications for this cluster off for good (it still shows). */
  muted: z.boolean().default(false),
  /** Notifications for this cluster off until this time (ms since epoch). */
  snoozedUntil: z.number().optional()
})
export type ClusterConfig = z.infer<typeof ClusterConfig>
export type ClusterConfigInput = z.input<typeof ClusterConfig>

/** `HH:MM`, local time. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 22:00')

export const QuietHours = z.object({
  enabled: z.boolean().default(false),
  start: ClockTime.default('22:00'),
  end: ClockTime.default('07:00'),
  /** Days the quiet period *starts* on, 0 = Sunday. */
  days: z.array(z.number().int().min(0).max(6)).default([0, 1, 2, 3, 4, 5, 6])
})
export type QuietHours = z.infer<typeof QuietHours>

export const NotificationSettings = z.object({
  enabled: z.boolean().default(true),
  /** Notify when a cluster recovers to ok. */
  recovery: z.boolean().default(true),
  /** Remind while a cluster stays bad; 0 = never. */
  renotifyMinutes: z.number().min(0).max(10_080).default(60),
  quietHours: QuietHours.default({
    enabled: false,
    start: '22:00',
    end: '07:00',
    days: [0, 1, 2, 3, 4, 5, 6]
  }),
  /** All notifications off until this time (ms since epoch). */
  snoozedUntil: z.number().optional(),
  /** Last guard against a storm. */
  maxPerMinute: z.number().int().min(1).max(60).default(6)
})
export type NotificationSettings = z.infer<typeof NotificationSettings>

export const Settings = z.object({
  version: z.literal(SETTINGS_VERSION),
  clusters: z.array(ClusterConfig).default([]),
  notifications: NotificationSettings.default({
    enabled: true,
    recovery: true,
    renotifyMinutes: 60,
    quietHours: { enabled: false, start: '22:00', end: '07:00', days: [0, 1, 2, 3, 4, 5, 6] },
    maxPerMinute: 6
  }),
  startAtLogin: z.boolean().default(false),
  /** Consecutive polls that must agree before a cluster's level changes for the worse… */
  confirmPolls: z.number().int().min(1).max(10).default(2),
  /** …and for the better. */
  recoverPolls: z.number().int().min(1).max(10).default(2),
  /** At most this many polls in flight at once. */
  maxConcurrentPolls: z.number().int().min(1).max(64).default(6),
  /** Warn when a cluster has had no good read for this long (0 = off). */
  watchdogMinutes: z.number().min(0).max(1440).default(10)
})
export type Settings = z.infer<typeof Settings>
export type SettingsInput = z.input<typeof Settings>

/** A fresh settings document. */
export function defaultSettings(): Settings {
  return Settings.parse({ version: SETTINGS_VERSION })
}

/** A cluster config from partial input, with defaults filled (throws a ZodError on bad input). */
export function makeCluster(input: ClusterConfigInput): ClusterConfig {
  return ClusterConfig.parse(input)
}

/** The Scale web UI for a cluster: `uiUrl`, or the API URL with its `/api…` tail removed. */
export function scaleUiUrl(c: Pick<ClusterConfig, 'url' | 'uiUrl'>): string | undefined {
  if (c.uiUrl) return c.uiUrl
  try {
    const u = new URL(c.url)
    u.pathname = u.pathname.replace(/\/api(\/.*)?$/, '/') || '/'
    u.search = ''
    return u.href
  } catch {
    // Not a URL: no deep link rather than a broken one.
    return undefined
  }
}
