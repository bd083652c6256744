/**
 * The site root of the running server, recorded in `system_status` when `vigil serve` listens, so
 * that commands printing URLs (check create, user login-link) from a shell without the server's
 * SITE_ROOT/PORT print the server's URLs, not `http://localhost:8000` (issue 13). The rule that
 * decides which one wins is config's envWithRecordedSiteRoot.
 */
import { envWithRecordedSiteRoot, loadConfigWithStoredKey } from '../config/index.js'
import type { Ctx } from '../context.js'
import { readStatus, writeStatus } from '../db/index.js'
import type { Io } from './io.js'

const KEY = 'instance.site_root'

/** At `serve` (web roles): records the site root this server builds its URLs with. */
export async function recordSiteRoot(ctx: Ctx): Promise<void> {
  await writeStatus(ctx, KEY, { siteRoot: ctx.config.siteRoot }, ctx.clock.now())
}

/** The context with the recorded site root applied when the command's environment names none. */
export async function withInstanceSiteRoot(ctx: Ctx, io: Io): Promise<Ctx> {
  const recorded = await readStatus<{ siteRoot: string }>(ctx, KEY).catch(() => null)
  const env = envWithRecordedSiteRoot(io.env, recorded?.siteRoot ?? null)
  if (env === io.env) return ctx
  const { config } = loadConfigWithStoredKey(env)
  return { ...ctx, config: Object.freeze({ ...config, db: ctx.config.db }) }
}
