/**
 * The rules of the status pages (public page and management), appended to the one stylesheet by
 * stylesheet.ts. Colours come from its light/dark variables, so the strip and the banner follow
 * the theme; at phone width (375 px) the strip keeps all 90 days, only thinner.
 */
export const STATUS_PAGE_STYLES = `
.status-page { max-width: 48rem; margin: 0 auto; }
.status-description { color: var(--muted); margin-top: -0.5rem; }
.status-banner { border: 1px solid var(--border); border-left: 6px solid var(--up); border-radius: 8px;
  padding: 0.75rem 1rem; margin: 0 0 1.5rem; background: var(--surface); }
.status-banner.banner-degraded { border-left-color: var(--grace); }
.status-banner.banner-outage { border-left-color: var(--down); }
.status-banner.banner-empty { border-left-color: var(--border); }
.status-checks { list-style: none; margin: 0; padding: 0; }
.status-checks li { padding: 0.75rem 0; border-bottom: 1px solid var(--border); }
.status-checks li:last-child { border-bottom: 0; }
.status-check-head { display: flex; justify-content: space-between; gap: 1rem; flex-wrap: wrap; }
.status-check-name { font-weight: 600; overflow-wrap: anywhere; }
svg.uptime-strip { display: block; width: 100%; height: 1.6rem; margin: 0.4rem 0 0.2rem; }
.day-up { fill: var(--up); background: var(--up); }
.day-down { fill: var(--down); background: var(--down); }
.strip-defs { position: absolute; width: 0; height: 0; overflow: hidden; }
.strip-gap { fill: var(--surface); }
.day-nodata { fill: var(--border); background: var(--border); }
.strip-scale { display: flex; justify-content: space-between; font-size: 0.8rem; color: var(--muted); }
.legend .swatch { display: inline-block; width: 0.7rem; height: 0.7rem; border-radius: 2px; vertical-align: -0.05rem; }
.note h3 { font-size: 1rem; margin: 0.5rem 0; }
.note-updates { margin: 0 0 1rem; padding-left: 1.25rem; }
.note-updates p { margin: 0.2rem 0 0.6rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.note-state { font-size: 0.85rem; font-weight: 600; color: var(--grace); }
.note-state.note-resolved { color: var(--up); }
.status-footer { font-size: 0.9rem; }
.note-actions { border-left: 2px solid var(--border); padding-left: 1rem; margin-bottom: 1.5rem; }
@media (max-width: 30rem) {
  .status-page table th, .status-page table td { padding: 0.4rem 0.3rem; font-size: 0.9rem; }
}
`
