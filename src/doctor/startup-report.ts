/**
 * DOC-1 at start: one structured log line per finding (`{check, severity, message, hint}`), a
 * summary, and the refusal text when a finding is fatal (the process then exits 78, EX_CONFIG).
 * Healthchecks runs its system checks at start too but only logs them; fatal ones stop us here.
 */
import type { Logger } from 'pino'
import { type Finding, formatFinding, specSeverity } from './findings.js'

/** Logs one finding as the spec's structured line, at the matching level. */
export function logFinding(log: Logger, f: Finding): void {
  const line = { check: f.id, severity: specSeverity(f.severity), message: f.message, hint: f.hint }
  const text = `${f.id}: ${f.message}`
  if (f.severity === 'fatal') log.fatal(line, text)
  else if (f.severity === 'error') log.error(line, text)
  else if (f.severity === 'warning') log.warn(line, text)
  else log.info(line, text)
}

/** Logs every non-OK finding, then a summary line (of `summarise` too); returns the fatal ones. */
export function reportStartupFindings(
  log: Logger,
  findings: Finding[],
  alreadyLogged: Finding[] = [],
): Finding[] {
  for (const f of findings) if (f.severity !== 'ok') logFinding(log, f)
  const shown = [...alreadyLogged, ...findings].filter((f) => f.severity !== 'ok')
  const count = (s: Finding['severity']) => shown.filter((f) => f.severity === s).length
  const counts = {
    fatal: count('fatal'),
    error: count('error'),
    warn: count('warning'),
    info: count('info'),
  }
  log.info(
    { doctor: counts },
    shown.length === 0
      ? 'configuration check: no problems found'
      : `configuration check: ${counts.fatal} fatal, ${counts.error} error(s), ${counts.warn} warning(s); run \`vigil doctor\` for details`,
  )
  return shown.filter((f) => f.severity === 'fatal')
}

/** What the operator reads on stderr when the start is refused. */
export function refusalText(fatal: Finding[]): string {
  return [
    `vigil: refusing to start: ${fatal.length} fatal configuration problem(s):`,
    ...fatal.map((f) => `  ${formatFinding(f)}`),
  ].join('\n')
}
