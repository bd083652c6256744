/**
 * `vigil doctor [--network] [--send-test-email ADDRESS] [--json] [--strict]` (spec DOC-2): prints
 * one line per finding (or JSON) and exits 0 when nothing is `error`/`fatal`, 1 when something is
 * (or anything at all under --strict), 2 when the doctor itself could not run (bad usage, no
 * database). `--send-test-email` sends a real message and prints the SMTP transcript.
 */
import { ConfigError, loadConfig } from '../config/index.js'
import {
  type Finding,
  formatFinding,
  isProblem,
  runDoctor,
  sendTestEmail,
  specSeverity,
  type TestEmailResult,
} from '../doctor/index.js'
import { CliError, type Io, parseOptions, withContext } from './io.js'

const USAGE = 'Usage: vigil doctor [--network] [--send-test-email ADDRESS] [--json] [--strict]'

/** Exit code when the doctor could not run (DOC-2). */
const EXIT_DOCTOR_FAILED = 2

function findingJson(f: Finding) {
  return {
    check: f.id,
    legacy_id: f.legacyId ?? null,
    severity: specSeverity(f.severity),
    message: f.message,
    hint: f.hint ?? null,
  }
}

function exitCode(findings: Finding[], testEmail: TestEmailResult | null, strict: boolean): number {
  const failed =
    findings.some((f) => isProblem(f) || (strict && f.severity !== 'ok')) ||
    (testEmail !== null && !testEmail.ok)
  return failed ? 1 : 0
}

export async function doctorCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(
    args,
    {
      network: { type: 'boolean' },
      'no-network': { type: 'boolean' },
      'send-test-email': { type: 'string' },
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
    },
    USAGE,
  )
  if (values.help) {
    io.out(
      `${USAGE}\n\nChecks the secret key, site root, database and migrations, SMTP settings, WebAuthn\nsettings, the mail status, clocks and the worker heartbeat; --network also connects to the SMTP\nserver (MAIL-004…009), asks Twilio whether it accepts the credentials (SMS-002) and records\nthe results. --json prints the findings as JSON.\nExit code 0 when nothing is an error, 1 when something is (or any warning with --strict),\n2 when the doctor could not run (e.g. the database does not answer).`,
    )
    return 0
  }
  const json = values.json === true
  const strict = values.strict === true
  const report = (findings: Finding[], testEmail: TestEmailResult | null) => {
    const code = exitCode(findings, testEmail, strict)
    if (json) {
      io.out(
        JSON.stringify(
          {
            status: code === 0 ? 'ok' : 'problems',
            findings: findings.map(findingJson),
            test_email: testEmail,
          },
          null,
          2,
        ),
      )
      return code
    }
    for (const f of findings) io.out(formatFinding(f))
    if (testEmail) {
      for (const line of testEmail.transcript) io.out(`      ${line}`)
      io.out(`${testEmail.ok ? 'OK   ' : 'ERROR'} test email ${testEmail.summary}`)
    }
    if (code === 0)
      io.out(findings.length === 0 ? 'OK    no problems found' : 'OK    no errors found')
    return code
  }
  try {
    loadConfig(io.env)
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e
    const id = e.variable === 'SITE_ROOT' ? 'SITE-001' : 'vigil.E000'
    return report(
      [
        {
          id,
          severity: id === 'SITE-001' ? 'fatal' : 'error',
          message: `Invalid setting ${e.variable}: ${e.problem}.`,
          hint: `Correct ${e.variable} and run doctor again.`,
        },
      ],
      null,
    )
  }
  try {
    return await withContext(io, async (ctx) => {
      // Probes only on request (spec DOC-2); --no-network is still accepted, as before.
      const network = values.network === true && !values['no-network']
      const findings = await runDoctor(ctx, { network })
      const to = values['send-test-email']
      const testEmail = to === undefined ? null : await sendTestEmail(ctx.config, to)
      return report(findings, testEmail)
    })
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    // The database could not be opened or migrated: the doctor cannot judge the instance.
    const f: Finding = {
      id: 'vigil.E001',
      severity: 'error',
      message: `The doctor could not run: ${e.message}.`,
      hint: 'Check DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD or DATABASE_URL (or that DB_NAME is a writable file), then run doctor again.',
    }
    report([f], null)
    return EXIT_DOCTOR_FAILED
  }
}
