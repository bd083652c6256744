/**
 * The event log table shared by the check details page and the full log page: rendered from
 * event-rows.ts data. With `liveUrl` its body carries `data-events-url` and `data-cursor`, and the
 * event-log script prepends the rows that endpoint returns (newest first) without a reload.
 */
import type { EventCell, EventRowData } from './event-rows.js'

function Cell({ cell }: { cell: EventCell }) {
  return (
    <td class={cell.class} colSpan={cell.colSpan}>
      {cell.parts.map((p, i) =>
        typeof p === 'string' ? (
          p
        ) : 'strong' in p ? (
          <strong key={i}>{p.strong}</strong>
        ) : (
          <a key={i} href={p.href}>
            {p.text}
          </a>
        ),
      )}
    </td>
  )
}

export function EventTable({
  rows,
  live,
}: {
  rows: EventRowData[]
  live?: { url: string; cursor: string }
}) {
  return (
    <div class="table-wrap">
      <table class="events">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Duration</th>
            <th scope="col" class="col-ip">
              Source
            </th>
            <th scope="col" class="col-ua">
              User agent
            </th>
            <th scope="col">Body</th>
          </tr>
        </thead>
        <tbody data-events-url={live?.url} data-cursor={live?.cursor}>
          {rows.map((r) => (
            <tr key={r.key} class={r.class} data-event={r.key}>
              {r.cells.map((c, i) => (
                <Cell key={i} cell={c} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
