/**
 * The JSON of a provisioned channel (Vigil extension, API v3): `id`, `name`, `kind`, `config` with
 * secrets masked by the kind's own `maskedConfig`, the UUIDs of its `checks`, the last delivery
 * (`last_notify`, `last_error`, `disabled`) so failing channels show up in scripts too, and for
 * email channels whether the address is verified (unverified addresses are not sent to).
 */
import { isoSeconds } from '../checks/index.js'
import { integrationFor } from '../integrations/index.js'
import type { ChannelWithChecks } from './find-channel.js'
import { repeatJson } from './repeat-spec.js'

export function channelJson({ channel, checkCodes }: ChannelWithChecks): Record<string, unknown> {
  const integration = integrationFor(channel.kind)
  const out: Record<string, unknown> = {
    id: channel.code,
    name: channel.name,
    kind: channel.kind,
    // A kind this version cannot send (imported from Healthchecks) shows no configuration.
    config: integration ? integration.maskedConfig(channel.value) : {},
    checks: checkCodes,
    last_notify: channel.last_notify === null ? null : isoSeconds(channel.last_notify),
    last_error: channel.last_error,
    disabled: channel.disabled === 1,
    ...repeatJson(channel),
    // Vigil: warnings (the warning stage's "late", …) go to this channel too.
    notify_late: channel.notify_late === 1,
  }
  if (channel.kind === 'email') out.email_verified = channel.email_verified === 1
  return out
}
