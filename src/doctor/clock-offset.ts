/**
 * TIME-001: the application's clock against the database's. TOTP codes, sessions and check
 * deadlines compare times written by different machines, so a skew over 30 s is reported.
 */
import { sql } from 'kysely'
import type { Ctx } from '../context.js'
import type { Finding } from './findings.js'

/** Largest tolerated difference, ms. */
export const MAX_CLOCK_OFFSET_MS = 30_000

/** The database server's current time, ms since the epoch. */
export async function databaseNow(ctx: Ctx): Promise<number> {
  const q =
    ctx.db.dialect === 'postgres'
      ? sql<{
          now: string
        }>`select floor(extract(epoch from clock_timestamp()) * 1000)::bigint as now`
      : sql<{
          now: number
        }>`select cast(round((julianday('now') - 2440587.5) * 86400000) as integer) as now`
  const r = await q.execute(ctx.db.kysely)
  return Number(r.rows[0]?.now)
}

export async function clockOffsetFinding(ctx: Ctx, now: number): Promise<Finding | null> {
  const offset = now - (await databaseNow(ctx))
  if (!Number.isFinite(offset) || Math.abs(offset) <= MAX_CLOCK_OFFSET_MS) return null
  const seconds = Math.round(Math.abs(offset) / 1000)
  return {
    id: 'TIME-001',
    severity: 'warning',
    message: `This machine's clock is ${seconds} s ${offset > 0 ? 'ahead of' : 'behind'} the database's: TOTP codes may be rejected.`,
    hint: 'Synchronise both clocks with NTP (e.g. systemd-timesyncd or chrony).',
  }
}
