/**
 * The admin status page (DOC-3), superusers only; anyone else gets "not found". GET /admin/system:
 * every doctor check with its status, last run and remedy (no probing on a view: network results
 * are the stored ones), worker heartbeats, queue depths and the latest outbox mail; JSON at
 * /admin/system.json. POST buttons re-run the checks (with the SMTP probe), send a test email to
 * the admin, and sign one user or everyone out (SE-7). Also samples request origins (SITE-003/004).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findUserForOperator, revokeAllSessions, revokeUserSessions } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import {
  CHECKS,
  currentFindings,
  type Finding,
  RequestSampler,
  rememberProblemCount,
  requestOrigin,
  runDoctor,
  sendTestEmail,
  specSeverity,
  storeRequestSummary,
  type TestEmailResult,
  WORKER_HEARTBEAT_MAX_AGE_MS,
} from '../../doctor/index.js'
import { mailStatus } from '../../mail/index.js'
import { SUPERUSER, userOf } from '../access-guard.js'
import { requestMeta } from '../account/account-page.js'
import { CSRF_FIELD } from '../csrf.js'
import { sendMonitoringPage } from '../monitoring-page.js'
import { formField } from '../render.js'
import { formatInstant } from '../time-format.js'
import { registerAdminNotice } from './admin-notice.js'

const OUTBOX_ROWS = 50
const SEVERITY_ORDER: Finding['severity'][] = ['fatal', 'error', 'warning', 'info', 'ok']

/** One row of the checks table: every catalogue id, plus any finding id the catalogue lacks. */
interface CheckRow {
  id: string
  title: string
  status: 'ok' | 'fatal' | 'error' | 'warn' | 'info' | 'not run' | 'not applicable'
  lastRun: number | null
  findings: Finding[]
}

function checkRows(ctx: Ctx, findings: Finding[], now: number, networkAt: number | null) {
  const known = new Set(CHECKS.map((c) => c.id))
  const extra = findings
    .filter((f) => !known.has(f.id))
    .map((f) => ({ id: f.id, title: '', source: 'config' as const }))
  const seen = new Set<string>()
  const rows: CheckRow[] = []
  for (const c of [...CHECKS, ...extra]) {
    if (seen.has(c.id)) continue
    seen.add(c.id)
    const mine = findings.filter((f) => f.id === c.id)
    const worst = SEVERITY_ORDER.find((s) => mine.some((f) => f.severity === s))
    const network = c.source === 'network'
    const lastRun = network ? networkAt : now
    let status: CheckRow['status'] = worst ? specSeverity(worst) : 'ok'
    if (!worst && network && !ctx.config.smtp) status = 'not applicable'
    else if (!worst && network && networkAt === null) status = 'not run'
    rows.push({ id: c.id, title: c.title, status, lastRun, findings: mine })
  }
  // Failing checks first, in severity order.
  const rank = (r: CheckRow) => {
    const i = ['fatal', 'error', 'warn', 'info'].indexOf(r.status)
    return i === -1 ? 9 : i
  }
  return rows.sort((a, b) => rank(a) - rank(b))
}

async function loadSystemStatus(ctx: Ctx) {
  const k = ctx.db.kysely
  const now = ctx.clock.now()
  const { findings, networkAt } = await currentFindings(ctx)
  const workers = await k
    .selectFrom('worker_heartbeats')
    .selectAll()
    .orderBy('last_seen', 'desc')
    .limit(50)
    .execute()
  const outages = await k
    .selectFrom('worker_outages')
    .selectAll()
    .orderBy('started', 'desc')
    .limit(10)
    .execute()
  const notifications = await k
    .selectFrom('notifications')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const mail = await k
    .selectFrom('mail_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const outbox = await k
    .selectFrom('mail_outbox')
    .select(['id', 'created', 'to_addr', 'subject', 'status', 'error', 'attempts'])
    .orderBy('id', 'desc')
    .limit(OUTBOX_ROWS)
    .execute()
  const rows = checkRows(ctx, findings, now, networkAt)
  return {
    now,
    findings,
    rows,
    workers,
    outages,
    notifications,
    mail,
    outbox,
    mailState: await mailStatus(ctx),
  }
}

function Counts({ rows, label }: { rows: { status: string; n: number }[]; label: string }) {
  return (
    <p>
      {label}:{' '}
      {rows.length === 0 ? 'empty' : rows.map((r) => `${Number(r.n)} ${r.status}`).join(', ')}
    </p>
  )
}

const STATUS_CLASS: Record<CheckRow['status'], string> = {
  ok: 'status status-up',
  fatal: 'status status-down',
  error: 'status status-down',
  warn: 'status status-grace',
  info: 'status',
  'not run': 'status muted',
  'not applicable': 'status muted',
}

/** What a POST button did, shown above the table. */
type Outcome =
  | { kind: 'rerun' }
  | { kind: 'rerun-failed'; reason: string }
  | { kind: 'test-email'; to: string; result: TestEmailResult }
  | { kind: 'revoked'; n: number; who: string }
  | { kind: 'unknown-user'; email: string }

function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  switch (outcome.kind) {
    case 'rerun':
      return (
        <p class="notice" role="status">
          Checks re-run, including the SMTP probe.
        </p>
      )
    case 'rerun-failed':
      return (
        <p class="notice" role="alert">
          The checks could not run: {outcome.reason}
        </p>
      )
    case 'test-email':
      return (
        <div class="notice" role={outcome.result.ok ? 'status' : 'alert'}>
          <p>
            Test email to {outcome.to}: {outcome.result.ok ? 'sent' : 'not sent'} —{' '}
            {outcome.result.summary}
          </p>
          {outcome.result.transcript.length > 0 && (
            <details>
              <summary>SMTP transcript</summary>
              <pre>{outcome.result.transcript.join('\n')}</pre>
            </details>
          )}
        </div>
      )
    case 'revoked':
      return (
        <p class="notice" role="status">
          {outcome.n} session(s) of {outcome.who} signed out.
        </p>
      )
    case 'unknown-user':
      return (
        <p class="notice" role="alert">
          No user has the email address {outcome.email}.
        </p>
      )
  }
}

