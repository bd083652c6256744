/**
 * The OpenAPI 3.1 document served at `/api/v3/openapi.json`. Every route file declares the
 * operations it serves beside its handlers (`*_ROUTE_DOCS`, typed by src/route-doc.ts: Healthchecks'
 * API, the badge images, Prometheus and Vigil's own extensions, which carry
 * `x-vigil-extension: true`); this joins them with the request schemas the validators use
 * (checks/check-input.ts's TypeBox CheckSpecSchema, channels/channel-spec.ts) and the response
 * schemas below.
 * test/api/openapi.test.ts checks that served routes and methods are exactly the documented ones.
 * Pure: the site root comes in as a value.
 */

import { BADGE_ROUTE_DOCS } from '../badges/index.js'
import { channelSpecSchema, repeatSchemaProperties } from '../channels/index.js'
import { CheckSpecSchema, MaintenanceSchema } from '../checks/index.js'
import type { JsonSchema } from '../json-schema.js'
import type { RouteAccess, RouteDoc } from '../route-doc.js'
import { CHANNEL_ROUTE_DOCS } from './channel-routes.js'
import { CHECK_ROUTE_DOCS } from './check-routes.js'
import { DELIVERY_REPORT_ROUTE_DOCS } from './delivery-report-routes.js'
import { FLIP_ROUTE_DOCS } from './flip-routes.js'
import { HOLD_ROUTE_DOCS } from './hold-routes.js'
import { METRICS_ROUTE_DOCS } from './metrics-routes.js'
import { PING_ROUTE_DOCS } from './ping-routes.js'
import { PROJECT_ROUTE_DOCS } from './project-routes.js'
import { PROMETHEUS_ROUTE_DOCS } from './prometheus-routes.js'
import { STATUS_ROUTE_DOCS } from './status-routes.js'

/**
 * The document itself (served by openapi-routes.ts, which imports this module: declared here so
 * the two modules do not import each other).
 */
const OPENAPI_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v3/openapi.json',
    summary: 'This document',
    access: 'public',
    tag: 'meta',
    extension: true,
    responses: { '200': { description: 'OpenAPI 3.1 document.', media: 'application/json' } },
  },
]

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

/**
 * Every endpoint, in the order of Healthchecks' URL table and then Vigil's additions. Each route
 * file declares its own operations beside its handlers (`*_ROUTE_DOCS`); this only joins them.
 */
export const API_ROUTES: readonly RouteDoc[] = [
  ...CHECK_ROUTE_DOCS,
  ...PING_ROUTE_DOCS,
  ...FLIP_ROUTE_DOCS,
  ...CHANNEL_ROUTE_DOCS,
  ...PROJECT_ROUTE_DOCS,
  ...METRICS_ROUTE_DOCS,
  ...STATUS_ROUTE_DOCS,
  ...DELIVERY_REPORT_ROUTE_DOCS,
  ...OPENAPI_ROUTE_DOCS,
  ...BADGE_ROUTE_DOCS,
  ...PROMETHEUS_ROUTE_DOCS,
  ...HOLD_ROUTE_DOCS,
]

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

/** Vigil extension: the body of a snooze (checks/snooze.ts). */
const SNOOZE_REQUEST = {
  type: 'object',
  'x-vigil-extension': true,
  description: 'Exactly one of `minutes` and `until`.',
  properties: {
    minutes: { type: 'integer', minimum: 1, maximum: 43_200 },
    until: { type: 'string', format: 'date-time', examples: ['2026-01-15T18:00:00+02:00'] },
    reason: { type: 'string', maxLength: 200 },
  },
} as const

/** The request fields of CheckSpec, for the Check response where they come back as stored. */
const specField = (name: keyof typeof CheckSpecSchema.properties): JsonSchema =>
  CheckSpecSchema.properties[name] as unknown as JsonSchema

