/**
 * `vigil setup-code`: prints the first-run setup code that a browser not on the server must type
 * to create the owner account (accounts/setup-code.ts). Exit 1 once an account exists (the first-run
 * page is closed then, and so is the code's use).
 */
import { countUsers, firstRunSetupCode } from '../accounts/index.js'
import { type Io, parseOptions, withContext } from './io.js'

const USAGE = 'Usage: vigil setup-code'

export async function setupCodeCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, {}, USAGE)
  if (values.help) {
    io.out(
      `${USAGE}\n\nPrints the code the first-run page asks for when it is opened from another machine\n(needed until the owner account exists; on the server itself no code is asked).`,
    )
    return 0
  }
  return withContext(io, async (ctx) => {
    if ((await countUsers(ctx)) > 0) {
      io.err('vigil: this instance is already set up (an account exists); no setup code is needed.')
      return 1
    }
    io.out(await firstRunSetupCode(ctx))
    return 0
  })
}
