// Electron-free: builds realistic Scale `/status/` documents for the simulator, tests and the bench.
//
// Every string the real server emits (state titles, error names, dependency messages) is copied
// from scale-status-api.md §5–6, so what the simulator serves is what a real cluster would send.
// Output is deterministic for a given seed and clock.
import type {
  Condition,
  Dependency,
  JobType,
  Node,
  Resources,
  ScaleStatus
} from '../core/scale/schema.ts'

/** Mulberry32: a tiny seeded PRNG, so a scenario looks the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `datetime.isoformat().replace('+00:00','Z')`: microseconds, dropped when zero (§3.3). */
export function scaleTime(d: Date): string {
  const iso = d.toISOString() // 2021-07-14T12:00:03.123Z
  const ms = d.getUTCMilliseconds()
  return ms === 0 ? iso.replace('.000Z', 'Z') : iso.replace(/\.(\d{3})Z$/, '.$1000Z')
}

export const NODE_STATES = {
  DEPRECATED: {
    title: 'Deprecated',
    description:
      'Node is deprecated and will not be used by Scale. Existing jobs on the node will be failed.'
  },
  OFFLINE: {
    title: 'Offline',
    description: 'Node is offline/unavailable, so no jobs can currently run on it.'
  },
  PAUSED: {
    title: 'Paused',
    description:
      'Node is paused, so no new jobs will be scheduled. Existing jobs will continue to run.'
  },
  SCHEDULER_STOPPED: {
    title: 'Scheduler Stopped',
    description:
      'Scheduler is paused, so no new jobs will be scheduled. Existing jobs will continue to run.'
  },
  DEGRADED: {
    title: 'Degraded',
    description:
      'Node has an error condition, putting it in a degraded state. New jobs will not be scheduled, and the node will attempt to continue to run existing jobs.'
  },
  INITIAL_CLEANUP: {
    title: 'Cleaning up',
    description:
      'Node is performing an initial cleanup step to remove existing Scale Docker containers and volumes.'
  },
  IMAGE_PULL: { title: 'Pulling image', description: 'Node is pulling the Scale Docker image.' },
  READY: { title: 'Ready', description: 'Node is ready to run new jobs.' }
} as const
export type NodeStateName = keyof typeof NODE_STATES

export const NODE_ERRORS = {
  BAD_DAEMON: {
    title: 'Docker Not Responding',
    description: 'The Docker daemon on this node is not responding.'
  },
  LOW_DOCKER_SPACE: {
    title: 'Low Docker Disk Space',
    description: 'The free disk space available to Docker is low.'
  },
  BAD_LOGSTASH: {
    title: 'Fluentd Not Responding',
    description: 'The Scale fluentd is not responding to this node.'
  },
  HEALTH_FAIL: {
    title: 'Health Check Failure',
    description: 'The last node health check failed with an unknown exit code.'
  },
  HEALTH_TIMEOUT: {
    title: 'Health Check Timeout',
    description: 'The last node health check timed out.'
  },
  CLEANUP: {
    title: 'Cleanup Failure',
    description: 'The node failed to clean up some Scale Docker containers and volumes.'
  },
  IMAGE_PULL: {
    title: 'Image Pull Failure',
    description: 'The node failed to pull the Scale Docker image from the registry.'
  }
} as const
export type NodeErrorName = keyof typeof NODE_ERRORS

export const SCHEDULER_STATES = {
  READY: { name: 'READY', title: 'Ready', description: 'Scheduler is ready to run new jobs.' },
  PAUSED: {
    name: 'PAUSED',
    title: 'Paused',
    description:
      'Scheduler is paused, so no new jobs will be scheduled. Existing jobs will continue to run.'
  }
} as const