const SCHEMAS: Record<string, JsonSchema> = {
  Error: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] },
  // The schema create and update validate with (Vigil's alert policy fields: API v3 only).
  CheckSpec: CheckSpecSchema as unknown as JsonSchema,
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
      max_runtime: {
        type: ['integer', 'null'],
        'x-vigil-extension': true,
        description:
          'Vigil extension (API v3 only). Seconds a run may take after /start and after each /progress ping before the check goes down (reason "ran too long"); null: grace bounds runs, as in Healthchecks.',
      },
      min_runtime: {
        type: ['integer', 'null'],
        'x-vigil-extension': true,
        description:
          'Vigil extension (API v3 only). Seconds a /start → success run must at least take, else the check goes down (reason "finished too fast"); null: no lower bound.',
      },
      // Run insight (v3 only): the request fields of CheckSpec, as they are stored.
      ...Object.fromEntries(
        [
          'unusual_duration_warning',
          'new_source_days',
          'source_scope',
          'two_sources_warning',
          'too_often_warning',
        ].map((f) => [f, specField(f as keyof typeof CheckSpecSchema.properties)]),
      ),
      depends_on: {
        type: 'array',
        items: { type: 'string', format: 'uuid' },
        description:
          'Vigil extension, API v3 with a read-write key: UUIDs of the checks this check depends on (sorted). While one of them is down, this check’s down alert is held.',
        'x-vigil-extension': true,
      },
      snoozed_until: {
        type: ['string', 'null'],
        format: 'date-time',
        'x-vigil-extension': true,
        description: 'v3 only: when the snooze ends; null when not snoozed.',
      },
      snooze_reason: { type: 'string', 'x-vigil-extension': true, description: 'v3 only.' },
      maintenance: MaintenanceSchema as unknown as JsonSchema,
      // Vigil extensions, API v3 only (checks/alert-policy.ts).
      ...Object.fromEntries(
        (
          [
            'alert_failures',
            'alert_delay',
            'fail_window',
            'fail_threshold',
            'recover_successes',
            'warn_after',
          ] as const
        ).map((f) => [f, specField(f)]),
      ),
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
  SnoozeRequest: SNOOZE_REQUEST,
  ProjectSnoozeRequest: {
    ...SNOOZE_REQUEST,
    properties: { ...SNOOZE_REQUEST.properties, tags: { type: 'string', examples: ['db prod'] } },
  },
  ProjectSnooze: {
    type: 'object',
    'x-vigil-extension': true,
    properties: {
      snoozed_until: { type: 'string', format: 'date-time' },
      checks: { type: 'array', items: { type: 'string', format: 'uuid' } },
    },
    required: ['snoozed_until', 'checks'],
  },
  ProjectMaintenance: {
    type: 'object',
    'x-vigil-extension': true,
    properties: { maintenance: MaintenanceSchema as unknown as JsonSchema },
    required: ['maintenance'],
  },
  CheckList: {
    type: 'object',
    properties: { checks: { type: 'array', items: ref('Check') } },
    required: ['checks'],
  },
  Ping: {
    type: 'object',
    properties: {
      type: {
        enum: ['success', 'start', 'fail', 'log', 'ign', 'progress'],
        description:
          '`progress` is a Vigil extension: a /progress ping that moved a running job’s max_runtime deadline (clients written for Healthchecks should treat unknown types like `log`).',
      },
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
    properties: {
      timestamp: { type: 'string', format: 'date-time' },
      up: { enum: [0, 1] },
      held_reason: {
        type: 'string',
        description:
          'Vigil extension (v3 only): why an alert gate (dependencies, snooze, maintenance, ' +
          "thresholds, flapping protection) held or suppressed this status change's alert; " +
          'empty when none did.',
      },
    },
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
      ...repeatSchemaProperties(),
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

const SECURITY: Record<RouteAccess, Array<Record<string, string[]>>> = {
  read: [{ apiKey: [] }],
  write: [{ apiKey: [] }],
  public: [],
  'metrics-key': [{ metricsKey: [] }],
  'prometheus-key': [{ bearer: [] }],
}

function operation(r: RouteDoc): Record<string, unknown> {
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
