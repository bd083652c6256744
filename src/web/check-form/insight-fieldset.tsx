/**
 * The "Run insight" fieldset of the check form: warnings about unusual run durations, new ping
 * sources, two sources in one period and a job that runs too often (issue 15 items 3–5).
 */
import type { InsightFormValues } from './insight-form.js'

function Check(props: { name: keyof InsightFormValues; checked: boolean; label: string }) {
  return (
    <label class="inline">
      <input type="checkbox" name={props.name} value="1" checked={props.checked} /> {props.label}
    </label>
  )
}

export function InsightFieldset({ v, error }: { v: InsightFormValues; error?: string }) {
  return (
    <fieldset>
      <legend>Run insight warnings</legend>
      <Check
        name="unusual_duration_warning"
        checked={v.unusual_duration_warning}
        label="Warn when a run takes unusually long or short (learned from at least 20 runs)"
      />
      <Check
        name="too_often_warning"
        checked={v.too_often_warning}
        label="Warn when the job succeeds more than once in one period of its schedule"
      />
      <Check
        name="two_sources_warning"
        checked={v.two_sources_warning}
        label="Warn when two sources ping within one period (two hosts run this job)"
      />
      <label for="new_source_days">Warn about a source not seen in this many days</label>
      <input
        type="text"
        id="new_source_days"
        name="new_source_days"
        value={v.new_source_days}
        {...(error
          ? { 'aria-invalid': 'true' as const, 'aria-describedby': 'new_source_days-error' }
          : {})}
      />
      <p class="hint">0 to 365; 0 turns it off.</p>
      {error && (
        <p class="field-error" id="new_source_days-error" role="alert">
          {error}
        </p>
      )}
      <label for="source_scope">A source is</label>
      <select id="source_scope" name="source_scope">
        <option value="address" selected={v.source_scope === 'address'}>
          the client address
        </option>
        <option value="network" selected={v.source_scope === 'network'}>
          its network (/24 for IPv4, /64 for IPv6)
        </option>
      </select>
    </fieldset>
  )
}
