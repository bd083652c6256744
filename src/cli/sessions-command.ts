/**
 * `vigil sessions revoke (EMAIL | --all)`: signs one user, or everyone, out of the web UI
 * (spec SE-7, 5.16). API keys are not sessions and keep working.
 */
import {
  findUserForOperator,
  OPERATOR_META,
  revokeAllSessions,
  revokeUserSessions,
} from '../accounts/index.js'
import { CliError, type Io, parseOptions, withContext } from './io.js'

const USAGE = 'Usage: vigil sessions revoke (EMAIL | --all)'

export async function sessionsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub === '--help' || sub === '-h') {
    io.out(USAGE)
    return 0
  }
  if (sub !== 'revoke')
    throw new CliError(`unknown subcommand "sessions ${sub ?? ''}"\n${USAGE}`, 2)
  const email = rest[0] && !rest[0].startsWith('-') ? rest[0] : null
  const { values } = parseOptions(email ? rest.slice(1) : rest, { all: { type: 'boolean' } }, USAGE)
  if (values.help) {
    io.out(USAGE)
    return 0
  }
  if ((email === null) === !values.all)
    throw new CliError(`give either an email address or --all\n${USAGE}`, 2)
  return withContext(io, async (ctx) => {
    if (email === null) {
      io.out(`${await revokeAllSessions(ctx, OPERATOR_META)} session(s) signed out.`)
      return 0
    }
    const user = await findUserForOperator(ctx, email)
    if (!user.ok) throw new CliError(`no user with the email ${email.toLowerCase()}`)
    const n = await revokeUserSessions(ctx, {
      user: user.value,
      keepId: null,
      actorUserId: null,
      meta: OPERATOR_META,
    })
    io.out(`${n} session(s) of ${user.value.email} signed out.`)
    return 0
  })
}
