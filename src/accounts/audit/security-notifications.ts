/**
 * Security notifications (spec NT-1): a short mail to the account's address through the outbox
 * when something about the account's protection changes, only when mail can go. Without mail the
 * audit log on /account/audit is the record (NT-2), and the caller tells the user so.
 */
import { canSendMail } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import { enqueueMail, mailStatus } from '../../mail/index.js'

/** Queues the notice; false when this server cannot send mail (nothing was queued). */
export async function notifySecurityChange(
  ctx: Ctx,
  to: string,
  change: string,
  now: number,
): Promise<boolean> {
  if (!canSendMail(ctx.config)) return false
  // Degraded mail still gets queued (the outbox retries), but the user is told (NT-2).
  const usable = (await mailStatus(ctx)) !== 'degraded'
  const site = ctx.config.siteName
  await enqueueMail(
    ctx.db,
    {
      to,
      subject: `${site} security notice`,
      text: [
        `This is a notice about your ${site} account (${to}):`,
        '',
        `  ${change}`,
        '',
        `If this was you, there is nothing to do.`,
        `If it was not, change your password and review your sessions at ${ctx.config.siteRoot}/account/security`,
      ].join('\n'),
    },
    now,
  )
  return usable
}

/** The banner of NT-2, shown on the page after a change when no notice could be queued. */
export const NOT_EMAILED = "We couldn't email you about this change."
