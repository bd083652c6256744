/**
 * `vigil smtpd [--port N]`: the ping-by-email SMTP server alone, as Healthchecks' `manage.py
 * smtpd --port N`. The same process as `vigil serve --role smtpd` (start-up checks, migrations,
 * clean SIGTERM); `--port` wins over SMTPD_PORT, and with neither it listens on 2525.
 */
import { CliError, type Io, parseOptions } from './io.js'
import { serveCommand } from './serve-command.js'

const USAGE = 'Usage: vigil smtpd [--port N]'

export async function smtpdCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { port: { type: 'string' } }, USAGE)
  if (values.help) {
    io.out(
      `${USAGE}\n\nReceives ping e-mail for <uuid>@PING_EMAIL_DOMAIN and <ping-key>+<slug>@PING_EMAIL_DOMAIN.\n--port  the SMTP port (default SMTPD_PORT, else 2525); listens on HOST.`,
    )
    return 0
  }
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port))
    throw new CliError(`--port must be a port number, got "${values.port}"\n${USAGE}`, 2)
  const env = values.port === undefined ? io.env : { ...io.env, SMTPD_PORT: values.port }
  return serveCommand(['--role', 'smtpd'], { ...io, env })
}
