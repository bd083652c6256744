/**
 * What a member may save as a status page, read from the management form: slug, title,
 * description, tags, the checks chosen by hand with their public names, and whether the page is
 * private. Pure validation; the use cases check what needs the database (slug taken, checks of
 * the project).
 */
import { isValidSlug } from './rules.js'

export interface StatusPageInput {
  slug: string
  title: string
  description: string
  /** Space-separated. */
  tags: string
  /** Check UUIDs chosen by hand, in order, with the name visitors see. */
  checks: { code: string; publicName: string }[]
  private: boolean
}

export type StatusPageInputError = { kind: 'status-page-invalid'; message: string }

export const LIMITS = { title: 100, description: 2000, publicName: 100, tags: 500, checks: 500 }

/** The input trimmed and checked; an error names what to fix. */
export function validateStatusPageInput(
  input: StatusPageInput,
): { ok: true; value: StatusPageInput } | { ok: false; error: StatusPageInputError } {
  const invalid = (message: string) => ({
    ok: false as const,
    error: { kind: 'status-page-invalid' as const, message },
  })
  const slug = input.slug.trim().toLowerCase()
  const title = input.title.trim()
  const description = input.description.trim()
  const tags = input.tags.trim().split(/\s+/).filter(Boolean).join(' ')
  if (!isValidSlug(slug))
    return invalid(
      'The address needs 1 to 64 lower-case letters, digits and hyphens, not starting or ending with a hyphen.',
    )
  if (title.length < 1 || title.length > LIMITS.title)
    return invalid(`The title needs 1 to ${LIMITS.title} characters.`)
  if (description.length > LIMITS.description)
    return invalid(`The description may have at most ${LIMITS.description} characters.`)
  if (tags.length > LIMITS.tags)
    return invalid(`The tags may have at most ${LIMITS.tags} characters.`)
  if (input.checks.length > LIMITS.checks) return invalid(`Choose at most ${LIMITS.checks} checks.`)
  const checks: StatusPageInput['checks'] = []
  for (const c of input.checks) {
    const publicName = c.publicName.trim()
    if (publicName.length < 1 || publicName.length > LIMITS.publicName)
      return invalid(
        `Give each chosen check a public name of 1 to ${LIMITS.publicName} characters.`,
      )
    if (!checks.some((x) => x.code === c.code.toLowerCase()))
      checks.push({ code: c.code.toLowerCase(), publicName })
  }
  return { ok: true, value: { slug, title, description, tags, checks, private: input.private } }
}