/** Job types a Scale cluster typically has: Scale's own system jobs plus algorithm jobs. */
export const JOB_TYPES: JobType[] = [
  {
    id: 1,
    name: 'scale-ingest',
    version: '1.0.0',
    title: 'Scale Ingest',
    description: 'Ingests a source file into a workspace',
    is_system: true,
    icon_code: 'f013'
  },
  {
    id: 2,
    name: 'scale-clock',
    version: '1.0.0',
    title: 'Scale Clock',
    description: 'Monitors a directory for changes',
    is_system: true,
    icon_code: 'f017'
  },
  {
    id: 3,
    name: 'scale-delete-files',
    version: '1.0.0',
    title: 'Scale Delete Files',
    description: 'Deletes files from a workspace',
    is_system: true,
    icon_code: 'f1f8'
  },
  {
    id: 4,
    name: 'scale-scan',
    version: '1.0.0',
    title: 'Scale Scan',
    description: 'Scans a workspace for new files',
    is_system: true,
    icon_code: 'f002'
  },
  {
    id: 10,
    name: 'geo-ingest',
    version: '2.3.1',
    title: 'Geo Ingest',
    description: 'Reads imagery metadata and footprints',
    is_system: false,
    icon_code: 'f0ac'
  },
  {
    id: 11,
    name: 'landsat-ndvi',
    version: '1.4.0',
    title: 'Landsat NDVI',
    description: 'Computes NDVI from Landsat 8 bands',
    is_system: false,
    icon_code: 'f06c'
  },
  {
    id: 12,
    name: 'sentinel2-l2a',
    version: '0.9.2',
    title: 'Sentinel-2 L2A',
    description: 'Atmospheric correction of Sentinel-2 scenes',
    is_system: false,
    icon_code: 'f0c2'
  },
  {
    id: 13,
    name: 'orthorectify',
    version: '3.0.0',
    title: 'Orthorectify',
    description: 'Orthorectifies a scene against a DEM',
    is_system: false,
    icon_code: 'f279'
  },
  {
    id: 14,
    name: 'cloud-mask',
    version: '1.1.0',
    title: 'Cloud Mask',
    description: 'Masks clouds and shadows',
    is_system: false,
    icon_code: null
  },
  {
    id: 15,
    name: 'object-detect',
    version: '5.2.0',
    title: 'Object Detection',
    description: 'Detects vehicles and vessels',
    is_system: false,
    icon_code: 'f1b9'
  },
  {
    id: 16,
    name: 'chipper',
    version: '1.0.3',
    title: 'Image Chipper',
    description: 'Cuts image chips around detections',
    is_system: false,
    icon_code: 'f0c4'
  },
  {
    id: 17,
    name: 'change-detect',
    version: '2.0.0',
    title: 'Change Detection',
    description: 'Compares scenes over time',
    is_system: false,
    icon_code: 'f201'
  }
]

const METRIC_NAMES = [
  'new_offers_per_sec',
  'task_updates_per_sec',
  'tasks_finished_per_sec',
  'jobs_finished_per_sec',
  'jobs_launched_per_sec',
  'tasks_launched_per_sec',
  'offers_launched_per_sec'
] as const

/** `_round_count_per_sec`: >100 int, >10 one decimal, else two decimals (§5.3). */
function roundRate(x: number): number {
  if (x > 100) return Math.round(x)
  if (x > 10) return Math.round(x * 10) / 10
  return Math.round(x * 100) / 100
}

export interface NodeSpec {
  /** A known state, or any other name (a future release's state). */
  state?: string
  errors?: NodeErrorName[]
  warnings?: Condition[]
}

export interface GenerateOptions {
  /** Number of nodes (default 12). */
  nodes?: number
  seed?: number
  now?: Date
  /**
   * Release shape: '7' (7.0.1+, dependencies and last_updated), '6' (scheduler warnings, no
   * dependencies), '5.8' (vault, no scheduler warnings), '5.1' (scheduler, resources; no
   * system/vault; mesos master fields).
   */
  release?: '7' | '6' | '5.8' | '5.1'
  /** Per-node overrides by index; nodes not listed are READY. */
  nodeSpecs?: Record<number, NodeSpec>
  schedulerPaused?: boolean
  schedulerWarnings?: Condition[]
  /** Replace whole dependency entries (7.x only). */
  dependencies?: Partial<Record<string, Dependency>>
  queueDepth?: number
  vault?: { status: string; sealed: boolean; message: string }
  messagingActual?: number
  messagingDesired?: number
  databaseUpdateCompleted?: boolean
  /** Extra custom Mesos resources, e.g. `sharedmem`. */
  customResources?: string[]
}

