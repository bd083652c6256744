/**
 * The public status page (/status/<slug>) as a pure view of the status view-model: the headline
 * state, each check's public name, state, 90-day strip (inline SVG coloured by the theme's
 * variables, each day titled) and uptime, the manual notes and the automatic incidents. No
 * script, no third-party request; check UUIDs and ping URLs are not in the view-model at all.
 */
import {
  BAR,
  formatUptime,
  NOTE_STATE_LABEL,
  type NoteState,
  PAGE_STATE_LABEL,
  PUBLIC_STATE_LABEL,
  type PublicState,
  STRIP_WIDTH,
  type StatusView,
  type StatusViewCheck,
  stripBars,
  stripPaths,
} from '../../status-pages/index.js'
import { Layout } from '../layout.js'
import { formatDuration, formatInstant } from '../time-format.js'

/** The stylesheet's status classes for each public state. */
const STATE_CLASS: Record<PublicState, string> = {
  up: 'status-up',
  late: 'status-grace',
  down: 'status-down',
  paused: 'status-paused',
  new: 'status-new',
}

const utc = (ms: number) => formatInstant(ms, 'UTC')
const describeDown = (ms: number) => formatDuration(Math.max(1, Math.round(ms / 1000)))

function Strip({ check, id }: { check: StatusViewCheck; id: string }) {
  const bars = stripBars(check.days, describeDown)
  const paths = stripPaths(bars)
  const downDays = paths.down.length
  const summary = `${check.name}, last ${bars.length} days: ${downDays === 0 ? 'no downtime' : `downtime on ${downDays} ${downDays === 1 ? 'day' : 'days'}`}; uptime ${formatUptime(check.uptime)}.`
  return (
    <svg
      class="uptime-strip"
      viewBox={`0 0 ${STRIP_WIDTH} ${BAR.height}`}
      preserveAspectRatio="none"
      role="img"
      aria-labelledby={id}
      focusable="false"
    >
      <title id={id}>{summary}</title>
      {paths.up && <path d={paths.up} class="day-up" />}
      {paths.nodata && <path d={paths.nodata} class="day-nodata" />}
      <rect width={STRIP_WIDTH} height={BAR.height} fill="url(#strip-gaps)" />
      {paths.down.map((b) => (
        <rect key={b.day} x={b.x} y={0} width={BAR.width} height={BAR.height} class="day-down">
          <title>{b.label}</title>
        </rect>
      ))}
    </svg>
  )
}

/** The gaps between the strip's days, laid over runs of days drawn as one rectangle. */
function StripDefs() {
  return (
    <svg class="strip-defs" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        <pattern id="strip-gaps" width={BAR.step} height={BAR.height} patternUnits="userSpaceOnUse">
          <rect x={BAR.width} width={BAR.step - BAR.width} height={BAR.height} class="strip-gap" />
        </pattern>
      </defs>
    </svg>
  )
}

function Notes({ view }: { view: StatusView }) {
  if (view.notes.length === 0) return null
  return (
    <section class="card" aria-labelledby="sp-notes">
      <h2 id="sp-notes">Notices</h2>
      {view.notes.map((n) => {
        const state = (n.updates[n.updates.length - 1]?.state ?? 'investigating') as NoteState
        return (
          <article key={n.id} class="note">
            <h3>
              {n.title} <span class={`note-state note-${state}`}>{NOTE_STATE_LABEL[state]}</span>
            </h3>
            <ol class="note-updates" reversed>
              {[...n.updates].reverse().map((u) => (
                <li key={u.id}>
                  <strong>{NOTE_STATE_LABEL[u.state as NoteState] ?? u.state}</strong>{' '}
                  <time dateTime={new Date(u.created).toISOString()} class="muted">
                    {utc(u.created)}
                  </time>
                  <p>{u.body}</p>
                </li>
              ))}
            </ol>
          </article>
        )
      })}
    </section>
  )
}

function Incidents({ view }: { view: StatusView }) {
  return (
    <section class="card" aria-labelledby="sp-incidents">
      <h2 id="sp-incidents">Outages in the last 90 days</h2>
      {view.incidents.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Down from</th>
              <th scope="col">Until</th>
              <th scope="col">For</th>
            </tr>
          </thead>
          <tbody>
            {view.incidents.map((i) => (
              <tr key={`${i.key}-${i.start}`}>
                <td>{i.name}</td>
                <td>{i.startedBefore ? `${utc(i.start)} or earlier` : utc(i.start)}</td>
                <td>{i.end === null ? 'still down' : utc(i.end)}</td>
                <td>{describeDown((i.end ?? view.now) - i.start)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export interface PublicPageProps {
  view: StatusView
  siteName: string
  /** The page's own paths, with the token of a private page. */
  links: { json: string; atom: string }
}

export function PublicStatusPage({ view, siteName, links }: PublicPageProps) {
  return (
    <Layout siteName={siteName} title={view.title}>
      <div class="status-page">
        <h1>{view.title}</h1>
        {view.description && <p class="status-description">{view.description}</p>}
        <p class={`status-banner banner-${view.state}`}>
          <strong>{PAGE_STATE_LABEL[view.state]}</strong>
        </p>
        <section class="card" aria-labelledby="sp-checks">
          <h2 id="sp-checks">Current status</h2>
          <StripDefs />
          {view.checks.length === 0 ? (
            <p class="muted">This page lists no checks yet.</p>
          ) : (
            <ul class="status-checks">
              {view.checks.map((c, i) => (
                <li key={`${i}-${c.name}`}>
                  <div class="status-check-head">
                    <span class="status-check-name">{c.name}</span>
                    <span class={`status ${STATE_CLASS[c.state]}`}>
                      {PUBLIC_STATE_LABEL[c.state]}
                    </span>
                  </div>
                  <Strip check={c} id={`strip-${i}`} />
                  <div class="strip-scale" aria-hidden="true">
                    <span>90 days ago</span>
                    <span>{formatUptime(c.uptime)} uptime</span>
                    <span>Today</span>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <p class="legend">
            <span>
              <span class="swatch day-up" /> No downtime
            </span>{' '}
            <span>
              <span class="swatch day-down" /> Some downtime
            </span>{' '}
            <span>
              <span class="swatch day-nodata" /> No data
            </span>
          </p>
        </section>
        <Notes view={view} />
        <Incidents view={view} />
        <p class="muted status-footer">
          Updated {utc(view.now)}. Also as <a href={links.json}>JSON</a> and as an{' '}
          <a href={links.atom} type="application/atom+xml">
            Atom feed
          </a>
          .
        </p>
      </div>
    </Layout>
  )
}
