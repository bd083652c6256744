/**
 * The monthly SMS/WhatsApp and phone-call quotas of a project's owner, as Healthchecks'
 * Profile.authorize_sms / authorize_call: the counter restarts in a new calendar month (UTC) and
 * a send beyond the limit is refused. Unlike Healthchecks (read, then save), one conditional
 * UPDATE counts and checks at once, so two workers cannot both take the last message.
 */
import type { Ctx } from '../context.js'
import { enqueueMail } from '../mail/index.js'

export type QuotaKind = 'sms' | 'call'

/** Start of the UTC calendar month of `now`. */
export function monthStart(now: number): number {
  const d = new Date(now)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

/** True when the owner of the project may send one more; counts it. */
export async function takeOwnerQuota(
  ctx: Ctx,
  projectId: number,
  kind: QuotaKind,
  now: number,
): Promise<boolean> {
  const since = monthStart(now)
  const owner = ctx.db.kysely.selectFrom('projects').select('owner_id').where('id', '=', projectId)
  const r =
    kind === 'sms'
      ? await ctx.db.kysely
          .updateTable('users')
          .set((eb) => ({
            sms_sent: eb
              .case()
              .when('last_sms_date', '>=', since)
              .then(eb('sms_sent', '+', 1))
              .else(1)
              .end(),
            last_sms_date: now,
          }))
          .where('id', '=', owner)
          .where('sms_limit', '>', 0)
          .where((eb) =>
            eb.or([
              eb('last_sms_date', 'is', null),
              eb('last_sms_date', '<', since),
              eb('sms_sent', '<', eb.ref('sms_limit')),
            ]),
          )
          .executeTakeFirst()
      : await ctx.db.kysely
          .updateTable('users')
          .set((eb) => ({
            calls_sent: eb
              .case()
              .when('last_call_date', '>=', since)
              .then(eb('calls_sent', '+', 1))
              .else(1)
              .end(),
            last_call_date: now,
          }))
          .where('id', '=', owner)
          .where('call_limit', '>', 0)
          .where((eb) =>
            eb.or([
              eb('last_call_date', 'is', null),
              eb('last_call_date', '<', since),
              eb('calls_sent', '<', eb.ref('call_limit')),
            ]),
          )
          .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Tells the owner that a notification was not sent for the quota (send_sms_limit_notice). */
export async function sendQuotaNotice(
  ctx: Ctx,
  projectId: number,
  what: 'SMS' | 'WhatsApp' | 'phone call',
  now: number,
): Promise<void> {
  const owner = await ctx.db.kysely
    .selectFrom('projects')
    .innerJoin('users', 'users.id', 'projects.owner_id')
    .select(['users.email', 'users.sms_limit', 'users.call_limit'])
    .where('projects.id', '=', projectId)
    .executeTakeFirst()
  if (!owner) return
  const limit = what === 'phone call' ? owner.call_limit : owner.sms_limit
  await enqueueMail(
    ctx.db,
    {
      to: owner.email,
      subject: `Monthly ${what} limit reached`,
      text: [
        'Hello,',
        '',
        `Your account has sent ${limit} ${what} notification(s) this month, its monthly limit.`,
        `Further ${what} notifications this month will not be sent; the other channels still work.`,
        '',
        '--',
        ctx.config.siteName,
        '',
      ].join('\n'),
    },
    now,
  )
}
