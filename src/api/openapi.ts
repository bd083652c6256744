/**
 * The OpenAPI 3.1 document served at `/api/v3/openapi.json`: a route table of every v3 endpoint
 * (Healthchecks' API, the badge images, Prometheus and Vigil's own extensions, which carry
 * `x-vigil-extension: true`) joined with the request schemas that sit next to the validators
 * (checks/check-input.ts, channels/channel-spec.ts). Pure: the site root comes in as a value.
 */

import { channelSpecSchema } from '../channels/index.js'
import { CHECK_SPEC_SCHEMA, POLICY_SCHEMA } from '../checks/index.js'
import type { JsonSchema } from '../json-schema.js'

type Method = 'get' | 'post' | 'delete'

/** Who may call: an API key (read-only keys accepted or not), another secret, or anyone. */
type Access = 'read' | 'write' | 'public' | 'metrics-key' | 'prometheus-key'

interface Route {
  method: Method
  /** OpenAPI path template, as Healthchecks spells it (trailing slashes included). */
  path: string
  summary: string
  description?: string
  access: Access
  tag: 'checks' | 'pings' | 'flips' | 'channels' | 'badges' | 'metrics' | 'meta'
  /** components.schemas name of the JSON request body. */
  body?: string
  /** Status → description and optional components.schemas name (or media type for non-JSON). */
  responses: Record<string, { description: string; schema?: string; media?: string }>
  /** A Vigil addition beyond Healthchecks' API. */
  extension?: true
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

const AUTH_ERRORS = {
  '401': {
    description: 'Missing API key, wrong key, or a read-only key where one is not enough.',
    schema: 'Error',
  },
}
const NOT_YOURS = {
  '403': { description: "Another project's object (empty body)." },
  '404': { description: 'No such object, or a malformed identifier.' },
}
const BAD_REQUEST = {
  '400': {
    description:
      'Unparsable JSON, not an object, or a field failing validation (named in the message).',
    schema: 'Error',
  },
}

/** Every endpoint, in the order of Healthchecks' URL table and then Vigil's additions. */
export const API_ROUTES: readonly Route[] = [
  {
    method: 'get',
    path: '/api/v3/checks/',
    summary: 'List checks',
    description:
      'Filters: repeatable `tag` (all must match) and `slug`. Read-only keys see `unique_key` instead of UUIDs and URLs.',
    access: 'read',
    tag: 'checks',
    responses: { '200': { description: 'The checks.', schema: 'CheckList' }, ...AUTH_ERRORS },
  },
  {
    method: 'post',
    path: '/api/v3/checks/',
    summary: 'Create a check (or update the one matching `unique`)',
    access: 'write',
    tag: 'checks',
    body: 'CheckSpec',
    responses: {
      '200': {
        description: 'An existing check matched `unique` and was updated.',
        schema: 'Check',
      },
      '201': { description: 'Created.', schema: 'Check' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
      '403': { description: 'The check limit is reached (empty body).' },
    },
  },
  {
    method: 'get',
    path: '/api/v3/checks/{code}',
    summary: 'Get a check by UUID or by its 40-character unique key',
    access: 'read',
    tag: 'checks',
    responses: {
      '200': { description: 'The check.', schema: 'Check' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/checks/{code}',
    summary: 'Update a check',
    description: 'Only the fields sent change; `channels` replaces the assignment.',
    access: 'write',
    tag: 'checks',
    body: 'CheckSpec',
    responses: {
      '200': { description: 'The updated check.', schema: 'Check' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'delete',
    path: '/api/v3/checks/{code}',
    summary: 'Delete a check',
    access: 'write',
    tag: 'checks',
    responses: {
      '200': { description: 'The deleted check.', schema: 'Check' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/checks/{code}/pause',
    summary: 'Pause a check',
    access: 'write',
    tag: 'checks',
    responses: {
      '200': { description: 'The paused check.', schema: 'Check' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/checks/{code}/resume',
    summary: 'Resume a paused check',
    access: 'write',
    tag: 'checks',
    responses: {
      '200': { description: 'The resumed check.', schema: 'Check' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
      '409': { description: 'The check is not paused.', media: 'text/plain' },
    },
  },
  {
    method: 'get',
    path: '/api/v3/checks/{code}/pings/',
    summary: "List a check's recent pings, newest first",
    access: 'write',
    tag: 'pings',
    responses: {
      '200': { description: 'The pings.', schema: 'PingList' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'get',
    path: '/api/v3/checks/{code}/pings/{n}/body',
    summary: "A ping's raw body",
    access: 'write',
    tag: 'pings',
    responses: {
      '200': { description: 'The body bytes.', media: 'text/plain' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'get',
    path: '/api/v3/checks/{code}/flips/',
    summary: "List a check's status changes, newest first",
    description: 'Filters: `start`, `end` (unix seconds), `seconds` (how far back).',
    access: 'read',
    tag: 'flips',
    responses: {
      '200': { description: 'The flips.', schema: 'FlipList' },
      '400': { description: 'An invalid filter (empty body).' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'get',
    path: '/api/v3/channels/',
    summary: "List the project's integrations",
    access: 'write',
    tag: 'channels',
    responses: {
      '200': { description: 'The channels.', schema: 'ChannelSummaryList' },
      ...AUTH_ERRORS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/channels/',
    summary: 'Create an integration',
    description:
      '`config` is validated by the same code as the web form; secrets are masked in the answer.',
    access: 'write',
    tag: 'channels',
    body: 'ChannelSpec',
    extension: true,
    responses: {
      '201': { description: 'Created.', schema: 'Channel' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
    },
  },
  {
    method: 'get',
    path: '/api/v3/channels/{code}',
    summary: 'Get an integration',
    access: 'write',
    tag: 'channels',
    extension: true,
    responses: {
      '200': { description: 'The channel, secrets masked.', schema: 'Channel' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'post',
    path: '/api/v3/channels/{code}',
    summary: 'Update an integration',
    description:
      '`name` renames, `config` replaces the configuration, `checks` replaces the assignment.',
    access: 'write',
    tag: 'channels',
    body: 'ChannelSpec',
    extension: true,
    responses: {
      '200': { description: 'The updated channel.', schema: 'Channel' },
      ...BAD_REQUEST,
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'delete',
    path: '/api/v3/channels/{code}',
    summary: 'Delete an integration',
    access: 'write',
    tag: 'channels',
    extension: true,
    responses: {
      '200': { description: 'The deleted channel.', schema: 'Channel' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'get',
    path: '/api/v3/badges/',
    summary: 'Signed badge URLs for every tag and for all checks (`*`)',
    access: 'read',
    tag: 'badges',
    responses: {
      '200': { description: 'Badge URLs per tag.', schema: 'BadgeUrls' },
      ...AUTH_ERRORS,
    },
  },
  {
    method: 'get',
    path: '/api/v3/metrics/',
    summary: 'Operator metrics of the whole instance',
    description: 'Needs METRICS_KEY set and sent as X-Metrics-Key. Any method is accepted.',
    access: 'metrics-key',
    tag: 'metrics',
    responses: {
      '200': { description: 'Metrics.', schema: 'OperatorMetrics' },
      '403': { description: 'No METRICS_KEY, or a wrong one (empty body).' },
    },
  },
  {
    method: 'get',
    path: '/api/v3/status/',
    summary: 'Health check for load balancers',
    access: 'public',
    tag: 'meta',
    responses: {
      '200': { description: '`OK`', media: 'text/plain' },
      '503': { description: 'The database does not answer.', media: 'text/plain' },
    },
  },
  {
    method: 'post',
    path: '/api/v3/notifications/{notification}/status',
    summary: "Delivery status callback (Twilio's StatusCallback)",
    description:
      'A form-encoded report on a notification sent in the last hour; Vigil passes this URL to ' +
      'Twilio with every SMS, WhatsApp message and phone call. `MessageStatus` failed or ' +
      "undelivered, or `CallStatus` failed, sets the notification error and the channel's " +
      'last error to "Delivery failed (status=…)."; a generic `error` field (cut to 200 ' +
      'characters) does the same, and with a non-empty `mark_disabled` also disables the ' +
      'channel. Other reports, and unknown or older notifications, change nothing.',
    access: 'public',
    tag: 'meta',
    responses: {
      '200': { description: 'Always, so the sender does not retry (empty body).' },
      '404': { description: 'A malformed notification UUID.' },
      '405': { description: 'A method other than POST.' },
    },
  },
  {
    method: 'post',
    path: '/api/v3/bounces/',
    summary: 'Bounce report of an alert or report email',
    description:
      'The raw bounce mail as the body. Its `To` local part must be a signed bounce id at most ' +
      '48 hours old (`n.<notification uuid>` or `r.<user id>`), or hold it where ' +
      '`EMAIL_MAIL_FROM_TMPL` puts it (`bounces+<id>@…` for `bounces+%s@…`): alert, report and ' +
      'reminder emails are sent with that address as their envelope sender when the setting is ' +
      'set, so mail servers return their bounces to it. DSN Status 5.x.x is permanent ' +
      '(the alert email channel is disabled; reports and reminders of the user are turned off), ' +
      '4.x.x and 5.4.4 transient (the error is recorded). Any method is accepted.',
    access: 'public',
    tag: 'meta',
    responses: {
      '200': {
        description:
          '`OK`, `OK (bad signature)`, `OK (ignored)`, `OK (notification not found)` or `OK (user not found)`.',
        media: 'text/plain',
      },
    },
  },
  {
    method: 'get',
    path: '/api/v3/openapi.json',
    summary: 'This document',
    access: 'public',
    tag: 'meta',
    extension: true,
    responses: { '200': { description: 'OpenAPI 3.1 document.', media: 'application/json' } },
  },
  {
    method: 'get',
    path: '/badge/{badge_key}/{signature}/{tag}.{format}',
    summary: 'Badge of the checks with a tag',
    description:
      'A 10-character signature ending in `-2` gives the 2-state badge (late shown as up).',
    access: 'public',
    tag: 'badges',
    responses: badgeResponses(),
  },
  {
    method: 'get',
    path: '/badge/{badge_key}/{signature}.{format}',
    summary: 'Badge of all checks, labelled MASTER_BADGE_LABEL',
    access: 'public',
    tag: 'badges',
    responses: badgeResponses(),
  },
  {
    method: 'get',
    path: '/b/{states}/{badge_key}.{format}',
    summary: 'Badge of one check (the `badge_url` of its JSON)',
    description: '`states` 3 shows a late check as late; other numbers as up.',
    access: 'public',
    tag: 'badges',
    responses: badgeResponses(),
  },
  {
    method: 'get',
    path: '/projects/{project}/metrics/{key}',
    summary: 'Prometheus metrics of the project whose read-only key is given',
    description:
      'The project UUID in the path is ignored. Off with PROMETHEUS_ENABLED=False (404).',
    access: 'public',
    tag: 'metrics',
    responses: prometheusResponses(),
  },
  {
    method: 'get',
    path: '/projects/{project}/checks/metrics/{key}',
    summary: 'Prometheus metrics (legacy path)',
    access: 'public',
    tag: 'metrics',
    responses: prometheusResponses(),
  },
  {
    method: 'get',
    path: '/projects/{project}/metrics/',
    summary: 'Prometheus metrics with `Authorization: Bearer <read-only key>`',
    access: 'prometheus-key',
    tag: 'metrics',
    responses: { ...prometheusResponses(), '401': { description: 'No Bearer header.' } },
  },
]

function badgeResponses(): Route['responses'] {
  return {
    '200': {
      description:
        '`svg`: image/svg+xml; `json`: the tally; `shields`: a shields.io endpoint badge.',
      schema: 'BadgeJson',
    },
    '404': { description: 'Wrong signature, unknown check or unknown format.' },
  }
}

function prometheusResponses(): Route['responses'] {
  return {
    '200': { description: 'Prometheus text format.', media: 'text/plain' },
    '400': { description: 'The key is not 32 characters.' },
    '403': { description: 'Not a read-only key.' },
    '404': { description: 'PROMETHEUS_ENABLED is False, or a malformed path.' },
  }
}

const PARAMETERS: Record<string, JsonSchema> = {
  code: {
    type: 'string',
    description:
      'Check or channel UUID (lowercase); for GET of a check and its flips also the 40-character `unique_key`.',
  },
  n: { type: 'integer', minimum: 0, description: 'Ping number within the check.' },
  notification: { type: 'string', format: 'uuid', description: 'Notification UUID.' },
  badge_key: { type: 'string', description: "The project's (or for /b/ the check's) badge key." },
  signature: {
    type: 'string',
    description: '8 characters; 10 with a trailing `-2` for the 2-state badge.',
  },
  tag: { type: 'string', description: 'The tag, URL-quoted.' },
  format: { enum: ['svg', 'json', 'shields'] },
  states: { type: 'integer', description: '2 or 3.' },
  project: { type: 'string', format: 'uuid', description: 'Ignored: the key selects the project.' },
  key: { type: 'string', description: "The project's read-only API key." },
}

const STATUS = { enum: ['new', 'up', 'grace', 'down', 'paused', 'started'] }

const SCHEMAS: Record<string, JsonSchema> = {
  Error: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] },
  CheckSpec: {
    ...CHECK_SPEC_SCHEMA,
    // Vigil extensions (API v3): alert policy, checks/alert-policy.ts.
    properties: { ...(CHECK_SPEC_SCHEMA.properties as object), ...POLICY_SCHEMA },
  },
  ChannelSpec: channelSpecSchema(),
  Check: {
    type: 'object',
    description:
      'Healthchecks’ check JSON. Read-only keys get `unique_key` instead of `uuid`, the URLs and `channels`; simple checks have `timeout`, cron/OnCalendar checks `schedule` and `tz`.',
    properties: {
      name: { type: 'string' },
      slug: { type: 'string' },
      tags: { type: 'string' },
      desc: { type: 'string' },
      grace: { type: 'integer' },
      n_pings: { type: 'integer' },
      status: STATUS,
      started: { type: 'boolean' },
      last_ping: { type: ['string', 'null'], format: 'date-time' },
      next_ping: { type: ['string', 'null'], format: 'date-time' },
      manual_resume: { type: 'boolean' },
      methods: { type: 'string' },
      subject: { type: 'string' },
      subject_fail: { type: 'string' },
      start_kw: { type: 'string' },
      success_kw: { type: 'string' },
      failure_kw: { type: 'string' },
      filter_subject: { type: 'boolean' },
      filter_body: { type: 'boolean' },
      filter_http_body: { type: 'boolean' },
      filter_default_fail: { type: 'boolean' },
      badge_url: { type: 'string', format: 'uri' },
      last_duration: { type: 'integer' },
      unique_key: { type: 'string' },
      uuid: { type: 'string', format: 'uuid' },
      ping_url: { type: 'string', format: 'uri' },
      update_url: { type: 'string', format: 'uri' },
      pause_url: { type: 'string', format: 'uri' },
      resume_url: { type: 'string', format: 'uri' },
      channels: { type: 'string' },
      timeout: { type: 'integer' },
      schedule: { type: 'string' },
      tz: { type: 'string' },
      // Vigil extensions, API v3 only (checks/alert-policy.ts).
      ...POLICY_SCHEMA,
    },
    required: [
      'name',
      'slug',
      'tags',
      'desc',
      'grace',
      'n_pings',
      'status',
      'started',
      'last_ping',
      'next_ping',
      'badge_url',
    ],
  },
  CheckList: {
    type: 'object',
    properties: { checks: { type: 'array', items: ref('Check') } },
    required: ['checks'],
  },
  Ping: {
    type: 'object',
    properties: {
      type: { enum: ['success', 'start', 'fail', 'log', 'ign'] },
      date: { type: 'string', format: 'date-time' },
      n: { type: 'integer' },
      scheme: { type: 'string' },
      remote_addr: { type: ['string', 'null'] },
      method: { type: 'string' },
      ua: { type: 'string' },
      rid: { type: ['string', 'null'] },
      body_url: { type: ['string', 'null'], format: 'uri' },
      duration: { type: 'number' },
    },
  },
  PingList: {
    type: 'object',
    properties: { pings: { type: 'array', items: ref('Ping') } },
    required: ['pings'],
  },
  Flip: {
    type: 'object',
    properties: { timestamp: { type: 'string', format: 'date-time' }, up: { enum: [0, 1] } },
  },
  FlipList: {
    type: 'object',
    properties: { flips: { type: 'array', items: ref('Flip') } },
    required: ['flips'],
  },
  ChannelSummary: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      kind: { type: 'string' },
    },
    required: ['id', 'name', 'kind'],
  },
  ChannelSummaryList: {
    type: 'object',
    properties: { channels: { type: 'array', items: ref('ChannelSummary') } },
    required: ['channels'],
  },
  Channel: {
    type: 'object',
    'x-vigil-extension': true,
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      kind: { type: 'string' },
      config: {
        type: 'object',
        description: 'The configuration with secrets shown as `…` plus their last 4 characters.',
      },
      checks: { type: 'array', items: { type: 'string', format: 'uuid' } },
      last_notify: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'When the last delivery was attempted.',
      },
      last_error: {
        type: 'string',
        description: 'Error of the last delivery; empty when it worked.',
      },
      disabled: {
        type: 'boolean',
        description: 'Switched off after a permanent error (e.g. the service deleted the webhook).',
      },
      email_verified: {
        type: 'boolean',
        description: 'Email channels only: notifications go only to verified addresses.',
      },
      notify_late: {
        type: 'boolean',
        description:
          'Vigil extension: warnings (e.g. a check\'s "late" warning) go to this channel too.',
      },
    },
    required: ['id', 'name', 'kind', 'config', 'checks', 'last_notify', 'last_error', 'disabled'],
  },
  BadgeUrls: {
    type: 'object',
    properties: {
      badges: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          properties: Object.fromEntries(
            ['svg', 'svg3', 'json', 'json3', 'shields', 'shields3'].map((k) => [
              k,
              { type: 'string', format: 'uri' },
            ]),
          ),
        },
      },
    },
    required: ['badges'],
  },
  BadgeJson: {
    oneOf: [
      {
        type: 'object',
        properties: {
          status: { enum: ['up', 'late', 'down'] },
          total: { type: 'integer' },
          grace: { type: 'integer' },
          down: { type: 'integer' },
        },
        required: ['status', 'total', 'grace', 'down'],
      },
      {
        type: 'object',
        properties: {
          schemaVersion: { const: 1 },
          label: { type: 'string' },
          message: { enum: ['up', 'late', 'down'] },
          color: { enum: ['success', 'important', 'critical'] },
        },
        required: ['schemaVersion', 'label', 'message', 'color'],
      },
    ],
  },
  OperatorMetrics: {
    type: 'object',
    properties: {
      ts: { type: 'integer' },
      max_ping_id: { type: ['integer', 'null'] },
      max_notification_id: { type: ['integer', 'null'] },
      num_unprocessed_flips: { type: 'integer' },
    },
    required: ['ts', 'max_ping_id', 'max_notification_id', 'num_unprocessed_flips'],
  },
}

const SECURITY: Record<Access, Array<Record<string, string[]>>> = {
  read: [{ apiKey: [] }],
  write: [{ apiKey: [] }],
  public: [],
  'metrics-key': [{ metricsKey: [] }],
  'prometheus-key': [{ bearer: [] }],
}

function operation(r: Route): Record<string, unknown> {
  const params = [...r.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: PARAMETERS[name] ?? { type: 'string' },
  }))
  const responses = Object.fromEntries(
    Object.entries(r.responses).map(([status, res]) => {
      const content = res.schema
        ? { 'application/json': { schema: ref(res.schema) } }
        : res.media
          ? { [res.media]: { schema: { type: 'string' } } }
          : undefined
      return [status, { description: res.description, ...(content ? { content } : {}) }]
    }),
  )
  const accessNote =
    r.access === 'read'
      ? ' Read-only keys are accepted.'
      : r.access === 'write'
        ? ' Needs a read-write key.'
        : ''
  return {
    operationId: `${r.method}${r.path
      .replace(/\{(\w+)\}/g, '_$1')
      .replace(/[^a-zA-Z0-9_]+/g, '_')
      .replace(/_+$/, '')}`,
    summary: r.summary,
    description: `${r.description ?? r.summary}${accessNote}`.trim(),
    tags: [r.tag],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(r.body
      ? {
          requestBody: {
            // Only channel creation needs a body; an empty check body means "all defaults".
            required: r.method === 'post' && r.path.endsWith('/channels/'),
            content: { 'application/json': { schema: ref(r.body) } },
          },
        }
      : {}),
    security: SECURITY[r.access],
    responses,
    ...(r.extension ? { 'x-vigil-extension': true } : {}),
  }
}

/** The whole document, absolute to this instance's SITE_ROOT. */
export function openApiDocument(siteRoot: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const r of API_ROUTES) {
    paths[r.path] ??= {}
    paths[r.path][r.method] = operation(r)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil management API',
      version: '3',
      description:
        'Healthchecks-compatible management API (v1 and v2 are the same endpoints with the small ' +
        'differences Healthchecks has). Operations marked x-vigil-extension exist only in Vigil, under /api/v3/.',
    },
    servers: [{ url: siteRoot }],
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    tags: ['checks', 'pings', 'flips', 'channels', 'badges', 'metrics', 'meta'].map((name) => ({
      name,
    })),
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Api-Key',
          description: 'A POST may send `api_key` in the JSON body instead.',
        },
        metricsKey: { type: 'apiKey', in: 'header', name: 'X-Metrics-Key' },
        bearer: { type: 'http', scheme: 'bearer', description: "The project's read-only API key." },
      },
    },
  }
}
