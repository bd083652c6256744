/**
 * Pure: the phone number a user gives for texted codes (spec OOB-4, ASVS 6.6.1 "validated
 * number"). E.164 only: `+`, a country code that does not start with 0, 8 to 15 digits in all;
 * spaces, dots, dashes and brackets people type are dropped first. Shown masked as `•••• 1234`.
 */
import { err, ok, type Result } from '../../../result.js'

export const PHONE_INVALID_TEXT =
  'Enter the number in international format: + and the country code, then the number, e.g. +14155550123.'

/** The number in E.164 (`+14155550123`), or why not. */
export function parsePhoneNumber(input: string): Result<string, { kind: 'invalid-phone' }> {
  const compact = input.trim().replace(/[\s.()-]/g, '')
  if (!/^\+[1-9]\d{7,14}$/.test(compact)) return err({ kind: 'invalid-phone' })
  return ok(compact)
}

/** `•••• 1234`: enough for the owner to recognise the phone, not to harvest the number. */
export function maskPhoneNumber(e164: string): string {
  return `•••• ${e164.slice(-4)}`
}
