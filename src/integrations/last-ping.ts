/**
 * The last ping a notification talks about: the newest ping at or before the flip, so a ping
 * that arrived after the check went down does not show up in the "down" message.
 * Mirrors Healthchecks' Transport.last_ping. A body in object storage is fetched; when the
 * store cannot be read the message goes without the body rather than not at all.
 */
import type { Ctx } from '../context.js'
import type { Ping } from '../db/index.js'
import { readPingBody } from '../objects/index.js'

export type LastPing = Pick<Ping, 'created' | 'kind' | 'n' | 'body' | 'exitstatus' | 'scheme'>

export async function findLastPing(
  ctx: Ctx,
  checkId: number,
  atOrBefore: number | null,
): Promise<LastPing | null> {
  let q = ctx.db.kysely
    .selectFrom('pings')
    .select(['created', 'kind', 'n', 'body', 'exitstatus', 'scheme', 'object_key', 'object_size'])
    .where('check_id', '=', checkId)
    .orderBy('created', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
  if (atOrBefore !== null) q = q.where('created', '<=', atOrBefore)
  const row = await q.executeTakeFirst()
  if (!row) return null
  const { object_key, object_size, ...ping } = row
  if (object_key === null && !(object_size && object_size > 0)) return ping
  const check = await ctx.db.kysely
    .selectFrom('checks')
    .select('code')
    .where('id', '=', checkId)
    .executeTakeFirst()
  const body = await readPingBody(ctx, {
    body: null,
    object_key,
    object_size,
    n: ping.n,
    checkCode: check?.code ?? '',
  })
  return { ...ping, body: body.ok ? body.value : null }
}

/** A ping body as text; invalid UTF-8 becomes U+FFFD (Healthchecks decodes leniently too). */
export function pingBodyText(ping: LastPing | null): string | null {
  return ping?.body ? Buffer.from(ping.body).toString('utf8') : null
}
