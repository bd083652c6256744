/**
 * `vigil import healthchecks --from <postgres://… | file.sqlite> [--dry-run] [--only-users E,…]
 * [--json]`: copies a Healthchecks database into this instance's (src/import) and prints the
 * report. Exit 0 when the import ran (skipped items are in the report), 1 when it could not.
 */
import { formatImportReport, importHealthchecks, openHcSource } from '../import/index.js'
import {
  CliError,
  databaseCliError,
  type Io,
  parseOptions,
  requireOption,
  withContext,
} from './io.js'

const USAGE =
  'Usage: vigil import healthchecks --from <postgres://… | path/to/hc.sqlite> [--dry-run] [--only-users EMAIL,…] [--json]'

export async function importCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'healthchecks') {
    if (sub === '--help' || sub === '-h') {
      io.out(USAGE)
      return 0
    }
    throw new CliError(`unknown subcommand "import ${sub ?? ''}"\n${USAGE}`, 2)
  }
  const { values } = parseOptions(
    rest,
    {
      from: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'only-users': { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  )
  if (values.help) {
    io.out(
      `${USAGE}\n\nReads the Healthchecks database without changing it; run it again at any time (existing items are kept).`,
    )
    return 0
  }
  const from = requireOption(values.from, 'from', USAGE)
  const onlyUsers = values['only-users']
    ?.split(',')
    .map((e) => e.trim())
    .filter(Boolean)
  const opened = await openHcSource(from)
  if (!opened.ok) {
    const e = opened.error
    throw new CliError(
      e.kind === 'source-not-found'
        ? `--from ${from}: no such file (give a Healthchecks SQLite file or a postgres:// URL)`
        : `--from: cannot read the Healthchecks database: ${e.reason}`,
    )
  }
  const source = opened.value
  try {
    return await withContext(io, async (ctx) => {
      let r: Awaited<ReturnType<typeof importHealthchecks>>
      try {
        r = await importHealthchecks(ctx, source, { dryRun: values['dry-run'] === true, onlyUsers })
      } catch (e) {
        // Nothing of the unit in progress was written (its transaction rolled back).
        throw databaseCliError(e, ctx.config, 'the import stopped')
      }
      if (!r.ok)
        throw new CliError(
          `--from ${from} is not a Healthchecks database (missing tables: ${r.error.missing.join(', ')})`,
        )
      io.out(values.json ? JSON.stringify(r.value, null, 2) : formatImportReport(r.value))
      return 0
    })
  } finally {
    await source.close()
  }
}
