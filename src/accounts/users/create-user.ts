/**
 * Use case: create a user account with an email and (optionally) a password.
 * Used by the first-run page and `vigil user create`. Emails are stored lowercased.
 */
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { checkNewPassword } from '../passwords/breached-passwords.js'
import { hashPassword, type PasswordProblem } from '../passwords/passwords.js'

export interface CreateUserInput {
  email: string
  password: string | null
  superuser?: boolean
}

export type CreateUserError = { kind: 'invalid-email' } | PasswordProblem | { kind: 'email-taken' }

/** No spaces and no NUL (PostgreSQL text cannot store it). */
const EMAIL_RE = /^[^@\s\0]+@[^@\s\0]+\.[^@\s\0]+$|^[^@\s\0]+@localhost$/

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** True when `email` (normalised) is an address an account may have. */
export function isEmailAddress(email: string): boolean {
  return EMAIL_RE.test(email) && email.length <= 254
}

export async function createUser(
  ctx: Ctx,
  input: CreateUserInput,
): Promise<Result<User, CreateUserError>> {
  const email = normalizeEmail(input.email)
  if (!isEmailAddress(email)) return err({ kind: 'invalid-email' })
  if (input.password !== null) {
    // LG-1: PASSWORD_MIN_LENGTH to 256 characters, not common, not breached (when checked).
    const problem = await checkNewPassword(ctx, input.password)
    if (problem) return err(problem)
  }
  const existing = await ctx.db.kysely
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst()
  if (existing) return err({ kind: 'email-taken' })
  const passwordHash =
    input.password === null
      ? null
      : await hashPassword(input.password, ctx.config.accounts.passwordHashCost)
  try {
    const user = await ctx.db.kysely
      .insertInto('users')
      .values({
        email,
        password_hash: passwordHash,
        is_superuser: input.superuser ? 1 : 0,
        created: ctx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return ok(user)
  } catch (e) {
    // A concurrent create of the same address lost the race on the unique index.
    if (/unique/i.test((e as Error).message)) return err({ kind: 'email-taken' })
    throw e
  }
}

export async function findUserByEmail(ctx: Ctx, email: string): Promise<User | undefined> {
  // No stored address holds NUL (PostgreSQL text cannot; EMAIL_RE refuses it), and PostgreSQL
  // fails a query that compares with one: such an address is simply nobody's.
  if (email.includes('\u0000')) return undefined
  return ctx.db.kysely
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst()
}

export async function countUsers(ctx: Ctx): Promise<number> {
  const row = await ctx.db.kysely
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
