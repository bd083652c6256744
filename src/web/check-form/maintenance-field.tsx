/**
 * The maintenance windows of the check form (issue 14): a textarea with one window per line,
 * `<cron or OnCalendar> | <duration> | <time zone>` (duration in minutes, or with h/d: `2h`,
 * `90m`, `1d`; the zone defaults to UTC), validated by the API's own rule (checks/maintenance.ts),
 * and a preview of the next windows in their zones with DST marks. Pure: `now` comes in.
 */
import {
  type MaintenanceWindow,
  nextWindows,
  type PlannedWindow,
  parseMaintenance,
  windowsOf,
} from '../../checks/index.js'
import { formatDuration, formatInstant } from '../time-format.js'

/** The stored windows as the textarea shows them. */
export function maintenanceText(json: string): string {
  return windowsOf(json)
    .map((w) => {
      const d =
        w.duration % 3600 === 0 ? `${w.duration / 3600}h` : `${Math.round(w.duration / 60)}m`
      return `${w.schedule} | ${d} | ${w.tz}`
    })
    .join('\n')
}

const DURATION = /^(\d{1,6})\s*([mhd]?)$/

/** The textarea's windows, or the first problem in words. */
export function parseMaintenanceText(
  text: string,
): { ok: true; windows: MaintenanceWindow[] } | { ok: false; error: string } {
  const items: unknown[] = []
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  for (const [i, line] of lines.entries()) {
    const [schedule = '', duration = '', tz = 'UTC', ...rest] = line.split('|').map((p) => p.trim())
    const m = DURATION.exec(duration)
    if (rest.length > 0 || !m)
      return {
        ok: false,
        error: `Line ${i + 1}: write "schedule | duration | time zone", e.g. "0 2 * * 0 | 2h | Europe/Riga".`,
      }
    const unit = { '': 60, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 'm' | 'h' | 'd']
    items.push({ schedule, duration: Number(m[1]) * unit, tz: tz || 'UTC' })
  }
  const r = parseMaintenance(items)
  if ('problem' in r)
    return {
      ok: false,
      error: `Maintenance windows: ${r.problem.replace(/^item (\d+):/, 'line $1:')}.`,
    }
  return { ok: true, windows: r.value }
}

export type MaintenancePreview =
  | { ok: true; windows: PlannedWindow[] }
  | { ok: false; error: string }

export function maintenancePreview(text: string, now: number): MaintenancePreview | null {
  if (text.trim() === '') return null
  const r = parseMaintenanceText(text)
  return r.ok ? { ok: true, windows: nextWindows(r.windows, now, 5) } : r
}

/** The next windows: start and end as a clock in the window's zone shows them, DST marked. */
export function WindowList({ windows, tz }: { windows: PlannedWindow[]; tz?: string }) {
  return (
    <table class="maintenance-preview">
      <thead>
        <tr>
          <th scope="col">Starts</th>
          <th scope="col">Ends</th>
          <th scope="col">Note</th>
        </tr>
      </thead>
      <tbody>
        {windows.map((w) => (
          <tr key={`${w.start}-${w.end}`}>
            <td>{formatInstant(w.start, tz ?? w.tz)}</td>
            <td>{formatInstant(w.end, tz ?? w.tz)}</td>
            <td>
              {w.dstChange ? (
                <span class="dst-mark" title="The clocks change during this window">
                  DST change: {formatDuration((w.end - w.start) / 1000)} of elapsed time
                </span>
              ) : (
                ''
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function MaintenanceField(props: {
  value: string
  error?: string
  preview: MaintenancePreview | null
}) {
  const { value, error, preview } = props
  return (
    <fieldset>
      <legend>Maintenance windows</legend>
      <label for="maintenance">One window per line: schedule | duration | time zone</label>
      <textarea
        id="maintenance"
        name="maintenance"
        rows={3}
        placeholder="0 2 * * 0 | 2h | Europe/Riga"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby="maintenance-hint"
      >
        {value}
      </textarea>
      <p class="hint" id="maintenance-hint">
        Cron or OnCalendar, as schedules; duration in minutes or with h/d. No alerts are sent during
        a window; a check found down in one is alerted at its end if it is still down. The project's
        windows (API <code>/api/v3/maintenance</code>) apply too.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {preview?.ok && (
        <div id="maintenance-preview" class="preview">
          <h3>Next maintenance windows</h3>
          <WindowList windows={preview.windows} />
        </div>
      )}
    </fieldset>
  )
}
