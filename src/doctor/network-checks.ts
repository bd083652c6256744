/**
 * The network probes (MAIL-004…009, SMS-002): talk to the SMTP server and ask Twilio whether it
 * accepts the credentials, within an overall deadline, record the outcome for the mail status
 * (MAIL-1) and the sms capability, and keep the findings in `system_status`, so the admin page
 * shows the last result and when it was taken without probing on every view.
 */
import { canSendSms } from '../config/index.js'
import type { Ctx } from '../context.js'
import { readStatus, writeStatus } from '../db/index.js'
import { probeAndRecordMail } from '../mail/index.js'
import { classifySmtpProblem, type Finding } from './findings.js'
import { probeTwilio } from './twilio-probe.js'

const KEY = 'doctor.network'
/** The whole probe must finish within this (DOC-1: 10 s overall). */
export const NETWORK_CHECKS_DEADLINE_MS = 10_000

export interface NetworkResult {
  at: number
  findings: Finding[]
}

/** Probes now (nothing when neither mail nor Twilio is configured), stores and returns the findings. */
export async function runNetworkChecks(
  ctx: Ctx,
  deadlineMs = NETWORK_CHECKS_DEADLINE_MS,
): Promise<Finding[]> {
  if (!ctx.config.smtp && !canSendSms(ctx.config)) return []
  const [mail, sms] = await Promise.all([
    mailFindings(ctx, deadlineMs),
    probeTwilio(ctx, deadlineMs).catch((e: Error): Finding[] => {
      ctx.log.error({ err: e }, 'twilio probe failed')
      return []
    }),
  ])
  const findings = [...mail, ...sms]
  await writeStatus(
    ctx,
    KEY,
    { at: ctx.clock.now(), findings } satisfies NetworkResult,
    ctx.clock.now(),
  )
  return findings
}

async function mailFindings(ctx: Ctx, deadlineMs: number): Promise<Finding[]> {
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
  return findings
}

/** The last stored probe result, or null if none ran (or neither mail nor Twilio is configured now). */
export async function lastNetworkResult(ctx: Ctx): Promise<NetworkResult | null> {
  if (!ctx.config.smtp && !canSendSms(ctx.config)) return null
  return readStatus<NetworkResult>(ctx, KEY)
}
