/**
 * `vigil user …`: create an account, and the operator's recovery tools that work without mail
 * (spec 5.16): set-password, reset-2fa and login-link. The use cases live in accounts/.
 */
import { readFileSync } from 'node:fs'
import {
  BREACHED_CLI_TEXT,
  createUser,
  DEFAULT_LOGIN_LINK_TTL_MS,
  findUserForOperator,
  issueLoginLink,
  resetTwoFactor,
  setPasswordByOperator,
} from '../accounts/index.js'
import { withInstanceSiteRoot } from './instance-site-root.js'
import { CliError, type Io, parseOptions, requireOption, withContext } from './io.js'

const USAGE = `Usage:
  vigil user create --email EMAIL (--password PASSWORD | --password-stdin) [--superuser]
  vigil user set-password EMAIL (--password PASSWORD | --password-stdin)
                                  Set the password and sign the user out everywhere
  vigil user reset-2fa EMAIL      Remove authenticator app, security keys and recovery codes
  vigil user login-link EMAIL [--ttl 15m]
                                  Print a one-time sign-in URL (2FA is still asked for)`

function passwordFrom(values: { password?: string; 'password-stdin'?: boolean }): string {
  if (values['password-stdin']) return readFileSync(0, 'utf8').replace(/\r?\n$/, '')
  return requireOption(values.password, 'password', USAGE)
}

/** `15m`, `2h`, `900s` or plain minutes → milliseconds (1 minute to 7 days). */
export function parseTtl(raw: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(raw.trim())
  if (!m) throw new CliError(`--ttl: expected e.g. 15m, 2h or 1d, got "${raw}"`, 2)
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, '': 60_000 }[
    m[2] as 's' | 'm' | 'h' | 'd' | ''
  ]
  const ms = Number(m[1]) * unit
  if (ms < 60_000 || ms > 7 * 86_400_000)
    throw new CliError('--ttl: between 1 minute and 7 days', 2)
  return ms
}

function positionalEmail(args: string[]): [string, string[]] {
  const [email, ...rest] = args
  if (!email || email.startsWith('-'))
    throw new CliError(`the user's email address is required\n${USAGE}`, 2)
  return [email, rest]
}

const PASSWORD_OPTIONS = {
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const

export async function userCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  switch (sub) {
    case 'create':
      return createCommand(rest, io)
    case 'set-password': {
      if (rest[0] === '--help' || rest[0] === '-h') return help(io)
      const [email, more] = positionalEmail(rest)
      const { values } = parseOptions(more, PASSWORD_OPTIONS, USAGE)
      const password = passwordFrom(values)
      return withContext(io, async (ctx) => {
        const r = await setPasswordByOperator(ctx, email, password)
        if (!r.ok) {
          const e = r.error
          throw new CliError(
            e.kind === 'unknown-user'
              ? `no user with the email ${email.toLowerCase()}`
              : e.kind === 'password-too-short'
                ? `the password must have at least ${e.min} characters`
                : e.kind === 'password-too-long'
                  ? `the password may have at most ${e.max} characters`
                  : e.kind === 'password-too-common'
                    ? 'the password is on the list of common passwords; choose another'
                    : e.kind === 'password-breached'
                      ? BREACHED_CLI_TEXT
                      : `could not set the password (${e.kind})`,
          )
        }
        io.out(
          `Password set for ${email.toLowerCase()}; ${r.value.signedOut} session(s) signed out.`,
        )
        return 0
      })
    }
    case 'reset-2fa': {
      if (rest[0] === '--help' || rest[0] === '-h') return help(io)
      const [email, more] = positionalEmail(rest)
      parseOptions(more, {}, USAGE)
      return withContext(io, async (ctx) => {
        const r = await resetTwoFactor(ctx, email)
        if (!r.ok) throw new CliError(`no user with the email ${email.toLowerCase()}`)
        const { totp, keys, recoveryCodes } = r.value.removed
        io.out(
          `Two-factor authentication removed for ${email.toLowerCase()}: ${totp} authenticator app(s), ${keys} security key(s), ${recoveryCodes} recovery code(s); ${r.value.signedOut} session(s) signed out.`,
        )
        return 0
      })
    }
    case 'login-link': {
      if (rest[0] === '--help' || rest[0] === '-h') return help(io)
      const [email, more] = positionalEmail(rest)
      const { values } = parseOptions(more, { ttl: { type: 'string' } }, USAGE)
      const ttl = values.ttl ? parseTtl(values.ttl) : DEFAULT_LOGIN_LINK_TTL_MS
      return withContext(io, async (dbCtx) => {
        const ctx = await withInstanceSiteRoot(dbCtx, io)
        const user = await findUserForOperator(ctx, email)
        if (!user.ok) throw new CliError(`no user with the email ${email.toLowerCase()}`)
        io.out(await issueLoginLink(ctx, user.value, ttl))
        return 0
      })
    }
    case '--help':
    case '-h':
      return help(io)
    default:
      throw new CliError(`unknown subcommand "user ${sub ?? ''}"\n${USAGE}`, 2)
  }
}

function help(io: Io): number {
  io.out(USAGE)
  return 0
}

async function createCommand(rest: string[], io: Io): Promise<number> {
  const { values } = parseOptions(
    rest,
    { email: { type: 'string' }, superuser: { type: 'boolean' }, ...PASSWORD_OPTIONS },
    USAGE,
  )
  if (values.help) return help(io)
  const email = requireOption(values.email, 'email', USAGE)
  const password = passwordFrom(values)
  return withContext(io, async (ctx) => {
    const r = await createUser(ctx, { email, password, superuser: values.superuser ?? false })
    if (!r.ok) {
      const messages = {
        'invalid-email': `"${email}" is not a valid email address`,
        'password-too-short': `the password must have at least ${ctx.config.accounts.passwordMinLength} characters`,
        'password-too-long': 'the password may have at most 256 characters',
        'password-too-common': 'the password is on the list of common passwords; choose another',
        'password-breached': BREACHED_CLI_TEXT,
        'email-taken': `a user with the email ${email.toLowerCase()} already exists`,
      }
      throw new CliError(messages[r.error.kind])
    }
    io.out(
      JSON.stringify({
        id: r.value.id,
        email: r.value.email,
        superuser: r.value.is_superuser === 1,
      }),
    )
    return 0
  })
}
