/**
 * A bar chart of recent run durations as server-rendered SVG (no script): one bar per finished
 * run that has a duration, oldest on the left, failed runs in the "down" colour. Each bar has a
 * <title> for hover and the chart has a text summary for screen readers. With a learned baseline
 * (issue 15), each successful run's slot shows its usual band behind the bar, and a run outside
 * it is drawn in the "grace" colour and titled "unusual duration".
 */
import type { ListedPing } from '../../checks/index.js'
import { type Band, type Baseline, bandFor, formatSpan } from '../../insight/index.js'
import { formatRunTime } from '../time-format.js'

const WIDTH = 600
const HEIGHT = 160
const TOP = 16
const BOTTOM = 16
export const MAX_BARS = 60

export function DurationChart({
  pings,
  baseline = null,
  tz = 'UTC',
}: {
  pings: ListedPing[]
  baseline?: Baseline | null
  tz?: string
}) {
  // `pings` come newest first; the chart reads left to right in time.
  const runs = pings
    .filter((p) => p.durationMs !== null && (p.kind === 'success' || p.kind === 'fail'))
    .slice(0, MAX_BARS)
    .reverse()
  if (runs.length === 0) {
    return (
      <p class="muted">
        No run times yet: send a <code>/start</code> ping when the job begins.
      </p>
    )
  }
  const bands: Array<Band | null> = runs.map((r) =>
    baseline && r.kind === 'success'
      ? bandFor(baseline, r.created - (r.durationMs ?? 0), tz)
      : null,
  )
  const unusual = runs.map((r, i) => {
    const b = bands[i]
    return b !== null && ((r.durationMs ?? 0) < b.lo || (r.durationMs ?? 0) > b.hi)
  })
  const longest = Math.max(
    ...runs.map((r) => r.durationMs ?? 0),
    ...bands.map((b) => b?.hi ?? 0),
    1,
  )
  const slot = WIDTH / runs.length
  const barWidth = Math.max(2, slot * 0.7)
  const plot = HEIGHT - TOP - BOTTOM
  const y = (ms: number) => HEIGHT - BOTTOM - (ms / longest) * plot
  const unusualCount = unusual.filter(Boolean).length
  const usual = baseline && !baseline.weekly ? baseline.overall : null
  const summary =
    `Run times of the last ${runs.length} runs; the longest took ${formatRunTime(Math.max(...runs.map((r) => r.durationMs ?? 0)))}.` +
    (usual ? ` Usually ${formatSpan(usual.lo)} to ${formatSpan(usual.hi)}.` : '') +
    (baseline ? ` ${unusualCount} with an unusual duration.` : '')
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={summary}
      xmlns="http://www.w3.org/2000/svg"
    >
      <line x1="0" y1={HEIGHT - BOTTOM} x2={WIDTH} y2={HEIGHT - BOTTOM} />
      <text x="0" y="11">
        {formatRunTime(longest)}
      </text>
      {bands.map((b, i) =>
        b === null ? null : (
          <rect
            key={`band-${runs[i].id}`}
            class="band"
            x={i * slot}
            y={y(b.hi)}
            width={slot}
            height={Math.max(1, y(b.lo) - y(b.hi))}
          />
        ),
      )}
      {runs.map((r, i) => {
        const h = Math.max(1, ((r.durationMs ?? 0) / longest) * plot)
        return (
          <rect
            key={r.id}
            class={r.kind === 'fail' ? 'bar bar-fail' : unusual[i] ? 'bar bar-unusual' : 'bar'}
            x={i * slot + (slot - barWidth) / 2}
            y={HEIGHT - BOTTOM - h}
            width={barWidth}
            height={h}
          >
            <title>{`#${r.n}: ${formatRunTime(r.durationMs ?? 0)}${r.kind === 'fail' ? ' (failed)' : ''}${unusual[i] ? ' (unusual duration)' : ''}`}</title>
          </rect>
        )
      })}
    </svg>
  )
}
