/**
 * The import feature as other code sees it: `vigil import healthchecks` reads a Healthchecks
 * database (SQLite file or PostgreSQL URL, read-only) and copies it into Vigil's database.
 */
export { type HcSource, isPostgresUrl, type OpenSourceError, openHcSource } from './hc-source.js'
export { type ImportError, type ImportOptions, importHealthchecks } from './import-healthchecks.js'
export { formatImportReport, type ImportReport } from './import-report.js'
