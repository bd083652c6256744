/**
 * The channel "Repeat" form (issue 14 §7): re-send the down alert every N minutes, hours or days
 * while the check stays down, at most M times. Pure view; channel-repeat-routes.tsx serves it.
 */
import type { Channel, Project } from '../../db/index.js'
import { CSRF_FIELD } from '../csrf.js'
import { REPEAT_UNITS, type RepeatFormValues } from './channel-repeat.js'

export function ChannelRepeatPage(props: {
  project: Project
  channel: Channel
  csrf: string
  values: RepeatFormValues
  error?: string
}) {
  const { project, channel, values, error } = props
  return (
    <>
      <h1>Repeat the down alerts of {channel.name || channel.kind}</h1>
      <form method="post" class="card" action={`/integrations/${channel.code}/repeat/`}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <p class="muted">
          While a check stays down, send its down alert again. Repeats stop when it recovers and
          wait while the check is snoozed or in maintenance. Leave blank for no repeats.
        </p>
        <div class="field">
          <label for="repeat_every">Repeat every (optional)</label>
          <input
            type="text"
            inputMode="numeric"
            id="repeat_every"
            name="repeat_every"
            value={values.every}
          />
          <label for="repeat_unit">Unit</label>
          <select id="repeat_unit" name="repeat_unit">
            {REPEAT_UNITS.map((u) => (
              <option key={u.value} value={u.value} selected={u.value === values.unit}>
                {u.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="repeat_max">At most this many repeats (optional)</label>
          <input
            type="text"
            inputMode="numeric"
            id="repeat_max"
            name="repeat_max"
            value={values.max}
          />
          <p class="hint">1 to 1000; 10 when left blank.</p>
        </div>
        <div class="actions row-actions">
          <button type="submit">Save</button>
          <a href={`/projects/${project.code}/integrations/`}>Cancel</a>
        </div>
      </form>
    </>
  )
}
