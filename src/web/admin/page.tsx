/**
 * The admin status page (DOC-3) as a pure view of SystemStatus: the doctor checks with status,
 * last run and remedy, workers, queues, the latest outbox mail, and the buttons (re-run, test
 * email, sign people out) with the outcome of the last one.
 */
import { type TestEmailResult, WORKER_HEARTBEAT_MAX_AGE_MS } from '../../doctor/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { formatInstant } from '../time-format.js'
import { type CheckRow, OUTBOX_ROWS, type SystemStatus } from './system-status.js'

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
export type Outcome =
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

export function SystemPage({
  s,
  csrf,
  tz,
  outcome,
}: {
  s: SystemStatus
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
