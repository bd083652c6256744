/**
 * The `vigil` command: parses the subcommand and its options (node:util parseArgs) and runs it.
 * Each subcommand lives in its own file, imported only when it runs: `vigil --help` loads none of
 * them (0.4 s from dist/, where importing all of them took 1.2 s).
 * Returns the process exit code instead of calling process.exit, so tests can call it.
 */
import { CliError, type Io, processIo } from './io.js'

export type { Io }

export const HELP = `vigil — cron-job and heartbeat monitoring, compatible with Healthchecks

Usage: vigil <command> [options]

Commands:
  serve [--role all|web|worker|smtpd]
                                  Run the HTTP server and/or the worker (default: all in one process)
  worker                          Same as: serve --role worker
  smtpd [--port N]                Receive pings by e-mail (same as: serve --role smtpd; port 2525)
  migrate                         Apply pending database migrations and exit
  user create --email E --password P [--superuser]
                                  Create a user account
  user set-password E --password P | --password-stdin
                                  Set a user's password; signs them out everywhere (no mail needed)
  user reset-2fa E                Remove a user's authenticator app, security keys and recovery codes
  user login-link E [--ttl 15m]   Print a one-time sign-in URL for a user (2FA is still asked)
  sessions revoke (E | --all)     Sign one user, or everyone, out of the web UI
  project create --owner EMAIL --name NAME [--api-key K] [--api-key-readonly K] [--ping-key K]
                                  Create a project; prints JSON with its keys (shown once)
  check create --project UUID --name N [--slug S] [--tags T]
               [--timeout SECONDS --grace SECONDS | --schedule CRON --tz ZONE] [--channels "*"|ids]
                                  Create a check; prints it as API v3 JSON
  doctor [--network] [--send-test-email ADDRESS] [--json] [--strict]
                                  Check the configuration and the instance; exit 1 on errors, 2 if it cannot run
  import healthchecks --from <postgres://… | hc.sqlite> [--dry-run] [--only-users E,…] [--json]
                                  Copy a Healthchecks database (read-only) into Vigil's; prints a report
  setup-code                      Print the code the first-run page asks for from another machine
  sendreports [--loop]            Queue due e-mail reports and "still down" reminders (the worker does
                                  this too); --loop repeats every minute

Run \`vigil <command> --help\` for the options of one command.
Settings come from environment variables; see README.md.`

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP)
        return command === undefined ? 1 : 0
      case 'serve':
        return await (await import('./serve-command.js')).serveCommand(rest, io)
      case 'worker':
        return await (await import('./serve-command.js')).serveCommand(
          ['--role', 'worker', ...rest],
          io,
        )
      case 'smtpd':
        return await (await import('./smtpd-command.js')).smtpdCommand(rest, io)
      case 'migrate':
        return await (await import('./migrate-command.js')).migrateCommand(rest, io)
      case 'user':
        return await (await import('./user-command.js')).userCommand(rest, io)
      case 'sessions':
        return await (await import('./sessions-command.js')).sessionsCommand(rest, io)
      case 'project':
        return await (await import('./project-command.js')).projectCommand(rest, io)
      case 'check':
        return await (await import('./check-command.js')).checkCommand(rest, io)
      case 'doctor':
        return await (await import('./doctor-command.js')).doctorCommand(rest, io)
      case 'sendreports':
        return await (await import('./sendreports-command.js')).sendreportsCommand(rest, io)
      case 'import':
        return await (await import('./import-command.js')).importCommand(rest, io)
      case 'setup-code':
        return await (await import('./setup-code-command.js')).setupCodeCommand(rest, io)
      default:
        io.err(`vigil: unknown command "${command}". Run \`vigil --help\` for the list.`)
        return 2
    }
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`vigil: ${e.message}`)
      return e.exitCode
    }
    throw e
  }
}
