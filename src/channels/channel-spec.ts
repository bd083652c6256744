/**
 * The request body of Vigil's channel provisioning API (`POST /api/v3/channels/` and
 * `POST /api/v3/channels/<uuid>`, a Vigil extension): `kind`, `name`, kind-specific `config` and the
 * `checks` to assign. The envelope is checked here; `config` goes to the kind's own `parseConfig`
 * (integrations/), the same validation the UI form uses. Pure; publishes its JSON Schema.
 */
import type { InvalidField } from '../checks/index.js'
import type { Config } from '../config/index.js'
import {
  integrationFor,
  NO_WARNINGS,
  supportedKinds,
  takesWarnings,
} from '../integrations/index.js'
import type { JsonSchema } from '../json-schema.js'
import { err, ok, type Result } from '../result.js'
import { parseRepeatSpec, type RepeatSpec, repeatSchemaProperties } from './repeat-spec.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A validated body. Absent fields are undefined (update leaves them as they are). */
export interface ChannelSpec {
  kind?: string
  name?: string
  /** The stored value `parseConfig` produced for `kind`. */
  value?: string
  /** "*" for every check of the project, else check UUIDs (not yet known to exist). */
  checks?: '*' | string[]
  /** Repeat settings (repeat-spec.ts), merged over the stored ones on update. */
  repeat?: RepeatSpec
  /** Also send warnings (late, unusual duration…) to this channel. */
  notify_late?: boolean
}

function invalid(field: string, problem: string): { ok: false; error: InvalidField } {
  return err({ kind: 'invalid-field', field, problem })
}

/**
 * Validates a body (already a JSON object). On create `kind` and `config` are required; on
 * update (`existingKind` given) `kind` may only repeat the channel's kind and `config`, when
 * sent, replaces the whole configuration. A kind this instance cannot send is refused up front.
 */
export function parseChannelSpec(
  body: Record<string, unknown>,
  o: { config: Config; existingKind?: string; existingRepeat?: RepeatSpec },
): Result<ChannelSpec, InvalidField> {
  const spec: ChannelSpec = {}
  const creating = o.existingKind === undefined
  if (Object.hasOwn(body, 'kind') || creating) {
    const kind = body.kind
    if (kind === undefined) return invalid('kind', 'is required')
    if (typeof kind !== 'string') return invalid('kind', 'is not a string')
    if (!creating && kind !== o.existingKind) return invalid('kind', 'cannot be changed')
    spec.kind = kind
  }
  const kind = spec.kind ?? (o.existingKind as string)
  const integration = integrationFor(kind)
  if (!integration)
    return invalid('kind', `has unexpected value (supported: ${supportedKinds().join(', ')})`)

  if (Object.hasOwn(body, 'name')) {
    const name = body.name
    if (typeof name !== 'string') return invalid('name', 'is not a string')
    if (name.includes('\u0000')) return invalid('name', 'contains a NUL character')
    if ([...name].length > 100) return invalid('name', 'is too long (at most 100 characters)')
    spec.name = name
  }

  if (Object.hasOwn(body, 'config') || creating) {
    if (body.config === undefined) return invalid('config', 'is required')
    const reason = integration.unavailableReason(o.config)
    if (reason !== null) return invalid('kind', `is not available here: ${reason}`)
    const parsed = integration.parseConfig(body.config)
    if (!parsed.ok) return invalid(`config.${parsed.error.field}`, parsed.error.problem)
    spec.value = parsed.value
  }

  if (Object.hasOwn(body, 'notify_late')) {
    if (typeof body.notify_late !== 'boolean') return invalid('notify_late', 'is not a boolean')
    // A warning would open an incident that no recovery closes (the check never went down).
    if (body.notify_late && !takesWarnings(kind))
      return invalid('notify_late', `cannot be true for ${integration.label}: ${NO_WARNINGS}`)
    spec.notify_late = body.notify_late
  }

  if (Object.hasOwn(body, 'checks')) {
    const checks = body.checks
    if (checks === '*') spec.checks = '*'
    else if (!Array.isArray(checks)) return invalid('checks', 'is not "*" or an array')
    else {
      for (const item of checks) {
        if (typeof item !== 'string' || !UUID.test(item))
          return invalid("an item in 'checks'", 'is not a check UUID')
      }
      spec.checks = [...new Set(checks as string[])]
    }
  }
  const repeat = parseRepeatSpec(body, o.existingRepeat)
  if (!repeat.ok) return repeat
  if (repeat.value) spec.repeat = repeat.value
  return ok(spec)
}

/** The body of create and update as JSON Schema (what parseChannelSpec checks itself). */
export function channelSpecSchema(): JsonSchema {
  return {
    type: 'object',
    properties: {
      kind: {
        enum: supportedKinds(),
        description: 'Channel kind. Required on create; cannot be changed by update.',
      },
      name: { type: 'string', maxLength: 100, description: 'Display name.' },
      config: {
        type: ['object', 'string'],
        description:
          'Kind-specific fields, validated as the web form validates them. webhook: method_down, ' +
          'url_down, body_down, headers_down and the same four for _up; email: value (the address), ' +
          'up, down; slack, mattermost, discord and other incoming-webhook kinds: url. A bare ' +
          'string is taken as the main field. Required on create; replaces the whole ' +
          'configuration on update.',
        examples: [
          { url_down: 'https://example.com/hook', method_down: 'POST', body_down: '$NAME is down' },
          { value: 'ops@example.com' },
          { url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
        ],
      },
      checks: {
        oneOf: [
          { const: '*', description: 'Every check of the project.' },
          {
            type: 'array',
            items: { type: 'string', format: 'uuid' },
            description: 'UUIDs of checks of the project; replaces the assignment.',
          },
        ],
      },
      ...repeatSchemaProperties(),
      notify_late: {
        type: 'boolean',
        description:
          'Vigil extension: also send warnings (the warning stage\'s "late", see the check\'s ' +
          'warn_after) to this channel. Default false. Refused (400) for the incident services ' +
          '(pd, opsgenie, victorops, pagertree, spike): a warning would open an incident that ' +
          'no recovery closes.',
      },
    },
    additionalProperties: true,
  }
}
