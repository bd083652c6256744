/**
 * The configuration and health checks behind `vigil doctor`, the start-up log summary and (later)
 * the admin status page: one list, stable ids, a hint for each. Mirrors Healthchecks' system
 * checks (hc/api/apps.py) and adds what its sudo-by-email flow never asked: can mail go at all?
 */
import type { Config } from '../config/index.js'
import type { Ctx } from '../context.js'
import { isDatabaseUp, pendingMigrations } from '../db/index.js'
import { probeSmtp } from './smtp-probe.js'

export type Severity = 'error' | 'warning' | 'ok'

export interface Finding {
  /** Stable id, e.g. `vigil.W001`; documented in the README. */
  id: string
  severity: Severity
  /** What is the matter, in one sentence. */
  message: string
  /** What the admin should do. */
  hint?: string
}

/** How recent a worker heartbeat must be for the worker to count as running. */
export const WORKER_HEARTBEAT_MAX_AGE_MS = 60_000

/** Findings that need only the configuration (fast; used in the start-up log). */
export function configFindings(config: Config): Finding[] {
  const out: Finding[] = []
  if (config.secretKeyIsDefault) {
    out.push({
      id: 'vigil.W001',
      severity: 'warning',
      message:
        'SECRET_KEY is not set: sessions, CSRF tokens and signed links use a public default key.',
      hint: 'Set SECRET_KEY to a long random value, e.g. the output of `openssl rand -base64 48`.',
    })
  }
  if (config.smtp === null) {
    out.push({
      id: 'vigil.W002',
      severity: 'warning',
      message:
        'Email is not configured (EMAIL_HOST is empty): email alerts stay in the outbox as not-sent.',
      hint: 'Set EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and DEFAULT_FROM_EMAIL.',
    })
  } else if (config.defaultFromEmail.endsWith('@example.org')) {
    out.push({
      id: 'vigil.W003',
      severity: 'warning',
      message: `DEFAULT_FROM_EMAIL is ${config.defaultFromEmail}: most mail servers reject or junk such mail.`,
      hint: 'Set DEFAULT_FROM_EMAIL to an address of a domain your SMTP server may send for.',
    })
  }
  const root = new URL(config.siteRoot)
  if (root.hostname === 'localhost' || root.hostname === '127.0.0.1') {
    out.push({
      id: 'vigil.W004',
      severity: 'warning',
      message: `SITE_ROOT is ${config.siteRoot}: links in alerts and ping URLs shown to users point to this machine only.`,
      hint: 'Set SITE_ROOT to the address people and jobs use to reach Vigil, e.g. https://vigil.example.com.',
    })
  }
  return out
}

export interface DoctorOptions {
  /** Try to reach the SMTP server (default true for the CLI). */
  network: boolean
}

/** Every finding: configuration, database, migrations, SMTP reachability, worker heartbeat. */
export async function runDoctor(ctx: Ctx, options: DoctorOptions): Promise<Finding[]> {
  const out = configFindings(ctx.config)
  if (!(await isDatabaseUp(ctx.db))) {
    out.push({
      id: 'vigil.E001',
      severity: 'error',
      message: `The database does not answer (${ctx.db.dialect}).`,
      hint:
        ctx.db.dialect === 'postgres'
          ? 'Check DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD or DATABASE_URL and that PostgreSQL runs.'
          : 'Check that DB_NAME points to a writable file.',
    })
    return out
  }
  const pending = await pendingMigrations(ctx.db)
  if (pending.length > 0) {
    out.push({
      id: 'vigil.E002',
      severity: 'error',
      message: `${pending.length} database migration(s) pending: ${pending.join(', ')}.`,
      hint: 'Run `vigil migrate` (or start `vigil serve`, which migrates on start).',
    })
  } else {
    const now = ctx.clock.now()
    const beat = await ctx.db.kysely
      .selectFrom('worker_heartbeats')
      .select((eb) => eb.fn.max('last_seen').as('last'))
      .executeTakeFirst()
    const last = beat?.last === null || beat?.last === undefined ? null : Number(beat.last)
    if (last === null || now - last > WORKER_HEARTBEAT_MAX_AGE_MS) {
      out.push({
        id: 'vigil.E003',
        severity: 'error',
        message:
          last === null
            ? 'No worker has ever run: checks will not go down and no alert will be sent.'
            : `No worker heartbeat since ${new Date(last).toISOString()}: checks will not go down and no alert will be sent.`,
        hint: 'Run `vigil serve` (web and worker in one process) or `vigil serve --role worker` next to the web processes.',
      })
    }
  }
  if (ctx.config.smtp && options.network) {
    const problem = await probeSmtp(ctx.config)
    if (problem) {
      out.push({
        id: 'vigil.E004',
        severity: 'error',
        message: `The SMTP server ${ctx.config.smtp.host}:${ctx.config.smtp.port} cannot be used: ${problem}`,
        hint: 'Check EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS/EMAIL_USE_SSL and the credentials; `vigil doctor --send-test-email you@example.com` proves delivery.',
      })
    }
  }
  return out
}

export function formatFinding(f: Finding): string {
  const label = f.severity === 'error' ? 'ERROR' : f.severity === 'warning' ? 'WARN ' : 'OK   '
  return `${label} ${f.id} ${f.message}${f.hint ? ` Fix: ${f.hint}` : ''}`
}
