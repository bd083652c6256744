/**
 * The Apprise channel: runs the `apprise` command (`apprise -t TITLE -b BODY -n TYPE URL`) with an
 * argument list, never a shell, so nothing in a check's name can become a command. Healthchecks
 * calls the Python library in-process; Vigil needs the command on PATH, and says so plainly when
 * it is missing. As in Healthchecks, the private-address guard does not apply (Apprise connects
 * itself). Value: the Apprise URL. Gated by APPRISE_ENABLED.
 */
import type { Config } from '../config/index.js'
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import { type AppriseMessage, renderAppriseMessage } from './apprise-message.js'
import { fieldsOf, maskUrl, readString } from './channel-input.js'
import type { DeliveryResult, Integration } from './integration.js'
import { runCommand } from './run-command.js'

export const APPRISE_MISSING = 'apprise is not installed on this server'

/** Runs `apprise` once and maps its outcome; `path` is the command search path. */
export async function runApprise(
  url: string,
  m: AppriseMessage,
  timeoutMs: number,
  path?: string,
): Promise<DeliveryResult> {
  // `--` ends the options, so a URL can never be read as one.
  const r = await runCommand('apprise', ['-t', m.title, '-b', m.body, '-n', m.type, '--', url], {
    env: {},
    timeoutMs,
    path,
  })
  switch (r.kind) {
    case 'not-found':
      return { ok: false, error: APPRISE_MISSING, permanent: true }
    case 'timed-out':
      return { ok: false, error: 'apprise timed out', permanent: false }
    case 'failed':
      return { ok: false, error: `apprise failed: ${r.message}`, permanent: false }
    default:
      return r.code === 0
        ? { ok: true }
        : {
            ok: false,
            error: `apprise exited with code ${r.code}${r.stderrTail ? `: ${r.stderrTail}` : ''}`,
            permanent: false,
          }
  }
}

const unavailable = (c: Config) =>
  c.integrations.appriseEnabled ? null : 'Apprise notifications are not enabled.'

export const appriseIntegration: Integration = {
  kind: 'apprise',
  label: 'Apprise',
  formFields: [
    {
      name: 'url',
      label: 'Apprise URL',
      type: 'password',
      required: true,
      help: 'Such as json://host/ (see the Apprise documentation).',
    },
  ],
  unavailableReason: unavailable,
  parseConfig(input) {
    const f = fieldsOf(input, 'url')
    if (!f.ok) return f
    const url = readString(f.value, 'url', {
      max: 512,
      pattern: [/^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/, 'must be an Apprise URL such as json://host/'],
    })
    return url.ok ? ok(url.value) : url
  },
  maskedConfig: (value) => ({ url: maskUrl(value) }),
  isNoop: () => false,
  async deliver(ctx, input): Promise<DeliveryResult> {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const url = input.channel.value.trim()
    if (!url) return { ok: false, error: 'Empty Apprise URL', permanent: true }
    const m = renderAppriseMessage(await loadAlertInput(ctx, input))
    return runApprise(url, m, ctx.config.webhookTimeoutMs)
  },
}
