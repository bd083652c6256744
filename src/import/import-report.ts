/**
 * What an import did: rows created and rows already present, per Vigil table, and every
 * Healthchecks item left out with the reason. Printed by `vigil import healthchecks` as text
 * or JSON; nothing from Healthchecks is dropped without a line here.
 */

export const REPORT_TABLES = [
  'users',
  'user_totp',
  'webauthn_credentials',
  'projects',
  'api_keys',
  'members',
  'channels',
  'checks',
  'check_channels',
  'pings',
  'flips',
] as const

export type ReportTable = (typeof REPORT_TABLES)[number]

export interface SkippedItem {
  /** The Healthchecks table the item comes from, e.g. `api_channel`. */
  table: string
  /** How a person recognises it: an email, a UUID, a name. */
  item: string
  reason: string
}

export interface ImportReport {
  source: 'sqlite' | 'postgres'
  /** `v2` (plain API keys, no check badge keys) or `v3+` (columns of Healthchecks v3 and later). */
  schema: 'v2' | 'v3+'
  dryRun: boolean
  /** Rows written (or, with dryRun, that would be written). */
  created: Record<ReportTable, number>
  /** Items found already imported (same email or UUID) and left as they are. */
  existing: Record<ReportTable, number>
  skipped: SkippedItem[]
  /** Things the operator must know or do, e.g. which SECRET_KEY the API keys and badges need. */
  notes: string[]
}

export function emptyReport(
  source: ImportReport['source'],
  schema: ImportReport['schema'],
  dryRun: boolean,
): ImportReport {
  const zero = () =>
    Object.fromEntries(REPORT_TABLES.map((t) => [t, 0])) as Record<ReportTable, number>
  return { source, schema, dryRun, created: zero(), existing: zero(), skipped: [], notes: [] }
}

/** The report as lines for a terminal. */
export function formatImportReport(r: ImportReport): string {
  const lines = [
    `Healthchecks ${r.schema} database (${r.source})${r.dryRun ? ' — dry run, nothing was written' : ''}`,
    '',
    `${'table'.padEnd(22)}${(r.dryRun ? 'would create' : 'created').padStart(13)}${'already there'.padStart(15)}`,
  ]
  for (const t of REPORT_TABLES) {
    lines.push(
      `${t.padEnd(22)}${String(r.created[t]).padStart(13)}${String(r.existing[t]).padStart(15)}`,
    )
  }
  lines.push('')
  if (r.skipped.length === 0) lines.push('Skipped: nothing.')
  else {
    lines.push(`Skipped (${r.skipped.length}):`)
    for (const s of r.skipped) lines.push(`  ${s.table} ${s.item}: ${s.reason}`)
  }
  if (r.notes.length > 0) {
    lines.push('', 'Notes:')
    for (const n of r.notes) lines.push(`  - ${n}`)
  }
  return lines.join('\n')
}
