/**
 * A bar chart of recent run durations as server-rendered SVG (no script): one bar per finished
 * run that has a duration, oldest on the left, failed runs in the "down" colour. Each bar has a
 * <title> for hover and the chart has a text summary for screen readers.
 */
import type { ListedPing } from '../../checks/index.js'
import { formatRunTime } from '../time-format.js'

const WIDTH = 600
const HEIGHT = 160
const TOP = 16
const BOTTOM = 16
export const MAX_BARS = 60

export function DurationChart({ pings }: { pings: ListedPing[] }) {
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
  const longest = Math.max(...runs.map((r) => r.durationMs ?? 0), 1)
  const slot = WIDTH / runs.length
  const barWidth = Math.max(2, slot * 0.7)
  const plot = HEIGHT - TOP - BOTTOM
  const summary = `Run times of the last ${runs.length} runs; the longest took ${formatRunTime(longest)}.`
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
      {runs.map((r, i) => {
        const h = Math.max(1, ((r.durationMs ?? 0) / longest) * plot)
        return (
          <rect
            key={r.id}
            class={r.kind === 'fail' ? 'bar bar-fail' : 'bar'}
            x={i * slot + (slot - barWidth) / 2}
            y={HEIGHT - BOTTOM - h}
            width={barWidth}
            height={h}
          >
            <title>{`#${r.n}: ${formatRunTime(r.durationMs ?? 0)}${r.kind === 'fail' ? ' (failed)' : ''}`}</title>
          </rect>
        )
      })}
    </svg>
  )
}
