/**
 * The Shell Command channel: runs `cmd_down` or `cmd_up` with `/bin/sh -c` inside the worker,
 * the check's facts given as environment variables (shell-environment.ts) and never pasted into
 * the command. A time limit (WEBHOOK_TIMEOUT) kills the command's process group; a non-zero exit
 * fails the notification with the exit code and the end of stderr, as Healthchecks' Shell
 * ("Command returned exit code N"). An empty command is a no-op. Value: JSON
 * `{"cmd_down", "cmd_up"}`. Off unless SHELL_ENABLED.
 */
import type { Config } from '../config/index.js'
import { ok } from '../result.js'
import { loadAlertInput } from './alert-input.js'
import { fieldsOf, jsonObject, problem, readString, sortedJson, str } from './channel-input.js'
import type { AlertStatus, DeliveryResult, Integration } from './integration.js'
import { findLastPing } from './last-ping.js'
import { runCommand } from './run-command.js'
import { shellEnvironment } from './shell-environment.js'

export function parseShellValue(value: string): { cmd_down: string; cmd_up: string } {
  const doc = jsonObject(value)
  return { cmd_down: str(doc, 'cmd_down'), cmd_up: str(doc, 'cmd_up') }
}

function commandFor(value: string, status: AlertStatus): string {
  const v = parseShellValue(value)
  return (status === 'up' ? v.cmd_up : v.cmd_down).trim()
}

const unavailable = (c: Config) =>
  c.integrations.shellEnabled ? null : 'Shell commands are not enabled.'

export const shellIntegration: Integration = {
  kind: 'shell',
  label: 'Shell Command',
  formFields: [
    { name: 'cmd_down', label: 'Command for "down"', type: 'textarea' },
    { name: 'cmd_up', label: 'Command for "up"', type: 'textarea' },
  ],
  unavailableReason: unavailable,
  parseConfig(input) {
    const f = fieldsOf(input, 'cmd_down')
    if (!f.ok) return f
    const down = readString(f.value, 'cmd_down', { max: 1000, required: false })
    if (!down.ok) return down
    const up = readString(f.value, 'cmd_up', { max: 1000, required: false })
    if (!up.ok) return up
    if (!down.value && !up.value) return problem('cmd_down', 'at least one command is required')
    return ok(sortedJson({ cmd_down: down.value, cmd_up: up.value }))
  },
  maskedConfig: (value) => parseShellValue(value),
  isNoop: (value, status) => commandFor(value, status) === '',
  async deliver(ctx, input): Promise<DeliveryResult> {
    const off = unavailable(ctx.config)
    if (off) return { ok: false, error: off, permanent: true }
    const message = await loadAlertInput(ctx, input)
    const command = commandFor(input.channel.value, message.status)
    if (!command) return { ok: true }
    const ping = await findLastPing(ctx, input.check.id, input.flip?.created ?? null)
    const env = shellEnvironment(
      { ...message, check: input.check, lastPing: ping },
      ctx.clock.now(),
    )
    const r = await runCommand('/bin/sh', ['-c', command], {
      env,
      timeoutMs: ctx.config.webhookTimeoutMs,
    })
    switch (r.kind) {
      case 'timed-out':
        return { ok: false, error: 'Command timed out', permanent: false }
      case 'not-found':
        return { ok: false, error: '/bin/sh not found', permanent: true }
      case 'failed':
        return { ok: false, error: `Command failed: ${r.message}`, permanent: false }
      default:
        return r.code === 0
          ? { ok: true }
          : {
              ok: false,
              error: `Command returned exit code ${r.code}${r.stderrTail ? `: ${r.stderrTail}` : ''}`,
              permanent: false,
            }
    }
  },
}
