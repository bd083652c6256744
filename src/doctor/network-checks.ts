/**
 * The network probes (MAIL-004…009): talk to the SMTP server within an overall deadline, record
 * the outcome for the mail status (MAIL-1) and keep the findings in `system_status`, so the admin
 * page shows the last result and when it was taken without probing on every view.
 */
import type { Ctx } from '../context.js'
import { classifySmtpProblem, type Finding } from './findings.js'
import { probeAndRecordMail } from './mail-status.js'
import { readStatus, writeStatus } from './system-status-store.js'

const KEY = 'doctor.network'
/** The whole probe must finish within this (DOC-1: 10 s overall). */
export const NETWORK_CHECKS_DEADLINE_MS = 10_000

export interface NetworkResult {
  at: number
  findings: Finding[]
}

/** Probes now (nothing when mail is unconfigured), stores and returns the findings. */
export async function runNetworkChecks(
  ctx: Ctx,
  deadlineMs = NETWORK_CHECKS_DEADLINE_MS,
): Promise<Finding[]> {
  const smtp = ctx.config.smtp
  if (!smtp) return []
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${deadlineMs / 1000} s`), deadlineMs)
    timer.unref()
  })
  let problem: string | null
  try {
    // The probe may outlive the deadline; its late outcome must not become an unhandled rejection.
    const probing = probeAndRecordMail(ctx).catch((e: Error) => `probe failed: ${e.message}`)
    problem = await Promise.race([probing, timeout])
  } finally {
    clearTimeout(timer)
  }
  const findings: Finding[] = []
  if (problem) {
    const { id, hint } = classifySmtpProblem(problem)
    findings.push({
      id,
      legacyId: 'vigil.E004',
      severity: 'error',
      message: `The SMTP server ${smtp.host}:${smtp.port} cannot be used: ${problem}`,
      hint: `${hint} \`vigil doctor --send-test-email you@example.com\` proves delivery.`,
    })
  }
  await writeStatus(
    ctx,
    KEY,
    { at: ctx.clock.now(), findings } satisfies NetworkResult,
    ctx.clock.now(),
  )
  return findings
}

/** The last stored probe result, or null if none ran (or mail is unconfigured now). */
export async function lastNetworkResult(ctx: Ctx): Promise<NetworkResult | null> {
  if (!ctx.config.smtp) return null
  return readStatus<NetworkResult>(ctx, KEY)
}
