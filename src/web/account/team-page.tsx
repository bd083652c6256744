/** The view of /projects/<uuid>/settings/team (team-routes.tsx). */

import type { Project } from '../../db/index.js'
import type { MemberRow, PendingInvitation } from '../../projects/index.js'
import { ROLE_NAMES } from '../../projects/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { formatInstant } from '../time-format.js'
import { ErrorText, Notice } from './account-page.js'

export const TEAM_TEXT = {
  twoFactorRequired: 'This project requires two-factor authentication.',
  addedEmailed: (email: string, project: string) =>
    `${email} was added to ${project}. We emailed them a notice.`,
  addedNotEmailed: (email: string, project: string, siteRoot: string) =>
    `${email} was added to ${project}. We couldn't email them because this server can't send email: tell them to sign in with their own account at ${siteRoot}/login. If they have no password, an administrator can create a one-time sign-in link with \`vigil user login-link ${email}\`.`,
  signupEmailed: (email: string, project: string) =>
    `${email} has no account yet. We emailed them a link to create one; they join ${project} when they do.`,
  signupNotEmailed: (email: string, project: string) =>
    `${email} has no account yet, and we couldn't email them because this server can't send email. Give them the one-time sign-up link below: it creates a new account for ${email} only (never opens an existing one), works within 7 days, and adds them to ${project}.`,
} as const

export function TeamPage(props: {
  csrf: string
  project: Pick<Project, 'name' | 'require_2fa'>
  /** The viewer may change roles, remove and invite. */
  manage: boolean
  members: MemberRow[]
  pending: PendingInvitation[]
  /** The team routes' base path. */
  base: string
  /** The viewer's time zone, for the invitations' expiry. */
  tz: string
  message?: { error?: string; notice?: string; link?: string | null }
}) {
  const { csrf, project, manage, members, pending, base, tz, message } = props
  return (
    <>
      <h1>Team of {project.name}</h1>
      {message?.error && <ErrorText>{message.error}</ErrorText>}
      {message?.notice && <Notice>{message.notice}</Notice>}
      {message?.link && (
        <p>
          One-time sign-up link to give them: <code data-invite-link>{message.link}</code>
        </p>
      )}
      {project.require_2fa === 1 && <p>{TEAM_TEXT.twoFactorRequired}</p>}
      <div class="card">
        <table>
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              {manage && <th>Two-factor</th>}
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-member={m.email}>
                <td>{m.email}</td>
                <td>
                  {manage ? (
                    <form method="post" action={`${base}/role`}>
                      <input type="hidden" name={CSRF_FIELD} value={csrf} />
                      <input type="hidden" name="user" value={String(m.userId)} />
                      <select name="role" aria-label={`Role of ${m.email}`}>
                        {(['w', 'r', 'm'] as const).map((r) => (
                          <option key={r} value={r} selected={r === m.role}>
                            {ROLE_NAMES[r]}
                          </option>
                        ))}
                      </select>
                      <button type="submit" class="secondary">
                        Change
                      </button>
                    </form>
                  ) : (
                    ROLE_NAMES[m.role]
                  )}
                </td>
                {manage && <td>{m.twoFactor ? 'on' : 'off'}</td>}
                <td>
                  {manage && (
                    <form method="post" action={`${base}/remove`}>
                      <input type="hidden" name={CSRF_FIELD} value={csrf} />
                      <input type="hidden" name="user" value={String(m.userId)} />
                      <button type="submit" class="secondary">
                        Remove
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {pending.length > 0 && (
          <p data-pending-invitations>
            Invited, no account yet:{' '}
            {pending.map((p, i) => (
              <span key={`${p.email}-${p.expires}`}>
                {i > 0 && ', '}
                {p.email} ({ROLE_NAMES[p.role]}, link valid until {formatInstant(p.expires, tz)})
              </span>
            ))}
          </p>
        )}
      </div>
      {manage && (
        <div class="card">
          <h2>Invite a member</h2>
          <form method="post" action={`${base}/invite`}>
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <label for="email">Email</label>
            <input id="email" name="email" type="email" required />
            <label for="role">Role</label>
            <select id="role" name="role">
              <option value="w">Member</option>
              <option value="r">Read-only</option>
              <option value="m">Manager</option>
            </select>
            <div class="actions">
              <button type="submit">Invite</button>
            </div>
          </form>
        </div>
      )}
    </>
  )
}
