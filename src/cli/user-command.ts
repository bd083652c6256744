/** `vigil user create`: creates an account (the first one usually with --superuser). */
import { createUser } from '../accounts/create-user.js'
import { CliError, type Io, parseOptions, requireOption, withContext } from './io.js'

const USAGE = 'Usage: vigil user create --email EMAIL --password PASSWORD [--superuser]'

export async function userCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'create') {
    if (sub === '--help' || sub === '-h') {
      io.out(USAGE)
      return 0
    }
    throw new CliError(`unknown subcommand "user ${sub ?? ''}"\n${USAGE}`, 2)
  }
  const { values } = parseOptions(
    rest,
    { email: { type: 'string' }, password: { type: 'string' }, superuser: { type: 'boolean' } },
    USAGE,
  )
  if (values.help) {
    io.out(USAGE)
    return 0
  }
  const email = requireOption(values.email, 'email', USAGE)
  const password = requireOption(values.password, 'password', USAGE)
  return withContext(io, async (ctx) => {
    const r = await createUser(ctx, { email, password, superuser: values.superuser ?? false })
    if (!r.ok) {
      const messages = {
        'invalid-email': `"${email}" is not a valid email address`,
        'password-too-short': 'the password must have at least 8 characters',
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
