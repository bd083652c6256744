/**
 * One ping with its whole body (Healthchecks' ping details): a pure view of the ping that
 * check-details-routes.tsx found within the check's ping log.
 */
import type { RetainedPing } from '../../checks/index.js'
import type { Check, Project } from '../../db/index.js'
import { formatInstant } from '../time-format.js'

export function PingPage({
  check,
  project,
  n,
  ping,
  body,
  bodyUnavailable,
  tz,
}: RetainedPing & { check: Check; project: Project; n: number; tz: string }) {
  return (
    <>
      <p class="breadcrumb">
        <a href={`/projects/${project.code}/checks/`}>{project.name}</a> /{' '}
        <a href={`/checks/${check.code}/details/`}>{check.name || check.code}</a> /
      </p>
      <h1>Ping #{n}</h1>
      <div class="card">
        <dl class="facts">
          <dt>Kind</dt>
          <dd>{ping.kind}</dd>
          <dt>Received</dt>
          <dd>
            {formatInstant(ping.created, tz)} ({formatInstant(ping.created, 'UTC')})
          </dd>
          <dt>Source</dt>
          <dd>
            {ping.scheme.toUpperCase()} {ping.method}{' '}
            {ping.remote_addr ? `from ${ping.remote_addr}` : ''}
          </dd>
          {ping.exitstatus !== null && (
            <>
              <dt>Exit status</dt>
              <dd>{ping.exitstatus}</dd>
            </>
          )}
          {ping.rid && (
            <>
              <dt>Run id</dt>
              <dd>{ping.rid}</dd>
            </>
          )}
          <dt>User agent</dt>
          <dd>{ping.ua || '–'}</dd>
        </dl>
      </div>
      <section class="card" aria-labelledby="body">
        <h2 id="body">Body</h2>
        {body ? (
          <>
            <pre class="body">
              <code>{body.toString('utf8')}</code>
            </pre>
            <p>
              <a href={`/checks/${check.code}/pings/${n}/body`}>Download the body</a>
            </p>
          </>
        ) : bodyUnavailable ? (
          <p class="muted">
            This ping's body is kept in object storage, which cannot be read right now. Try again in
            a minute; if it persists, an administrator can run <code>vigil doctor --network</code>.
          </p>
        ) : (
          <p class="muted">This ping has no body.</p>
        )}
      </section>
    </>
  )
}
