/**
 * A TypeBox schema compiled once (typebox/compile, JIT) and its validation errors reduced to what
 * an edge needs to word a message: where (the path of property names and array indexes), which
 * keyword failed, and the limit it names. A missing required property is reported at its own
 * path. Which error counts first, and its words, are the callers' business (check-input.ts).
 */
import type { TSchema } from 'typebox'
import { Compile, type Validator } from 'typebox/compile'

export interface SchemaError {
  /** Property names and array indexes (as strings) from the validated value down. */
  path: string[]
  /** The JSON Schema keyword that failed: type, required, maxLength, pattern, minimum, … */
  keyword: string
  /** The keyword's limit (maxLength, minimum, maximum, maxItems), when it has one. */
  limit?: number
}

/** The errors of a value (none when it is valid); the fast path is one compiled check. */
export type SchemaCheck = (value: unknown) => SchemaError[]

type Collect = (value: unknown, path: string[], out: SchemaError[]) => void

const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~')

function errorsOf(v: Validator, value: unknown, path: string[], out: SchemaError[]): void {
  if (v.Check(value)) return
  for (const e of v.Errors(value)) {
    const at = [
      ...path,
      ...(e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map(unescapePointer)),
    ]
    if (e.keyword === 'required') {
      for (const name of e.params.requiredProperties)
        out.push({ path: [...at, name], keyword: 'required' })
      continue
    }
    const limit = (e.params as { limit?: unknown }).limit
    out.push({ path: at, keyword: e.keyword, ...(typeof limit === 'number' ? { limit } : {}) })
  }
}

/**
 * Errors level by level: an object's own keywords, then each present property in the schema's
 * order; an array's own keywords, then its items up to the first one in error. TypeBox keeps at
 * most 8 errors per validation (a guard against huge error lists), so one validation of a whole
 * body could drop the very error that counts first; one per level keeps each list short.
 */
function compileNode(schema: TSchema): Collect {
  const { properties, items, ...own } = schema as Record<string, unknown>
  if (properties && typeof properties === 'object') {
    const shell = Compile(own as TSchema)
    const children = Object.entries(properties).map(
      ([name, sub]) => [name, compileNode(sub as TSchema)] as const,
    )
    return (value, path, out) => {
      const n = out.length
      errorsOf(shell, value, path, out)
      if (out.slice(n).some((e) => e.keyword === 'type')) return
      const object = value as Record<string, unknown>
      for (const [name, child] of children)
        if (Object.hasOwn(object, name)) child(object[name], [...path, name], out)
    }
  }
  if (items && typeof items === 'object' && !Array.isArray(items)) {
    const shell = Compile(own as TSchema)
    const child = compileNode(items as TSchema)
    return (value, path, out) => {
      const n = out.length
      errorsOf(shell, value, path, out)
      if (out.slice(n).some((e) => e.keyword === 'type')) return
      for (const [i, item] of (value as unknown[]).entries()) {
        const before = out.length
        child(item, [...path, String(i)], out)
        if (out.length > before) return
      }
    }
  }
  const leaf = Compile(schema)
  return (value, path, out) => errorsOf(leaf, value, path, out)
}

export function compileSchema(schema: TSchema): SchemaCheck {
  const whole = Compile(schema)
  const collect = compileNode(schema)
  return (value) => {
    if (whole.Check(value)) return []
    const out: SchemaError[] = []
    collect(value, [], out)
    return out
  }
}

/** The errors whose path is exactly `path`. */
export function errorsAt(errors: readonly SchemaError[], ...path: string[]): SchemaError[] {
  return errors.filter(
    (e) => e.path.length === path.length && path.every((p, i) => e.path[i] === p),
  )
}

/** The errors at `path` or below it. */
export function errorsUnder(errors: readonly SchemaError[], ...path: string[]): SchemaError[] {
  return errors.filter((e) => path.every((p, i) => e.path[i] === p))
}
