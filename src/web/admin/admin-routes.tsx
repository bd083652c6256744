/**
 * The admin status page, GET /admin/system (superusers only; anyone else gets "not found"): the
 * doctor findings (the same list as `vigil doctor`, without network probes so the page answers
 * fast), worker heartbeats, queue depths of notifications and outgoing mail, and the latest mail
 * in the outbox, so an admin sees at once when mail cannot go or no worker runs.
 */
import type { FastifyInstance } from 'fastify'
import type { Ctx } from '../../context.js'
import { runDoctor, WORKER_HEARTBEAT_MAX_AGE_MS } from '../../doctor/findings.js'
import { requireLogin, sendMonitoringPage, sendNotFound } from '../monitoring-page.js'
import { formatInstant } from '../time-format.js'

const OUTBOX_ROWS = 50

async function loadSystemStatus(ctx: Ctx) {
  const k = ctx.db.kysely
  const findings = await runDoctor(ctx, { network: false })
  const workers = await k
    .selectFrom('worker_heartbeats')
    .selectAll()
    .orderBy('last_seen', 'desc')
    .limit(50)
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
  return { findings, workers, notifications, mail, outbox }
}

function Counts({ rows, label }: { rows: { status: string; n: number }[]; label: string }) {
  return (
    <p>
      {label}:{' '}
      {rows.length === 0 ? 'empty' : rows.map((r) => `${Number(r.n)} ${r.status}`).join(', ')}
    </p>
  )
}

export function registerAdminRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/admin/system', async (req, reply) => {
    const auth = requireLogin(req, reply)
    if (!auth) return reply
    if (auth.user.is_superuser !== 1) return sendNotFound(ctx, reply)
    const s = await loadSystemStatus(ctx)
    const now = ctx.clock.now()
    const tz = auth.user.tz
    return sendMonitoringPage(ctx, req, reply, { title: 'System status' }, () => (
      <>
        <h1>System status</h1>
        <section class="card" aria-labelledby="findings">
          <h2 id="findings">Configuration and health</h2>
          {s.findings.length === 0 ? (
            <p class="status status-up">✓ No problems found.</p>
          ) : (
            <ul>
              {s.findings.map((f) => (
                <li key={f.id}>
                  <span
                    class={`status status-${f.severity === 'error' ? 'down' : f.severity === 'warning' ? 'grace' : 'up'}`}
                  >
                    {f.severity === 'error'
                      ? '✗ error'
                      : f.severity === 'warning'
                        ? '! warning'
                        : '✓ ok'}
                  </span>{' '}
                  <code>{f.id}</code> {f.message}
                  {f.hint && <small>Fix: {f.hint}</small>}
                </li>
              ))}
            </ul>
          )}
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
                      {now - w.last_seen > WORKER_HEARTBEAT_MAX_AGE_MS ? (
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
        <section class="card" aria-labelledby="queues">
          <h2 id="queues">Queues</h2>
          <Counts label="Notifications" rows={s.notifications} />
          <Counts label="Mail outbox" rows={s.mail} />
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
    ))
  })
}
