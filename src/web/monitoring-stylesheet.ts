/**
 * The rules of the monitoring pages (projects, checks dashboard, check form and details,
 * integrations, settings, admin), appended to the one stylesheet by stylesheet.ts. Colours come
 * from its light/dark variables; layouts collapse to one column at phone width (375 px).
 */
export const MONITORING_STYLES = `
.site-header { flex-wrap: wrap; }
.site-header nav { flex-wrap: wrap; }
.site-footer { max-width: 64rem; margin: 0 auto; padding: 0 1.5rem 2rem; color: var(--muted); font-size: 0.9rem; }
.theme-switch { display: flex; align-items: center; gap: 0.4rem; flex-wrap: wrap; }
.theme-switch button[aria-pressed=true] { border-color: var(--accent); font-weight: 600; }
main.wide { max-width: 80rem; }
.page-head { display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.page-head h1 { margin: 0; }
.breadcrumb { font-size: 0.9rem; color: var(--muted); margin: 0 0 0.4rem; }
.tabs { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0 0 1rem; padding: 0; list-style: none; border-bottom: 1px solid var(--border); }
.tabs a { display: inline-block; padding: 0.4rem 0.1rem; text-decoration: none; color: var(--muted); }
.tabs a[aria-current=page] { color: var(--text); border-bottom: 2px solid var(--accent); font-weight: 600; }
a.button, button.link { display: inline-block; text-decoration: none; border-radius: 6px; padding: 0.45rem 1rem;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-text); font: inherit; }
a.button.secondary { background: transparent; color: var(--text); border-color: var(--border); }
button.danger { background: var(--down); border-color: var(--down); color: #fff; }
.row-actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
.row-actions form { margin: 0; }
input[type=number], input[type=search], input[type=url], select, textarea { width: 100%; padding: 0.5rem 0.6rem;
  font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--border); border-radius: 6px; }
textarea { min-height: 5rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
label.inline { display: inline-flex; align-items: center; gap: 0.4rem; font-weight: normal; margin: 0.3rem 1rem 0.3rem 0; }
fieldset { border: 1px solid var(--border); border-radius: 8px; padding: 0.5rem 1rem 1rem; margin: 1rem 0; }
legend { font-weight: 600; padding: 0 0.3rem; }
.field-error { color: var(--down); font-size: 0.9rem; margin: 0.25rem 0 0; }
.grid-2 { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1rem; }
.duration-slider { grid-column: 1 / -1; margin-top: 0.5rem; }
.duration-slider[hidden] { display: none; }
.duration-slider label { font-weight: normal; font-size: 0.85rem; color: var(--muted); }
.duration-slider input[type=range] { width: 100%; accent-color: var(--accent); }
.counts { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0.5rem 0 0; padding: 0; list-style: none; }
.project-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; }
.project-cards { list-style: none; padding: 0; margin: 0; }
.project-cards .card { margin: 0; }
form.check-form:has(#kind-simple:checked) .only-expression { display: none; }
form.check-form:not(:has(#kind-simple:checked)) .only-simple { display: none; }
.project-cards h2 a { color: var(--text); }
.filters { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: flex-end; margin-bottom: 1rem; }
.filters label { margin: 0 0 0.2rem; font-size: 0.85rem; }
.filters .grow { flex: 1 1 14rem; }
.tag-bar { display: flex; gap: 0.4rem; flex-wrap: wrap; margin: 0 0 1rem; padding: 0; list-style: none; }
.tag { display: inline-block; font-size: 0.8rem; padding: 0.05rem 0.5rem; border-radius: 999px; border: 1px solid var(--border);
  color: var(--text); background: var(--code-bg); text-decoration: none; margin: 0.1rem 0.2rem 0.1rem 0; }
a.tag[aria-current=true] { border-color: var(--accent); font-weight: 600; }
.table-wrap { overflow-x: auto; }
table.checks td, table.checks th { white-space: nowrap; }
table.checks td.name { white-space: normal; min-width: 12rem; }
table.checks .check-name { font-weight: 600; word-break: break-word; }
table.checks tr.held-child td.name { padding-left: 2rem; }
.held-note { color: var(--muted); font-size: 0.85rem; margin: 0.1rem 0 0; }
.related-checks { margin: 0; padding-left: 1.2rem; }
th a { color: inherit; }
table.compact td, table.compact th { padding: 0.2rem 0.5rem; }
table.compact .tags, table.compact .desc { display: none; }
.desc { color: var(--muted); font-size: 0.9rem; margin: 0.1rem 0 0; }
.empty pre { white-space: pre-wrap; word-break: break-all; }
.status-pill { font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; word-break: break-word; }
.ping-url { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin: 0.3rem 0; }
.ping-url code { flex: 1 1 20rem; }
details.examples summary { cursor: pointer; font-weight: 600; margin: 0.5rem 0; }
.preview ol { margin: 0.3rem 0 0; padding-left: 1.5rem; }
.preview .error { margin-top: 0.5rem; }
table.events td { font-size: 0.9rem; }
table.events .body-preview { max-width: 22rem; white-space: pre-wrap; word-break: break-all; color: var(--muted); }
.event-flip td { background: var(--code-bg); }
.pager { display: flex; gap: 1rem; margin-top: 0.75rem; }
pre.body { white-space: pre-wrap; word-break: break-all; max-height: 70vh; overflow: auto; }
svg.chart { width: 100%; height: auto; max-height: 14rem; }
svg.chart .bar { fill: var(--accent); }
svg.chart .bar-fail { fill: var(--down); }
svg.chart .band { fill: var(--accent); opacity: 0.15; }
svg.chart .bar-unusual { fill: var(--grace); }
.unusual-duration { color: var(--grace); }
svg.chart text { fill: var(--muted); font-size: 11px; }
svg.chart line { stroke: var(--border); }
.strip { display: grid; grid-template-columns: repeat(90, 1fr); gap: 1px; height: 1.6rem; margin: 0.5rem 0; }
.strip span { display: block; background: var(--up); border-radius: 1px; }
.strip span.down { background: var(--down); }
.strip span.nodata { background: var(--border); }
.legend { display: flex; gap: 1rem; flex-wrap: wrap; font-size: 0.85rem; color: var(--muted); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.secret { font-size: 1rem; padding: 0.5rem; display: block; }
@media (max-width: 40rem) {
  main { padding: 1rem 0.75rem; }
  .site-header { padding: 0.5rem 0.75rem; }
  .account-email { display: none; }
  .card { padding: 1rem; }
  .grid-2 { grid-template-columns: 1fr; }
  table.checks .col-schedule, table.checks .col-integrations, table.checks .col-tags { display: none; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: 0.4rem; }
  table.events .col-ua, table.events .col-ip { display: none; }
}
`
