// Electron-free: zod schemas for every bridge request, so the Electron IPC handlers and the
// `serve` HTTP bridge validate payloads the same way (a malformed payload is a contract break).
import { z } from 'zod'
import type { InvokeTypes } from '../../../preload/contract.ts'

const Id = z.string().min(1).max(200)
const Severity = z.enum(['ignore', 'info', 'warning', 'critical'])

export const ClusterEditSchema = z.strictObject({
  name: z.string().max(200),
  url: z.string().max(2000),
  api: z.enum(['v6', 'v7']).optional(),
  enabled: z.boolean().optional(),
  intervalSec: z.number().optional(),
  timeoutSec: z.number().optional(),
  auth: z
    .strictObject({
      kind: z.enum(['none', 'token', 'bearer', 'basic', 'dcos']),
      username: z.string().max(200).optional()
    })
    .optional(),
  secret: z.string().max(16_384).nullable().optional(),
  passphrase: z.string().max(4096).nullable().optional(),
  tls: z
    .strictObject({
      caFile: z.string().max(4096).optional(),
      certFile: z.string().max(4096).optional(),
      keyFile: z.string().max(4096).optional(),
      pfxFile: z.string().max(4096).optional(),
      insecure: z.boolean().optional()
    })
    .optional(),
  proxy: z
    .strictObject({
      mode: z.enum(['system', 'none', 'explicit']),
      url: z.string().max(2000).optional()
    })
    .optional(),
  overrides: z.record(z.string().min(1).max(300), Severity).optional(),
  color: z.string().max(20).optional(),
  uiUrl: z.string().max(2000).optional(),
  login: z
    .strictObject({
      username: z.string().trim().min(1).max(200),
      password: z.string().min(1).max(4096)
    })
    .optional()
})

const Void = z
  .undefined()
  .or(z.null())
  .transform(() => undefined)

/** One schema per channel. */
export const RequestSchemas: { [K in keyof InvokeTypes]: z.ZodType<InvokeTypes[K]['req']> } = {
  getSnapshot: Void,
  getClusterStatus: z.strictObject({ id: Id }),
  getHistory: z.strictObject({ id: Id }),
  refresh: z.strictObject({ id: Id.optional() }),
  addCluster: ClusterEditSchema,
  updateCluster: z.strictObject({ id: Id, edit: ClusterEditSchema }),
  removeCluster: z.strictObject({ id: Id }),
  setEnabled: z.strictObject({ id: Id, enabled: z.boolean() }),
  testConnection: z.strictObject({ edit: ClusterEditSchema, id: Id.optional() }),
  acknowledge: z.strictObject({
    clusterId: Id,
    findingId: z.string().min(1).max(300),
    ack: z.boolean()
  }),
  snooze: z.strictObject({ clusterId: Id.optional(), until: z.number().nullable() }),
  mute: z.strictObject({ id: Id, muted: z.boolean() }),
  setNotificationSettings: z.strictObject({
    enabled: z.boolean().optional(),
    recovery: z.boolean().optional(),
    renotifyMinutes: z.number().optional(),
    quietHours: z
      .strictObject({
        enabled: z.boolean(),
        start: z.string(),
        end: z.string(),
        days: z.array(z.number().int())
      })
      .optional(),
    maxPerMinute: z.number().optional()
  }),
  testNotification: Void,
  exportHistory: z.strictObject({ id: Id.optional(), format: z.enum(['json', 'csv']) }),
  openExternal: z.strictObject({ url: z.string().max(4000) }),
  exportSettings: Void,
  setStartAtLogin: z.strictObject({ enabled: z.boolean() }),
  importSettings: z.strictObject({
    content: z.string().max(8 * 1024 * 1024),
    replace: z.boolean()
  })
}

/** Parse a request, or throw with a short message naming the first bad field. */
export function parseRequest<K extends keyof InvokeTypes>(
  channel: K,
  raw: unknown
): InvokeTypes[K]['req'] {
  const r = RequestSchemas[channel].safeParse(raw)
  if (r.success) return r.data
  const issue = r.error.issues[0]
  throw new Error(
    `bad ${channel} request: ${issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'invalid'}`
  )
}