function SystemPage({
  s,
  csrf,
  tz,
  outcome,
}: {
  s: Awaited<ReturnType<typeof loadSystemStatus>>
  csrf: string
  tz: string
  outcome: Outcome | null
}) {
  const failing = s.rows.filter((r) => ['fatal', 'error', 'warn'].includes(r.status)).length
  return (
    <>
      <h1>System status</h1>
      {outcome && <OutcomeNotice outcome={outcome} />}
      <section class="card" aria-labelledby="findings">
        <h2 id="findings">Configuration and health</h2>
        {failing === 0 ? (
          <p class="status status-up">✓ No problems found.</p>
        ) : (
          <p>
            {failing} check(s) need attention. Mail is <strong>{s.mailState}</strong>.
          </p>
        )}
        <div class="table-wrap">
          <table class="doctor-checks">
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Status</th>
                <th scope="col">Last run</th>
                <th scope="col">Details and remedy</th>
              </tr>
            </thead>
            <tbody>
              {s.rows.map((r) => (
                <tr key={r.id} data-check={r.id} data-status={r.status}>
                  <td>
                    <code>{r.id}</code> {r.title}
                  </td>
                  <td>
                    <span class={STATUS_CLASS[r.status]}>
                      {r.status === 'ok'
                        ? '✓ ok'
                        : ['fatal', 'error'].includes(r.status)
                          ? `✗ ${r.status}`
                          : r.status === 'warn'
                            ? '! warning'
                            : r.status}
                    </span>
                  </td>
                  <td>{r.lastRun === null ? 'never' : formatInstant(r.lastRun, tz)}</td>
                  <td>
                    {r.findings.map((f, i) => (
                      <p key={i}>
                        {f.message}
                        {f.hint && <small> Fix: {f.hint}</small>}
                      </p>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form method="post" action="/admin/system/rerun" class="inline-form">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <button type="submit">Re-run checks</button>
        </form>{' '}
        <form method="post" action="/admin/system/test-email" class="inline-form">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <button type="submit" class="secondary">
            Send test email to me
          </button>
        </form>{' '}
        <a href="/admin/system.json">JSON</a>
      </section>
      <section class="card" aria-labelledby="workers">
        <h2 id="workers">Workers</h2>
        {s.workers.length === 0 ? (
          <p class="status status-down">✗ No worker has ever run.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col">Role</th>
                <th scope="col">Started</th>
                <th scope="col">Last heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {s.workers.map((w) => (
                <tr key={w.worker_id}>
                  <td>{w.worker_id}</td>
                  <td>{w.role}</td>
                  <td>{formatInstant(w.started, tz)}</td>
                  <td>
                    {formatInstant(w.last_seen, tz)}{' '}
                    {s.now - w.last_seen > WORKER_HEARTBEAT_MAX_AGE_MS ? (
                      <span class="status status-down">✗ stale</span>
                    ) : (
                      <span class="status status-up">✓ alive</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" aria-labelledby="outages">
        <h2 id="outages">Worker outages</h2>
        {s.outages.length === 0 ? (
          <p>No outage recorded.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">From (last heartbeat)</th>
                <th scope="col">To (noticed)</th>
                <th scope="col">Checks given their grace again</th>
              </tr>
            </thead>
            <tbody>
              {s.outages.map((o) => (
                <tr key={o.id}>
                  <td>{formatInstant(o.started, tz)}</td>
                  <td>{formatInstant(o.ended, tz)}</td>
                  <td>{o.checks_rearmed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p>
          Deadlines that passed while no worker ran are re-armed from the recovery time, so late
          pings still count (WORKER_OUTAGE_THRESHOLD).
        </p>
      </section>
      <section class="card" aria-labelledby="queues">
        <h2 id="queues">Queues</h2>
        <Counts label="Notifications" rows={s.notifications} />
        <Counts label="Mail outbox" rows={s.mail} />
      </section>
      <section class="card" aria-labelledby="sessions">
        <h2 id="sessions">Sessions</h2>
        <form method="post" action="/admin/system/sessions/revoke">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <label>
            Sign out every session of the user with email{' '}
            <input type="email" name="email" required autocomplete="off" />
          </label>{' '}
          <button type="submit" class="secondary">
            Sign this user out
          </button>
        </form>
        <form method="post" action="/admin/system/sessions/revoke">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <input type="hidden" name="all" value="1" />
          <button type="submit" class="secondary">
            Sign everyone out (you too)
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="outbox">
        <h2 id="outbox">Mail outbox (latest {OUTBOX_ROWS})</h2>
        {s.outbox.length === 0 ? (
          <p class="muted">No mail yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {s.outbox.map((m) => (
                  <tr key={m.id}>
                    <td>{formatInstant(m.created, tz)}</td>
                    <td>{m.to_addr}</td>
                    <td>{m.subject}</td>
                    <td>
                      {m.status} ({m.attempts} attempts){m.error && <small>{m.error}</small>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  )
}

/** Samples the origin of every page request (SITE-003/004); writes only when the picture changes. */
function registerRequestSampling(app: FastifyInstance, ctx: Ctx): void {
  const sampler = new RequestSampler(new URL(ctx.config.siteRoot).origin)
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.staticAsset) return
    const summary = sampler.observe(requestOrigin(req.protocol, req.host), ctx.clock.now())
    if (!summary) return
    await storeRequestSummary(ctx, summary).catch((e) =>
      req.log.warn({ err: e }, 'could not store the request-origin sample'),
    )
  })
}

export function registerAdminRoutes(app: FastifyInstance, ctx: Ctx): void {
  registerAdminNotice(app, ctx)
  registerRequestSampling(app, ctx)

  const showPage = async (req: FastifyRequest, reply: FastifyReply, outcome: Outcome | null) => {
    const auth = userOf(req)
    const s = await loadSystemStatus(ctx)
    // The banner on this very page should match the table just computed.
    req.adminNotice = {
      problems: s.findings.filter((f) => ['fatal', 'error'].includes(f.severity)).length,
    }
    return sendMonitoringPage(ctx, req, reply, { title: 'System status' }, (csrf) => (
      <SystemPage s={s} csrf={csrf} tz={auth.user.tz} outcome={outcome} />
    ))
  }

  app.get('/admin/system', SUPERUSER, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>
    return showPage(req, reply, q.rerun === 'done' ? { kind: 'rerun' } : null)
  })

  app.get('/admin/system.json', SUPERUSER, async (_req, reply) => {
    const s = await loadSystemStatus(ctx)
    return reply.send({
      generated_at: new Date(s.now).toISOString(),
      mail_status: s.mailState,
      problems: s.findings.filter((f) => ['fatal', 'error'].includes(f.severity)).length,
      checks: s.rows.map((r) => ({
        check: r.id,
        title: r.title,
        status: r.status,
        last_run: r.lastRun === null ? null : new Date(r.lastRun).toISOString(),
        findings: r.findings.map((f) => ({
          severity: specSeverity(f.severity),
          message: f.message,
          hint: f.hint ?? null,
        })),
      })),
    })
  })

  app.post('/admin/system/rerun', SUPERUSER, async (req, reply) => {
    try {
      rememberProblemCount(ctx, await runDoctor(ctx, { network: true }))
    } catch (e) {
      req.log.error({ err: e }, 'doctor re-run failed')
      return showPage(req, reply, { kind: 'rerun-failed', reason: (e as Error).message })
    }
    return reply.redirect('/admin/system?rerun=done', 303)
  })

  app.post('/admin/system/test-email', SUPERUSER, async (req, reply) => {
    const to = userOf(req).user.email
    const result = await sendTestEmail(ctx.config, to)
    return showPage(req, reply, { kind: 'test-email', to, result })
  })

  app.post('/admin/system/sessions/revoke', SUPERUSER, async (req, reply) => {
    const meta = requestMeta(req)
    if (formField(req.body, 'all') === '1') {
      await revokeAllSessions(ctx, meta)
      // The admin's own session is gone too.
      return reply.redirect('/login', 303)
    }
    const email = formField(req.body, 'email').trim()
    const user = await findUserForOperator(ctx, email)
    if (!user.ok) return showPage(req, reply, { kind: 'unknown-user', email })
    const auth = userOf(req)
    const self = user.value.id === auth.user.id
    const n = await revokeUserSessions(ctx, {
      user: user.value,
      keepId: self ? auth.session.id : null,
      actorUserId: auth.user.id,
      meta,
    })
    return showPage(req, reply, { kind: 'revoked', n, who: user.value.email })
  })
}
