// Electron-free: compiles a zod schema into a fast yes/no check that builds nothing.
//
// Why: zod's safeParse copies every object it validates (it returns a new value), which costs
// about as much as JSON.parse itself on a 1,000-node status document; the read budget is 1.5×
// JSON.parse for parse + validate + evaluate. The zod schema stays the one definition: this
// compiler walks its definition, so the two cannot drift, and on a "no" the caller runs zod itself
// to get the exact path and message. Only the schema features our schemas use are supported;
// anything else throws at compile time rather than being silently accepted.
import type { z } from 'zod'

type Check = (v: unknown) => boolean

interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  catchall?: z.ZodType
  element?: z.ZodType
  innerType?: z.ZodType
  keyType?: z.ZodType
  valueType?: z.ZodType
  checks?: {
    _zod: {
      def: { check: string; format?: string; pattern?: RegExp; fn?: (v: unknown) => unknown }
    }
  }[]
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def
}

function withChecks(base: Check, def: Def, where: string): Check {
  const checks = def.checks ?? []
  if (checks.length === 0) return base
  const extra: Check[] = checks.map((c) => {
    const d = c._zod.def
    if (d.check === 'string_format' && d.format === 'regex' && d.pattern) {
      const re = d.pattern
      return (v) => re.test(v as string)
    }
    if (d.check === 'custom' && d.fn) {
      const fn = d.fn
      return (v) => fn(v) === true
    }
    throw new Error(`validator: unsupported check ${d.check}/${d.format ?? ''} at ${where}`)
  })
  return (v) => {
    if (!base(v)) return false
    for (const c of extra) if (!c(v)) return false
    return true
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Compile `schema` into a predicate that accepts exactly what `schema.safeParse` accepts. */
export function compileValidator(schema: z.ZodType, where = '$'): Check {
  const def = defOf(schema)
  switch (def.type) {
    case 'string':
      // zod 4 keeps formats (z.iso.datetime(), z.email()...) outside `checks`: refuse rather than accept any string.
      if ((def as { format?: string }).format)
        throw new Error(
          `validator: string format ${(def as { format?: string }).format} not supported at ${where}`
        )
      return withChecks((v) => typeof v === 'string', def, where)
    case 'number':
      return withChecks((v) => typeof v === 'number' && Number.isFinite(v), def, where)
    case 'boolean':
      return withChecks((v) => typeof v === 'boolean', def, where)
    case 'unknown':
      return withChecks(() => true, def, where)
    case 'nullable': {
      const inner = compileValidator(def.innerType as z.ZodType, where)
      return withChecks((v) => v === null || inner(v), def, where)
    }
    case 'optional': {
      const inner = compileValidator(def.innerType as z.ZodType, where)
      return withChecks((v) => v === undefined || inner(v), def, where)
    }
    case 'array': {
      const el = compileValidator(def.element as z.ZodType, `${where}[]`)
      return withChecks(
        (v) => {
          if (!Array.isArray(v)) return false
          for (let i = 0; i < v.length; i++) if (!el(v[i])) return false
          return true
        },
        def,
        where
      )
    }
    case 'record': {
      const keyDef = defOf(def.keyType as z.ZodType)
      if (keyDef.type !== 'string' || (keyDef.checks?.length ?? 0) > 0) {
        throw new Error(`validator: only plain string record keys are supported at ${where}`)
      }
      const val = compileValidator(def.valueType as z.ZodType, `${where}{}`)
      return withChecks(
        (v) => {
          if (!isPlainObject(v)) return false
          // zod leaves an own "__proto__" key (JSON.parse makes one) out of records; so do we.
          for (const k in v) if (k !== '__proto__' && !val(v[k])) return false
          return true
        },
        def,
        where
      )
    }
    case 'object': {
      // Unknown keys are accepted whether the schema is loose (catchall unknown) or stripping:
      // neither makes zod reject them.
      if (def.catchall && defOf(def.catchall).type !== 'unknown') {
        throw new Error(`validator: typed catchall not supported at ${where}`)
      }
      const entries = Object.entries(def.shape ?? {}).map(([k, s]) => {
        const d = defOf(s)
        return {
          key: k,
          optional: d.type === 'optional',
          check: compileValidator(s, `${where}.${k}`)
        }
      })
      const keys = entries.map((e) => e.key)
      const optional = entries.map((e) => e.optional)
      const checks = entries.map((e) => e.check)
      const n = entries.length
      return withChecks(
        (v) => {
          if (!isPlainObject(v)) return false
          for (let i = 0; i < n; i++) {
            const val = v[keys[i] as string]
            if (val === undefined) {
              if (!optional[i]) return false
              continue
            }
            if (!(checks[i] as Check)(val)) return false
          }
          return true
        },
        def,
        where
      )
    }
    default:
      throw new Error(`validator: unsupported zod type ${def.type} at ${where}`)
  }
}
