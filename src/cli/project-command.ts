/** `vigil project create`: creates a project and prints its keys once, as JSON. */
import { createProject } from '../projects/index.js'
import { CliError, type Io, parseOptions, requireOption, withContext } from './io.js'

const USAGE =
  'Usage: vigil project create --owner EMAIL --name NAME [--api-key KEY] [--api-key-readonly KEY] [--ping-key KEY]'

export async function projectCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'create') {
    if (sub === '--help' || sub === '-h') {
      io.out(USAGE)
      return 0
    }
    throw new CliError(`unknown subcommand "project ${sub ?? ''}"\n${USAGE}`, 2)
  }
  const { values } = parseOptions(
    rest,
    {
      owner: { type: 'string' },
      name: { type: 'string' },
      'api-key': { type: 'string' },
      'api-key-readonly': { type: 'string' },
      'ping-key': { type: 'string' },
    },
    USAGE,
  )
  if (values.help) {
    io.out(
      `${USAGE}\n\nKeys are random unless given; API keys must be 32 characters. They are stored hashed and printed only now.`,
    )
    return 0
  }
  const owner = requireOption(values.owner, 'owner', USAGE)
  const name = requireOption(values.name, 'name', USAGE)
  return withContext(io, async (ctx) => {
    const r = await createProject(ctx, {
      ownerEmail: owner,
      name,
      apiKey: values['api-key'],
      apiKeyReadonly: values['api-key-readonly'],
      pingKey: values['ping-key'],
    })
    if (!r.ok) {
      const e = r.error
      switch (e.kind) {
        case 'owner-not-found':
          throw new CliError(
            `no user with the email ${e.email}; create one with \`vigil user create\``,
          )
        case 'invalid-name':
          throw new CliError('--name must be 1 to 200 characters')
        case 'invalid-key':
          throw new CliError(`--${e.field} ${e.problem}`)
        case 'key-taken':
          throw new CliError(`--${e.field} is already used by another project`)
      }
    }
    const { project, apiKey, apiKeyReadonly } = r.value
    io.out(
      JSON.stringify(
        {
          uuid: project.code,
          name: project.name,
          api_key: apiKey,
          api_key_readonly: apiKeyReadonly,
          ping_key: project.ping_key,
          badge_key: project.badge_key,
        },
        null,
        2,
      ),
    )
    return 0
  })
}
