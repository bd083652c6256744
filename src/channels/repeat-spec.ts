/**
 * Pure: a channel's repeat settings (issue 14 §7, a Vigil extension) as the API and the channel
 * forms give them: `repeat_every` seconds between repeats of a down alert (0 = never, else 1 minute
 * to 30 days) and `repeat_max`, the most repeats of one down alert (1–1000; 10 when only the
 * interval is given). The worker's rule is alerts/repeat-rule.ts. Healthchecks has no such field.
 */
import type { InvalidField } from '../checks/index.js'
import type { Channel } from '../db/index.js'
import { err, ok, type Result } from '../result.js'

export const REPEAT_EVERY_MIN = 60
export const REPEAT_EVERY_MAX = 30 * 86400
export const REPEAT_MAX_LIMIT = 1000
export const REPEAT_MAX_DEFAULT = 10

export interface RepeatSpec {
  repeat_every: number
  repeat_max: number
}

function invalid(field: string, problem: string): { ok: false; error: InvalidField } {
  return err({ kind: 'invalid-field', field, problem })
}

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v)
}

/**
 * The repeat fields of a body, merged over `current` (the stored settings on update); undefined
 * when the body names neither field.
 */
export function parseRepeatSpec(
  body: Record<string, unknown>,
  current: RepeatSpec = { repeat_every: 0, repeat_max: 0 },
): Result<RepeatSpec | undefined, InvalidField> {
  const hasEvery = Object.hasOwn(body, 'repeat_every')
  const hasMax = Object.hasOwn(body, 'repeat_max')
  if (!hasEvery && !hasMax) return ok(undefined)
  let every = current.repeat_every
  if (hasEvery) {
    const v = body.repeat_every
    if (!isInteger(v)) return invalid('repeat_every', 'is not an integer number of seconds')
    if (v !== 0 && (v < REPEAT_EVERY_MIN || v > REPEAT_EVERY_MAX))
      return invalid(
        'repeat_every',
        `must be 0 (no repeats) or between ${REPEAT_EVERY_MIN} and ${REPEAT_EVERY_MAX} seconds`,
      )
    every = v
  }
  let max = current.repeat_max
  if (hasMax) {
    const v = body.repeat_max
    if (!isInteger(v)) return invalid('repeat_max', 'is not an integer')
    if (v < 1 || v > REPEAT_MAX_LIMIT)
      return invalid('repeat_max', `must be between 1 and ${REPEAT_MAX_LIMIT}`)
    max = v
  }
  if (every === 0) return ok({ repeat_every: 0, repeat_max: 0 })
  return ok({ repeat_every: every, repeat_max: max > 0 ? max : REPEAT_MAX_DEFAULT })
}

/** The channel JSON's repeat fields. */
export function repeatJson(channel: Pick<Channel, 'repeat_every' | 'repeat_max'>) {
  return { repeat_every: channel.repeat_every, repeat_max: channel.repeat_max }
}

/** The JSON Schema of the two fields (channel-spec.ts and the OpenAPI document). */
export function repeatSchemaProperties() {
  return {
    repeat_every: {
      type: 'integer',
      minimum: 0,
      maximum: REPEAT_EVERY_MAX,
      description:
        'Vigil extension: re-send the down notification every this many seconds while the ' +
        `check stays down; 0 = never (default), else ${REPEAT_EVERY_MIN}–${REPEAT_EVERY_MAX}. ` +
        'Repeats stop when the check recovers and are skipped while an alert policy ' +
        '(snooze, maintenance, dependencies) holds its alerts.',
    },
    repeat_max: {
      type: 'integer',
      minimum: 1,
      maximum: REPEAT_MAX_LIMIT,
      description: `Vigil extension: the most repeats of one down notification (default ${REPEAT_MAX_DEFAULT}).`,
    },
  } as const
}
