/**
 * Use cases behind the badge images: the state of a project's checks with a tag (or all of them,
 * `*`) after checking the URL's signature, and the state of one check by its badge key. Mirrors
 * Healthchecks' `badge` and `check_badge` views; rendering is in badge.ts, routes in routes.ts.
 */
import { checkByBadgeKey, checksOfBadgeProject, statusAt, tagsList } from '../checks/index.js'
import type { Ctx } from '../context.js'
import { isValidBadgeSignature } from '../projects/index.js'
import { err, ok, type Result } from '../result.js'
import { type BadgeFormat, type BadgeTally, checkBadgeTally, tallyBadge } from './badge.js'

export interface ProjectBadgeInput {
  /** The project's badge key, from the URL. */
  badgeKey: string
  /** 8 characters, or 10 ending in `-2` for the 2-state badge (late shown as up). */
  signature: string
  /** A tag, or `*` for every check of the project. */
  tag: string
  format: BadgeFormat
}

export interface Badge {
  label: string
  tally: BadgeTally
}

export type BadgeError = { kind: 'badge-not-found' }

/**
 * A wrongly signed URL is not found. A well-signed URL whose project is gone shows `up` with no
 * checks, as in Healthchecks: only the holder of SECRET_KEY can sign, so nothing leaks.
 */
export async function projectBadge(
  ctx: Ctx,
  input: ProjectBadgeInput,
): Promise<Result<Badge, BadgeError>> {
  const { badgeKey, signature, tag } = input
  if (!isValidBadgeSignature(badgeKey, tag, signature, ctx.config.secretKey))
    return err({ kind: 'badge-not-found' })
  const withLate = !(signature.length === 10 && signature.endsWith('-2'))
  const checks = await checksOfBadgeProject(ctx.db.kysely, badgeKey)
  const now = ctx.clock.now()
  const included = tag === '*' ? checks : checks.filter((c) => tagsList(c.tags).includes(tag))
  const tally = tallyBadge(
    included.map((c) => statusAt(c, now)),
    { withLate, stopAtFirstDown: input.format === 'svg' },
  )
  return ok({ label: tag === '*' ? ctx.config.api.masterBadgeLabel : tag, tally })
}

export interface CheckBadgeInput {
  /** 3 shows grace as late; any other number as up. */
  states: number
  /** The check's badge key (a UUID). */
  badgeKey: string
}

/** The badge of one check, labelled with its name (or its UUID when unnamed). */
export async function checkBadge(
  ctx: Ctx,
  input: CheckBadgeInput,
): Promise<Result<Badge, BadgeError>> {
  const check = await checkByBadgeKey(ctx.db.kysely, input.badgeKey)
  if (!check) return err({ kind: 'badge-not-found' })
  const tally = checkBadgeTally(statusAt(check, ctx.clock.now()), input.states)
  return ok({ label: check.name || check.code, tally })
}
