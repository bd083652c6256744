/**
 * The details page's dependency lines (issue 14): the checks this one depends on and the checks
 * that depend on it, each linked with its stored status. While a parent is down, a child's down
 * alert is held (src/alerts/dependency-gate.ts). Nothing when the check has neither.
 */
import type { RelatedCheck } from '../../checks/index.js'

function Related({ checks }: { checks: RelatedCheck[] }) {
  return (
    <ul class="related-checks">
      {checks.map((c) => (
        <li key={c.code}>
          <a href={`/checks/${c.code}/details/`}>{c.name || c.code}</a>{' '}
          <span class={`status-word status-${c.status}`}>({c.status})</span>
        </li>
      ))}
    </ul>
  )
}

export function DependencyFacts(props: { parents: RelatedCheck[]; children: RelatedCheck[] }) {
  return (
    <>
      {props.parents.length > 0 && (
        <>
          <dt>Depends on</dt>
          <dd>
            <Related checks={props.parents} />
            <span class="muted">Its down alerts wait while one of these is down.</span>
          </dd>
        </>
      )}
      {props.children.length > 0 && (
        <>
          <dt>Checks that depend on it</dt>
          <dd>
            <Related checks={props.children} />
          </dd>
        </>
      )}
    </>
  )
}
