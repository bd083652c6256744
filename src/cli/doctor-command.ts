/**
 * `vigil doctor`: prints one line per finding and exits 1 when anything is wrong.
 * `--send-test-email ADDRESS` sends a real message through the configured SMTP server now.
 */
import nodemailer from 'nodemailer'
import { ConfigError, loadConfig } from '../config/index.js'
import { formatFinding, runDoctor } from '../doctor/findings.js'
import { smtpTransportOptions } from '../mail/smtp-options.js'
import { type Io, parseOptions, withContext } from './io.js'

const USAGE = 'Usage: vigil doctor [--network] [--send-test-email ADDRESS]'

export async function doctorCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(
    args,
    {
      network: { type: 'boolean' },
      'no-network': { type: 'boolean' },
      'send-test-email': { type: 'string' },
    },
    USAGE,
  )
  if (values.help) {
    io.out(
      `${USAGE}\n\nChecks the secret key, site root, database and migrations, SMTP settings, WebAuthn\nsettings, the mail status and the worker heartbeat; --network also connects to the SMTP\nserver (MAIL-004…009) and records the result. Exit code 0 when all is well, 1 otherwise.`,
    )
    return 0
  }
  try {
    loadConfig(io.env)
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e
    io.out(
      `ERROR vigil.E000 Invalid setting ${e.variable}: ${e.problem}. Fix: correct ${e.variable} and run doctor again.`,
    )
    return 1
  }
  return withContext(io, async (ctx) => {
    // Probes only on request (spec DOC-2); --no-network is still accepted, as before.
    const network = values.network === true && !values['no-network']
    const findings = await runDoctor(ctx, { network })
    for (const f of findings) io.out(formatFinding(f))
    let failed = findings.some((f) => f.severity !== 'ok')
    const to = values['send-test-email']
    if (to !== undefined) {
      if (!ctx.config.smtp) {
        io.out('ERROR test email not sent: email is not configured (set EMAIL_HOST and friends).')
        failed = true
      } else {
        const transport = nodemailer.createTransport(smtpTransportOptions(ctx.config))
        try {
          const info = await transport.sendMail({
            from: ctx.config.defaultFromEmail,
            to,
            subject: `${ctx.config.siteName}: test email from vigil doctor`,
            text: `This message proves that ${ctx.config.siteName} (${ctx.config.siteRoot}) can send email.`,
          })
          io.out(
            `OK    test email accepted by ${ctx.config.smtp.host} for ${to} (${info.response})`,
          )
        } catch (e) {
          io.out(`ERROR test email to ${to} failed: ${(e as Error).message}`)
          failed = true
        } finally {
          transport.close()
        }
      }
    }
    if (!failed) io.out('OK    no problems found')
    return failed ? 1 : 0
  })
}
