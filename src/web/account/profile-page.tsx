/** The view of /account/profile (profile-routes.tsx). */
import { CSRF_FIELD } from '../csrf.js'
import { ErrorText, Notice } from './account-page.js'

const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]

const NAG_CHOICES: Array<[string, string]> = [
  ['0', 'Off'],
  ['3600', 'Hourly'],
  ['86400', 'Daily'],
]
const REPORT_CHOICES: Array<[string, string]> = [
  ['off', 'Off'],
  ['daily', 'Daily'],
  ['weekly', 'Weekly (Mondays)'],
  ['monthly', 'Monthly (on the 1st)'],
]

export interface ProfileValues {
  tz: string
  nagPeriod: string
  reports: string
}

export function ProfilePage(props: {
  csrf: string
  values: ProfileValues
  message: { error?: string; notice?: string }
}) {
  const { csrf, values, message } = props
  return (
    <div class="card">
      <h1>Profile</h1>
      {message.error && <ErrorText>{message.error}</ErrorText>}
      {message.notice && <Notice>{message.notice}</Notice>}
      <form method="post" action="/account/profile">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <label for="tz">Time zone</label>
        <input id="tz" name="tz" value={values.tz} list="time-zones" autocomplete="off" required />
        <datalist id="time-zones">
          {TIME_ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <label for="nag_period">"Still down" reminders</label>
        <select id="nag_period" name="nag_period">
          {NAG_CHOICES.map(([value, label]) => (
            <option key={value} value={value} selected={value === values.nagPeriod}>
              {label}
            </option>
          ))}
        </select>
        <label for="reports">Email reports</label>
        <select id="reports" name="reports">
          {REPORT_CHOICES.map(([value, label]) => (
            <option key={value} value={value} selected={value === values.reports}>
              {label}
            </option>
          ))}
        </select>
        <div class="actions">
          <button type="submit">Save</button>
        </div>
      </form>
      <p>
        <a href="/account/security">Account security</a>
      </p>
    </div>
  )
}
