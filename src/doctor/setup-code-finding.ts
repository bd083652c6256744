/**
 * SETUP-001: while the instance has no user, the first-run setup code that a browser not on this
 * machine must type to create the owner account (accounts/setup-code.ts). Shown by `vigil doctor`
 * and in the start-up log, never once an account exists.
 */
import { countUsers, firstRunSetupCode } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import type { Finding } from './findings.js'

export async function setupCodeFinding(ctx: Ctx): Promise<Finding | null> {
  if ((await countUsers(ctx)) > 0) return null
  const code = await firstRunSetupCode(ctx)
  return {
    id: 'SETUP-001',
    severity: 'info',
    message: `No owner account yet: open ${ctx.config.siteRoot} and create it. From another machine the page asks for the setup code ${code}.`,
    hint: 'On the server itself (loopback) no code is needed. `vigil setup-code` prints the code again.',
  }
}
