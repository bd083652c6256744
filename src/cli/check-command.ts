/** `vigil check create`: creates a check for scripts and prints it as the API v3 JSON. */

import { channelRefMessage, checkJson, createCheck } from '../checks/index.js'
import { withInstanceSiteRoot } from './instance-site-root.js'
import { CliError, type Io, parseOptions, requireOption, withContext } from './io.js'

const USAGE = `Usage: vigil check create --project UUID --name NAME [--slug SLUG] [--tags "a b"] [--desc TEXT]
         [--timeout SECONDS] [--grace SECONDS] | [--schedule "CRON" --tz ZONE] [--channels "*"|""|id,…]`

function seconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value))
    throw new CliError(
      `--${name} must be a whole number of seconds from 60 to 31536000, got "${value}"`,
      2,
    )
  return Number(value)
}

export async function checkCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'create') {
    if (sub === '--help' || sub === '-h') {
      io.out(USAGE)
      return 0
    }
    throw new CliError(`unknown subcommand "check ${sub ?? ''}"\n${USAGE}`, 2)
  }
  const { values } = parseOptions(
    rest,
    {
      project: { type: 'string' },
      name: { type: 'string' },
      slug: { type: 'string' },
      tags: { type: 'string' },
      desc: { type: 'string' },
      timeout: { type: 'string' },
      grace: { type: 'string' },
      schedule: { type: 'string' },
      tz: { type: 'string' },
      channels: { type: 'string' },
    },
    USAGE,
  )
  if (values.help) {
    io.out(
      `${USAGE}\n\nTimeout and grace are 60..31536000 seconds (defaults 86400 and 3600). --channels "*" assigns every integration of the project.`,
    )
    return 0
  }
  const projectCode = requireOption(values.project, 'project', USAGE)
  const name = requireOption(values.name, 'name', USAGE)
  return withContext(io, async (dbCtx) => {
    // The ping URL printed is the running server's (SITE_ROOT/PORT of its shell if not of ours).
    const ctx = await withInstanceSiteRoot(dbCtx, io)
    const r = await createCheck(ctx, {
      projectCode,
      name,
      slug: values.slug,
      tags: values.tags,
      desc: values.desc,
      timeout: seconds(values.timeout, 'timeout'),
      grace: seconds(values.grace, 'grace'),
      schedule: values.schedule,
      tz: values.tz,
      channels: values.channels,
    })
    if (!r.ok) {
      const e = r.error
      switch (e.kind) {
        case 'project-not-found':
          throw new CliError(`no project with the uuid ${projectCode}`)
        case 'invalid-field':
          throw new CliError(`--${e.field} ${e.problem}`)
        case 'check-limit':
          throw new CliError("the project owner's check limit is reached")
        default:
          throw new CliError(channelRefMessage(e))
      }
    }
    const json = checkJson(r.value.check, {
      config: ctx.config,
      version: 3,
      readonly: false,
      channelCodes: r.value.channelCodes,
      now: ctx.clock.now(),
    })
    io.out(JSON.stringify(json, null, 2))
    return 0
  })
}
