/**
 * The last ping a notification talks about: the newest ping at or before the flip, so a ping
 * that arrived after the check went down does not show up in the "down" message.
 * Mirrors Healthchecks' Transport.last_ping.
 */
import type { Ctx } from '../context.js'
import type { Ping } from '../db/index.js'

export type LastPing = Pick<Ping, 'created' | 'kind' | 'n' | 'body' | 'exitstatus' | 'scheme'>

export async function findLastPing(
  ctx: Ctx,
  checkId: number,
  atOrBefore: number | null,
): Promise<LastPing | null> {
  let q = ctx.db.kysely
    .selectFrom('pings')
    .select(['created', 'kind', 'n', 'body', 'exitstatus', 'scheme'])
    .where('check_id', '=', checkId)
    .orderBy('created', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
  if (atOrBefore !== null) q = q.where('created', '<=', atOrBefore)
  return (await q.executeTakeFirst()) ?? null
}

/** A ping body as text; invalid UTF-8 becomes U+FFFD (Healthchecks decodes leniently too). */
export function pingBodyText(ping: LastPing | null): string | null {
  return ping?.body ? Buffer.from(ping.body).toString('utf8') : null
}