const CPUS = [16, 32, 32, 48, 64]
const MEM_GIB = [64, 128, 128, 256, 384]

function cond(name: string, title: string, description: string | null, at: string): Condition {
  return { name, title, description, started: at, last_updated: at }
}

/** A deterministic realistic status document (what `GET /api/v6/status/` returns). */
export function generateStatus(opts: GenerateOptions = {}): ScaleStatus {
  const n = opts.nodes ?? 12
  const rand = rng(opts.seed ?? 42)
  const now = opts.now ?? new Date()
  const release = opts.release ?? '7'
  const ts = scaleTime(now)
  const earlier = scaleTime(new Date(now.getTime() - 37 * 60_000))
  const algoTypes = JOB_TYPES.filter((j) => !j.is_system)
  const custom = opts.customResources ?? []

  const totals: Resources = {}
  const addTotal = (
    kind: string,
    v: { running: number; offered: number; free: number; unavailable: number; total: number },
    active: boolean
  ): void => {
    if (!active) return
    const t = (totals[kind] ??= { running: 0, offered: 0, free: 0, unavailable: 0, total: 0 })
    t.running += v.running
    t.offered += v.offered
    t.free += v.free
    t.unavailable += v.unavailable
    t.total += v.total
  }

  const nodes: Node[] = []
  let offline = 0
  let degraded = 0
  let numOffers = 0
  for (let i = 0; i < n; i++) {
    const spec = opts.nodeSpecs?.[i] ?? {}
    const errors = (spec.errors ?? []).map((e) =>
      cond(e, NODE_ERRORS[e].title, NODE_ERRORS[e].description, earlier)
    )
    const stateName: string =
      spec.state ??
      (errors.length > 0 ? 'DEGRADED' : opts.schedulerPaused ? 'SCHEDULER_STOPPED' : 'READY')
    if (stateName === 'OFFLINE') offline++
    if (stateName === 'DEGRADED') degraded++
    const known = (NODE_STATES as Record<string, { title: string; description: string }>)[stateName]
    const isActive = stateName !== 'DEPRECATED'
    const hasAgent = stateName !== 'OFFLINE' && stateName !== 'DEPRECATED'
    const id = i + 1
    const node: Node = {
      id,
      hostname: `scale-agent-${String(id).padStart(4, '0')}.cluster.local`,
      agent_id: hasAgent
        ? `a1b2c3d4-5e6f-4a0b-9c8d-${String(7000000 + id).padStart(12, '0')}-S${id}`
        : '',
      is_active: isActive,
      state: {
        name: stateName,
        title: known?.title ?? stateName,
        description: known?.description ?? null
      },
      errors,
      warnings: spec.warnings ?? []
    }
    const runningTotal =
      stateName === 'READY' || stateName === 'DEGRADED' ? Math.floor(rand() * 6) : 0
    if (hasAgent) {
      node.node_tasks = [
        {
          type: 'health-check',
          title: 'Node Health Check',
          description: 'Checks the health status of the node',
          count: 1
        }
      ]
      if (rand() < 0.3)
        node.node_tasks.push({
          type: 'cleanup',
          title: 'Node Cleanup',
          description: 'Performs Docker container and volume cleanup on the node',
          count: 1
        })
      if (i === 0) {
        node.system_tasks = [
          {
            type: 'message-handler',
            title: 'Message Handler',
            description: "Processes messages from Scale's backend messaging system",
            count: opts.messagingActual ?? 1
          }
        ]
      }
      const cpus = CPUS[Math.floor(rand() * CPUS.length)] ?? 32
      const memTotal = (MEM_GIB[Math.floor(rand() * MEM_GIB.length)] ?? 128) * 1024
      const diskTotal = 500 * 1024 + Math.floor(rand() * 1500) * 1024
      const res: Resources = {}
      const make = (
        total: number,
        runningShare: number
      ): { running: number; offered: number; free: number; unavailable: number; total: number } => {
        const running = total * runningShare
        const unavailable = total * (0.05 + rand() * 0.1)
        const offered = rand() < 0.4 ? (total - running - unavailable) * 0.5 : 0
        // Per-node values are not rounded by Scale, except free/unavailable (§5.6).
        const free = Math.round((total - running - unavailable - offered) * 100) / 100
        return {
          running: running + 0.1 + 0.2,
          offered,
          free,
          unavailable: Math.round(unavailable * 100) / 100,
          total
        }
      }
      const share = Math.min(0.95, runningTotal * 0.14 + rand() * 0.1)
      res.cpus = make(cpus, share)
      res.mem = make(memTotal, share)
      res.disk = make(diskTotal, share * 0.4)
      res.gpus = { running: 0, offered: 0, free: 0, unavailable: 0, total: 0 }
      for (const c of custom) res[c] = make(64, share)
      node.num_offers = res.cpus.offered > 0 ? 1 : 0
      numOffers += node.num_offers
      node.resources = res
      for (const [k, v] of Object.entries(res)) addTotal(k, v, isActive)
    }
    const byType = (count: number): { job_type_id: number; count: number }[] => {
      const out = new Map<number, number>()
      for (let c = 0; c < count; c++) {
        const jt = algoTypes[Math.floor(rand() * algoTypes.length)] ?? algoTypes[0]
        if (jt) out.set(jt.id, (out.get(jt.id) ?? 0) + 1)
      }
      return [...out].map(([job_type_id, count]) => ({ job_type_id, count }))
    }
    const completed = hasAgent ? Math.floor(rand() * 40) : 0
    const fa = rand() < 0.15 ? Math.floor(rand() * 3) : 0
    const fd = rand() < 0.08 ? 1 : 0
    const fs = errors.length > 0 ? 2 + Math.floor(rand() * 4) : rand() < 0.05 ? 1 : 0
    node.job_executions = {
      running: { total: runningTotal, by_job_type: byType(runningTotal) },
      completed: { total: completed, by_job_type: byType(completed) },
      failed: {
        total: fa + fd + fs,
        algorithm: { total: fa, by_job_type: byType(fa) },
        data: { total: fd, by_job_type: byType(fd) },
        system: { total: fs, by_job_type: byType(fs) }
      }
    }
    nodes.push(node)
  }

  // Top-level values are rounded to two decimals (§5.6); the four standard kinds always appear.
  for (const k of ['cpus', 'mem', 'disk', 'gpus'])
    totals[k] ??= { running: 0, offered: 0, free: 0, unavailable: 0, total: 0 }
  for (const v of Object.values(totals)) {
    for (const f of ['running', 'offered', 'free', 'unavailable', 'total'] as const)
      v[f] = Math.round(v[f] * 100) / 100
  }

  const metrics: Record<string, number> = {}
  for (const m of METRIC_NAMES)
    metrics[m] = roundRate(rand() * (m === 'new_offers_per_sec' ? 140 : 12))

  const status: ScaleStatus = {
    timestamp: ts,
    scheduler: {
      metrics,
      hostname: 'scale-scheduler.marathon.mesos',
      mesos:
        release === '5.1'
          ? {
              framework_id: '7f3e-4c2a-b5d1-0042-0001',
              master_hostname: 'leader.mesos',
              master_port: 5050
            }
          : { framework_id: '7f3e-4c2a-b5d1-0042-0001' },
      state: opts.schedulerPaused ? SCHEDULER_STATES.PAUSED : SCHEDULER_STATES.READY
    },
    nodes,
    num_offers: numOffers,
    resources: totals,
    job_types: JOB_TYPES
  }
  if (release !== '5.1') {
    status.system = {
      database_update:
        opts.databaseUpdateCompleted === false
          ? { is_completed: false }
          : { is_completed: true, completed: earlier },
      services: [
        {
          name: 'messaging',
          title: 'Messaging',
          description: 'Processes the backend messaging system',
          actual_count: opts.messagingActual ?? 1,
          desired_count: opts.messagingDesired ?? 1
        }
      ]
    }
  }
  if (release === '7' || release === '6' || release === '5.8') {
    status.vault = opts.vault ?? { status: 'Secrets Not Configured', sealed: false, message: '' }
  }
  if ((release === '7' || release === '6') && status.scheduler) {
    status.scheduler.warnings = opts.schedulerWarnings ?? []
  }
  if (release === '7') {
    status.last_updated = scaleTime(new Date(now.getTime() - 3_000))
    const qd = opts.queueDepth ?? Math.floor(rand() * 20)
    const nodesDep: Dependency =
      n === 0
        ? {
            OK: false,
            detail: { msg: 'No nodes reported' },
            errors: [{ NODES_OFFLINE: 'No nodes reported.' }],
            warnings: []
          }
        : offline + degraded > 0.3 * n
          ? {
              OK: false,
              detail: { msg: 'Over a third of nodes are in an error state' },
              errors: [{ NODES_ERRORED: 'Over a third of the nodes are offline or degraded.' }],
              warnings: []
            }
          : {
              OK: true,
              detail: { msg: 'Enough nodes are online to function.' },
              errors: [],
              warnings: []
            }
    if (offline > 0) nodesDep.warnings.push({ NODES_OFFLINE: `${offline} nodes are offline` })
    if (degraded > 0) nodesDep.warnings.push({ NODES_DEGRADED: `${degraded} nodes are degraded` })
    const deps: Record<string, Dependency> = {
      logs: {
        OK: true,
        detail: {
          msg: 'Logs are healthy',
          logging_address: 'tcp://fluentd.marathon.l4lb.thisdcos.directory:24224',
          logging_health_address:
            'http://fluentd.marathon.l4lb.thisdcos.directory:24220/api/plugins.json'
        },
        errors: [],
        warnings: []
      },
      msg_queue: {
        OK: true,
        detail: {
          msg:
            qd > 100
              ? 'Message queue is large. Scale may be unresponsive.'
              : 'Message Queue is healthy',
          num_message_handlers: opts.messagingActual ?? 1,
          type: 'amqp',
          queue_name: 'scale-command-messages',
          queue_depth: qd,
          region_name: ''
        },
        errors: [],
        warnings: qd > 100 ? [{ LARGE_QUEUE: 'Message queue is very large' }] : []
      },
      database: { OK: true, detail: { msg: 'Database alive and well' }, errors: [], warnings: [] },
      elasticsearch: {
        OK: true,
        detail: {
          url: 'http://elasticsearch.marathon.l4lb.thisdcos.directory:9200',
          msg: 'Elasticsearch is healthy',
          info: {
            name: 'es-0',
            cluster_name: 'scale',
            version: { number: '5.6.16' },
            tagline: 'You Know, for Search'
          }
        },
        errors: [],
        warnings: []
      },
      nodes: nodesDep,
      idam: {
        OK: true,
        detail: { geoaxis_enabled: false, msg: 'GEOAxIS is not enabled' },
        errors: [],
        warnings: []
      },
      silo: {
        OK: true,
        detail: { url: 'https://silo.cluster.local', msg: 'Silo is alive and connected' },
        errors: [],
        warnings: []
      }
    }
    for (const [k, v] of Object.entries(opts.dependencies ?? {})) if (v) deps[k] = v
    status.dependencies = deps
  }
  return status
}
