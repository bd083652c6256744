/**
 * Pure: the "priority for down" / "priority for up" pair of the push kinds (ntfy, Gotify, and
 * Pushover's form): read from the form, read from a stored JSON value, and picked per status.
 * A kind's own "send nothing" priority (0 for ntfy and Gotify, -3 for Pushover) stays with it.
 */
import { ok } from '../result.js'
import { maskSecret, type Parsed, readChoice } from './channel-input.js'
import type { AlertStatus, Integration } from './integration.js'

export interface PushPriorities {
  /** For "down" alerts. */
  priority: number
  /** For "up" alerts. */
  priority_up: number
}

/** The form's `priority` and `priority_up`, each one of `allowed` (`dflt` when blank). */
export function readPriorities(
  fields: Record<string, unknown>,
  allowed: readonly number[],
  dflt: number,
): Parsed<PushPriorities> {
  const priority = readChoice(fields, 'priority', allowed, dflt)
  if (!priority.ok) return priority
  const priorityUp = readChoice(fields, 'priority_up', allowed, dflt)
  if (!priorityUp.ok) return priorityUp
  return ok({ priority: priority.value, priority_up: priorityUp.value })
}

/** The pair from a stored JSON value; a missing or non-numeric one reads as `dflt`. */
export function storedPriorities(doc: Record<string, unknown>, dflt: number): PushPriorities {
  const prio = (v: unknown) => (typeof v === 'number' ? v : dflt)
  return { priority: prio(doc.priority), priority_up: prio(doc.priority_up) }
}

export function priorityFor(v: PushPriorities, status: AlertStatus): number {
  return status === 'up' ? v.priority_up : v.priority
}

/**
 * `maskedConfig` and `isNoop` of a push kind whose JSON value holds a secret `token` beside the
 * pair (ntfy, Gotify): the token masked for display, and priority 0 for a status meaning "do not
 * notify".
 */
export function tokenPushParts(
  parse: (value: string) => PushPriorities & { token: string },
): Pick<Integration, 'maskedConfig' | 'isNoop'> {
  return {
    maskedConfig(value) {
      const v = parse(value)
      return { ...v, token: maskSecret(v.token) }
    },
    isNoop: (value, status) => priorityFor(parse(value), status) === 0,
  }
}
