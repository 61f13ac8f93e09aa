// Electron-free: zod schemas for Scale's `/status/` and `/version/` documents, 5.0 through 7.2.
//
// Shapes follow ../docs (scale-status-api.md §5, §9). Every object is loose: unknown keys are kept
// and ignored, because the server returns a raw stored dict and a newer release may add keys.
// Keys that appeared in later releases are optional; values the server can leave unset are
// nullable. The schemas validate; they do not transform (no defaults, no coercion), so a parsed
// document is the server's JSON as it came.
import { z } from 'zod'

/** Metrics and resource values: ints above 100, floats below, long fractions on nodes (§5.3, §5.6). */
const Num = z.number()

/**
 * ISO-8601 timestamp as Scale writes it: `2021-07-14T12:00:03.123456Z`, or without the fraction
 * when microseconds are 0. Offsets other than `Z` are accepted too (a proxy or fork may rewrite).
 */
export const ScaleTimestamp = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/,
    'expected an ISO-8601 timestamp'
  )

/**
 * An error or warning entry of a dependency: a one-key map `{ "<CODE>": "<message>" }`.
 * Codes may be numeric strings (HTTP statuses that went through Postgres jsonb).
 */
export const CodeMessage = z.record(z.string(), z.string()).refine((m) => {
  let n = 0
  for (const k in m) if (k !== '__proto__' && ++n > 1) return false
  return n === 1
}, 'expected a one-key map {"CODE": "message"}')
export type CodeMessage = z.infer<typeof CodeMessage>

export const Dependency = z.looseObject({
  OK: z.boolean(),
  detail: z.looseObject({}).nullable().optional(),
  errors: z.array(CodeMessage),
  warnings: z.array(CodeMessage)
})
export type Dependency = z.infer<typeof Dependency>

/** The seven dependency keys of 7.0.1+; a future key is kept (loose) and judged generically. */
export const DEPENDENCY_KEYS = [
  'database',
  'msg_queue',
  'nodes',
  'logs',
  'elasticsearch',
  'idam',
  'silo'
] as const
export type DependencyKey = (typeof DEPENDENCY_KEYS)[number]

export const StateInfo = z.looseObject({
  name: z.string(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional()
})
export type StateInfo = z.infer<typeof StateInfo>

/** A node or scheduler condition: `{name, title, description, started, last_updated}`. */
export const Condition = z.looseObject({
  name: z.string(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  started: ScaleTimestamp.nullable().optional(),
  last_updated: ScaleTimestamp.nullable().optional()
})
export type Condition = z.infer<typeof Condition>

export const ResourceValues = z.looseObject({
  running: Num,
  offered: Num,
  free: Num,
  unavailable: Num,
  total: Num
})
export type ResourceValues = z.infer<typeof ResourceValues>
/** Keyed by resource name: cpus, mem (MiB), disk (MiB), gpus, plus custom scalar resources. */
export const Resources = z.record(z.string(), ResourceValues)
export type Resources = z.infer<typeof Resources>

export const TaskCount = z.looseObject({
  type: z.string(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  count: Num
})
export type TaskCount = z.infer<typeof TaskCount>

export const ByJobType = z.array(z.looseObject({ job_type_id: Num, count: Num }))
export const ExeCount = z.looseObject({ total: Num, by_job_type: ByJobType })
export type ExeCount = z.infer<typeof ExeCount>

export const JobExecutions = z.looseObject({
  running: ExeCount,
  completed: ExeCount,
  failed: z.looseObject({
    total: Num,
    algorithm: ExeCount,
    data: ExeCount,
    system: ExeCount
  })
})
export type JobExecutions = z.infer<typeof JobExecutions>

export const Node = z.looseObject({
  id: Num,
  hostname: z.string(),
  agent_id: z.string().nullable().optional(),
  is_active: z.boolean(),
  state: StateInfo,
  errors: z.array(Condition),
  warnings: z.array(Condition),
  node_tasks: z.array(TaskCount).optional(),
  system_tasks: z.array(TaskCount).optional(),
  num_offers: Num.optional(),
  resources: Resources.optional(),
  // Always present in every release the docs cover; optional so a partial node is still shown.
  job_executions: JobExecutions.optional()
})
export type Node = z.infer<typeof Node>

export const JobType = z.looseObject({
  id: Num,
  name: z.string(),
  version: z.string(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  is_system: z.boolean().optional(),
  icon_code: z.string().nullable().optional()
})
export type JobType = z.infer<typeof JobType>

export const SchedulerMetrics = z.record(z.string(), Num)

export const Scheduler = z.looseObject({
  hostname: z.string().nullable().optional(),
  // 5.1–5.7 also had master_hostname / master_port; kept by looseObject.
  mesos: z.looseObject({ framework_id: z.string().nullable().optional() }).optional(),
  metrics: SchedulerMetrics.optional(),
  state: StateInfo,
  warnings: z.array(Condition).optional() // since 6.0.0
})
export type Scheduler = z.infer<typeof Scheduler>

export const Service = z.looseObject({
  name: z.string(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  actual_count: Num,
  desired_count: Num
})
export type Service = z.infer<typeof Service>

export const System = z.looseObject({
  database_update: z
    .looseObject({ is_completed: z.boolean(), completed: ScaleTimestamp.nullable().optional() })
    .optional(),
  services: z.array(Service).optional()
})
export type System = z.infer<typeof System>

export const Vault = z.looseObject({
  status: z.string(),
  sealed: z.boolean(),
  message: z.string().nullable().optional()
})
export type Vault = z.infer<typeof Vault>

/**
 * The `/status/` body. 5.0 had only `timestamp`, `nodes`, `job_types`; 5.1 added `scheduler`,
 * `num_offers`, `resources`; 5.2 `system`; 5.8 `vault`; 7.0.1 `dependencies` and `last_updated`.
 */
export const ScaleStatus = z.looseObject({
  timestamp: ScaleTimestamp,
  last_updated: ScaleTimestamp.nullable().optional(),
  scheduler: Scheduler.optional(),
  system: System.optional(),
  nodes: z.array(Node),
  num_offers: Num.optional(),
  resources: Resources.optional(),
  job_types: z.array(JobType),
  vault: Vault.optional(),
  dependencies: z.record(z.string(), Dependency).optional()
})
export type ScaleStatus = z.infer<typeof ScaleStatus>

export const ScaleVersion = z.looseObject({ version: z.string().nullable() })
export type ScaleVersion = z.infer<typeof ScaleVersion>

/** The body DRF sends with 403/404/503: `{"detail": "..."}`. */
export const ErrorDetail = z.looseObject({ detail: z.string() })
