/**
 * The sessions list (SE-5) and the security activity list (AU-3) as pure views of what
 * session-routes.tsx loaded: no queries, no request.
 */
import { type Session, summariseUserAgent } from '../../accounts/index.js'
import type { SecurityEvent } from '../../db/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { Notice } from './account-page.js'

const iso = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

export function SessionsPage({
  sessions,
  currentId,
  ended,
  csrf,
}: {
  sessions: Session[]
  currentId: string
  /** How many sessions the last sign-out ended, from `?ended=`. */
  ended: string | null
  csrf: string
}) {
  return (
    <>
      <h1>Your sessions</h1>
      {ended !== null && <Notice>Signed out {ended} session(s).</Notice>}
      <div class="card">
        <table>
          <thead>
            <tr>
              <th>Device</th>
              <th>IP address</th>
              <th>Signed in</th>
              <th>Last seen</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} data-session={s.id.slice(0, 16)}>
                <td>{summariseUserAgent(s.user_agent) || 'Unknown device'}</td>
                <td>{s.ip || '–'}</td>
                <td>{iso(s.created)}</td>
                <td>{iso(s.last_seen)}</td>
                <td>
                  {s.id === currentId ? (
                    <strong>This session</strong>
                  ) : (
                    <form method="post" action="/account/sessions/revoke">
                      <input type="hidden" name={CSRF_FIELD} value={csrf} />
                      <input type="hidden" name="ref" value={s.id.slice(0, 16)} />
                      <button type="submit" class="secondary">
                        Sign out
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/account/sessions/revoke-others">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <div class="actions">
            <button type="submit">Sign out all other sessions</button>
          </div>
        </form>
      </div>
    </>
  )
}

export function AuditPage({
  heading,
  events,
  scoped,
}: {
  heading: string
  events: SecurityEvent[]
  /** A project's or every account's list: show whose event each is. */
  scoped: boolean
}) {
  return (
    <>
      <h1>{heading}</h1>
      <div class="card">
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              {scoped && <th>Account</th>}
              <th>IP address</th>
              <th>Device</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-event={e.type}>
                <td>{iso(e.ts)}</td>
                <td>{e.type}</td>
                {scoped && (
                  // The account's number only: closed accounts leave no address behind (LG-7).
                  <td data-subject={e.subject_user_id ?? ''}>
                    {e.subject_user_id === null ? '–' : `#${e.subject_user_id}`}
                  </td>
                )}
                <td>{e.ip || '–'}</td>
                <td>{e.ua_summary || '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

export function AuditNotFound() {
  return (
    <div class="card">
      <h1>Not found</h1>
      <p>There is no such activity list, or you may not see it.</p>
    </div>
  )
}
