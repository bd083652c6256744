/**
 * The state of outgoing mail (spec MAIL-1), the one answer every flow and the doctor ask:
 * `unconfigured` (no EMAIL_HOST), `unknown` (configured, nothing tried yet), `healthy` (the last
 * probe or send worked) or `degraded` (the last probe failed, or the last 3 sends failed: the
 * circuit is open until a probe or send succeeds). Derived from the outbox's recent attempts, the
 * recent interactive sends and the probe result in `system_status`; Healthchecks has no such state.
 * Only sends to verified addresses count, never one to an address someone merely typed (an
 * anonymous sign-up could otherwise degrade mail at will: issue #11 F1).
 */
import type { Ctx } from '../context.js'
import { probeSmtp } from './smtp-probe.js'

export type MailStatus = 'unconfigured' | 'unknown' | 'healthy' | 'degraded'

/** Sends in a row that must fail to open the circuit (MAIL-010). */
export const FAILED_SENDS_TO_DEGRADE = 3
const PROBE_KEY = 'mail.probe'
/** The last few interactive send outcomes (MAIL-3: they update MAIL-1 like outbox sends). */
const INTERACTIVE_KEY = 'mail.interactive'

export interface MailFacts {
  configured: boolean
  /** The last SMTP probe, if any. */
  probe: { ok: boolean; at: number } | null
  /** Recently attempted outbox and interactive mails, newest first: sent or failed, with when. */
  recent: { ok: boolean; at: number }[]
}

/** Pure: the state from the facts. Whatever happened last wins; 3 failures in a row degrade. */
export function deriveMailStatus(f: MailFacts): MailStatus {
  if (!f.configured) return 'unconfigured'
  const lastSend = f.recent[0] ?? null
  const failedRun = f.recent.findIndex((r) => r.ok)
  const consecutiveFailures = failedRun === -1 ? f.recent.length : failedRun
  if (consecutiveFailures >= FAILED_SENDS_TO_DEGRADE) {
    // The circuit closes again only when a probe succeeds after the failures.
    return f.probe?.ok && f.probe.at >= (lastSend?.at ?? 0) ? 'healthy' : 'degraded'
  }
  const latest = [f.probe, lastSend]
    .filter((e): e is { ok: boolean; at: number } => e !== null)
    .sort((a, b) => b.at - a.at)[0]
  if (!latest) return 'unknown'
  return latest.ok ? 'healthy' : 'degraded'
}

/** Reads the facts and answers (MAIL-1's `mail.status()`). */
export async function mailStatus(ctx: Ctx): Promise<MailStatus> {
  if (!ctx.config.smtp) return 'unconfigured'
  const k = ctx.db.kysely
  const [probeRow, interactiveRow, rows] = await Promise.all([
    k.selectFrom('system_status').select('value').where('key', '=', PROBE_KEY).executeTakeFirst(),
    k
      .selectFrom('system_status')
      .select('value')
      .where('key', '=', INTERACTIVE_KEY)
      .executeTakeFirst(),
    k
      .selectFrom('mail_outbox')
      .select(['status', 'sent_at', 'next_attempt_at', 'created'])
      .where('attempts', '>', 0)
      // Only mail to proven addresses speaks for the server (issue #11 F1): a refused recipient
      // someone typed in must not open the circuit.
      .where('unverified_recipient', '=', 0)
      .where('status', 'in', ['sent', 'failed', 'pending'])
      .orderBy('id', 'desc')
      .limit(FAILED_SENDS_TO_DEGRADE)
      .execute(),
  ])
  let probe: MailFacts['probe'] = null
  if (probeRow) {
    try {
      const v = JSON.parse(probeRow.value) as { ok: boolean; at: number }
      probe = { ok: v.ok === true, at: Number(v.at) }
    } catch {
      probe = null
    }
  }
  // A pending row with attempts has failed at least once and waits for a retry.
  const outbox = rows.map((r) => ({
    ok: r.status === 'sent',
    at: r.status === 'sent' ? Number(r.sent_at ?? r.created) : Number(r.created),
  }))
  // Merged newest first; on a tie the interactive outcome counts as the newer (it was just made).
  const recent = [...parseOutcomes(interactiveRow?.value), ...outbox]
    .sort((a, b) => b.at - a.at)
    .slice(0, FAILED_SENDS_TO_DEGRADE)
  return deriveMailStatus({ configured: true, probe, recent })
}

function parseOutcomes(value: string | undefined): { ok: boolean; at: number }[] {
  if (!value) return []
  try {
    const list = JSON.parse(value) as unknown
    if (!Array.isArray(list)) return []
    return list
      .map((v: { ok?: unknown; at?: unknown }) => ({ ok: v?.ok === true, at: Number(v?.at) }))
      .filter((v) => Number.isFinite(v.at))
  } catch {
    return []
  }
}

/**
 * Stores an interactive send outcome (MAIL-3 → MAIL-1): a success marks mail healthy, a failure
 * counts towards the 3-in-a-row rule exactly as a failed outbox send does. The outbox keeps its
 * outcomes on its rows; interactive mails have no row (their links must not sit in a table), so
 * the newest few outcomes are kept as a short list in `system_status`.
 */
export async function recordInteractiveSend(ctx: Ctx, ok: boolean, now: number): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('system_status')
      .select('value')
      .where('key', '=', INTERACTIVE_KEY)
      .executeTakeFirst()
    const list = [{ ok, at: now }, ...parseOutcomes(row?.value)].slice(0, FAILED_SENDS_TO_DEGRADE)
    const value = JSON.stringify(list)
    await tx
      .insertInto('system_status')
      .values({ key: INTERACTIVE_KEY, value, updated: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated: now }))
      .execute()
  })
}

/** Stores a probe outcome (doctor --network, the start-up probe, the admin page's re-run). */
export async function recordMailProbe(ctx: Ctx, ok: boolean, now: number): Promise<void> {
  const value = JSON.stringify({ ok, at: now })
  await ctx.db.kysely
    .insertInto('system_status')
    .values({ key: PROBE_KEY, value, updated: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated: now }))
    .execute()
}

/** Probes the SMTP server now and records the outcome; returns the problem or null. */
export async function probeAndRecordMail(ctx: Ctx): Promise<string | null> {
  if (!ctx.config.smtp) return 'email is not configured'
  const problem = await probeSmtp(ctx.config)
  await recordMailProbe(ctx, problem === null, ctx.clock.now())
  return problem
}

/** True when interactive mail should be tried (MAIL-6: not when unconfigured). */
export function mailCanBeTried(status: MailStatus): boolean {
  return status !== 'unconfigured'
}

/** True when a flow may promise mail (RA-4 email_code, LG-2): healthy or not yet known. */
export function mailLooksUsable(status: MailStatus): boolean {
  return status === 'healthy' || status === 'unknown'
}
