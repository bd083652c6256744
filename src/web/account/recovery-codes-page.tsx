/**
 * The one page that shows recovery codes once (RC-2): after a new authenticator app or security
 * key (the first second factor brings the first codes), after "Make new recovery codes", and
 * again when "Done" was pressed without ticking "I have saved my recovery codes". Without codes
 * (a further factor) it says what was set up and links back. Also the status view of
 * /account/recovery-codes (how many are left). The list itself: recovery-code-list.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { NOT_EMAILED } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { COPY_BUTTONS_SCRIPT } from '../assets/client-scripts.js'
import { CSRF_FIELD } from '../csrf.js'
import { Notice, sendAccountPage } from './account-page.js'
import { RecoveryCodeList } from './recovery-code-list.js'

export interface RecoveryCodesShown {
  /** The page's title, and its heading when `heading` is not false. */
  title: string
  heading?: string | false
  /** What just happened, above the codes. */
  notices?: string[]
  /** False when the security notice could not be emailed (NT-2). */
  notified?: boolean
  codes: string[] | null
  /** Why "Done" was refused. */
  error?: string
  status?: number
}

export function sendRecoveryCodesPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  shown: RecoveryCodesShown,
): FastifyReply {
  const { title, heading = title, notices = [], notified = true, codes, error } = shown
  const siteName = ctx.config.siteName
  return sendAccountPage(
    ctx,
    req,
    reply,
    shown.status ?? 200,
    title,
    (csrf) => (
      <>
        {heading !== false && <h1>{heading}</h1>}
        {notices.map((n) => (
          <Notice key={n}>{n}</Notice>
        ))}
        {!notified && <Notice>{NOT_EMAILED}</Notice>}
        {codes ? (
          <RecoveryCodeList codes={codes} siteName={siteName} csrf={csrf} error={error} />
        ) : (
          <p>
            <a href="/account/security">Back to account security</a>
          </p>
        )}
      </>
    ),
    { scripts: [COPY_BUTTONS_SCRIPT.path] },
  )
}

/** GET /account/recovery-codes: how many are left, and the button to make new ones. */
export function RecoveryCodeStatus({
  status,
  csrf,
}: {
  status: { left: number; created: number | null }
  csrf: string
}) {
  return (
    <div class="card">
      <h1>Recovery codes</h1>
      <p>
        {status.left} unused codes
        {status.created !== null && `, made ${new Date(status.created).toISOString().slice(0, 10)}`}
        .
      </p>
      <form method="post" action="/account/recovery-codes">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <p class="hint">
          New codes replace all old ones at once, and your other sessions are signed out.
        </p>
        <button type="submit">Make new recovery codes</button>
      </form>
    </div>
  )
}
