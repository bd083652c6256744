/**
 * The one stylesheet of the web pages, hand-written, light and dark through `prefers-color-scheme`
 * variables (or the `data-theme` the theme switch sets), plus the monitoring pages' rules. It is a TypeScript string (not a .css file) so the compiled build carries it without
 * a copy step; its URL holds a content hash, so browsers may cache it forever.
 */
import { createHash } from 'node:crypto'
import { MONITORING_STYLES } from './monitoring-stylesheet.js'
import { STATUS_PAGE_STYLES } from './status-pages/styles.js'

/** Dark colours: used by the system preference and by an explicit dark theme (the theme switch). */
const DARK_VARIABLES = `
  --bg: #14171c; --surface: #1c2027; --text: #e4e8ee; --muted: #9aa4b2; --border: #2f3540;
  --accent: #6d9bff; --accent-text: #0d1117;
  --up: #4cc46a; --grace: #e0a23a; --down: #ff6b6b; --new: #9aa4b2; --paused: #9aa4b2; --started: #6d9bff;
  --code-bg: #262b34;
`

export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --surface: #fff; --text: #1d2430; --muted: #5b6573; --border: #d9dee5;
  --accent: #2357c6; --accent-text: #fff;
  --up: #1a7f37; --grace: #a15c00; --down: #c62828; --new: #5b6573; --paused: #5b6573; --started: #2357c6;
  --code-bg: #eef1f5;
}
@media (prefers-color-scheme: dark) {
  :root:not([data-theme=light]) {${DARK_VARIABLES}}
}
:root[data-theme=dark] { color-scheme: dark;${DARK_VARIABLES}}
:root[data-theme=light] { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--accent); }
code, pre { font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 3px; word-break: break-all; }
pre { background: var(--code-bg); padding: 0.75rem 1rem; border-radius: 6px; overflow-x: auto; }
pre code { background: none; padding: 0; }
.site-header { display: flex; align-items: center; justify-content: space-between; gap: 1rem;
  padding: 0.6rem 1.5rem; background: var(--surface); border-bottom: 1px solid var(--border); }
.brand { font-weight: 700; color: var(--text); text-decoration: none; }
.site-header nav { display: flex; align-items: center; gap: 0.75rem; color: var(--muted); }
.site-header form { margin: 0; }
main { max-width: 64rem; margin: 0 auto; padding: 1.5rem; }
main.narrow { max-width: 26rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: 8px;
  padding: 1.25rem 1.5rem; margin-bottom: 1.5rem; }
.muted { color: var(--muted); }
label { display: block; font-weight: 600; margin: 0.9rem 0 0.3rem; }
input[type=email], input[type=password], input[type=text] { width: 100%; padding: 0.5rem 0.6rem;
  font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--border); border-radius: 6px; }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.hint { font-size: 0.85rem; color: var(--muted); margin: 0.25rem 0 0; }
button { font: inherit; cursor: pointer; border-radius: 6px; padding: 0.45rem 1rem;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-text); }
button.secondary { background: transparent; color: var(--text); border-color: var(--border); padding: 0.25rem 0.75rem; }
form .actions { margin-top: 1.25rem; }
.notice { border: 1px solid var(--border); border-left: 4px solid var(--accent); border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0 0 1rem; }
.error { color: var(--down); border: 1px solid var(--down); border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0 0 1rem; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 0.5rem 0.6rem; border-bottom: 1px solid var(--border); vertical-align: top; }
th { font-size: 0.85rem; color: var(--muted); font-weight: 600; }
td small { display: block; color: var(--muted); }
.status { white-space: nowrap; font-weight: 600; }
.status-icon { display: inline-block; width: 1.2em; text-align: center; }
.status-up { color: var(--up); } .status-grace { color: var(--grace); } .status-down { color: var(--down); }
.status-new { color: var(--new); } .status-paused { color: var(--paused); } .status-started { color: var(--started); }
${MONITORING_STYLES}${STATUS_PAGE_STYLES}`

/** Where pages link the stylesheet: the content hash changes the URL whenever the CSS changes. */
export const STYLESHEET_PATH = `/static/vigil.${createHash('sha256').update(STYLESHEET).digest('hex').slice(0, 12)}.css`

/** A small SVG icon, so browsers do not ask for a missing /favicon.ico. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#1a7f37"/>' +
  '<path d="M4.5 8.5l2.3 2.3 4.7-5" fill="none" stroke="#fff" stroke-width="1.8"/></svg>'
