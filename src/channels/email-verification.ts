/**
 * Whether an email channel written by API may be sent to without a confirmation mail: only when
 * it is the project owner's own address (compared case-insensitively), as Healthchecks' form skips
 * verification for the user's own address. Other addresses stay unverified, and notifications to
 * them fail with "Email not verified" (Vigil has no verification mail for API-made channels yet).
 */
import type { Kysely } from 'kysely'
import type { Database, Project } from '../db/index.js'
import { parseEmailValue } from '../integrations/index.js'

export async function isOwnEmailChannel(
  db: Kysely<Database>,
  project: Project,
  kind: string,
  value: string,
): Promise<boolean> {
  if (kind !== 'email') return false
  const owner = await db
    .selectFrom('users')
    .select('email')
    .where('id', '=', project.owner_id)
    .executeTakeFirst()
  const address = parseEmailValue(value).address
  return owner !== undefined && owner.email.toLowerCase() === address.toLowerCase()
}
