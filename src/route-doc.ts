/**
 * How an HTTP endpoint is described in the OpenAPI document (src/api/openapi.ts): each route file
 * declares its operations beside the handlers that serve them, so adding or changing an endpoint
 * is one edit in one place; tests check that the served routes and methods are exactly the
 * documented ones. Shared by the API and the badge routes, so it sits at the root.
 */

export type RouteMethod = 'get' | 'post' | 'delete'

/** Who may call: an API key (read-only keys accepted or not), another secret, or anyone. */
export type RouteAccess = 'read' | 'write' | 'public' | 'metrics-key' | 'prometheus-key'

export interface RouteDoc {
  method: RouteMethod
  /** OpenAPI path template, as Healthchecks spells it (trailing slashes included). */
  path: string
  summary: string
  description?: string
  access: RouteAccess
  tag: 'checks' | 'pings' | 'flips' | 'channels' | 'badges' | 'metrics' | 'meta'
  /** components.schemas name of the JSON request body. */
  body?: string
  /** Status → description and optional components.schemas name (or media type for non-JSON). */
  responses: Record<string, { description: string; schema?: string; media?: string }>
  /** A Vigil addition beyond Healthchecks' API. */
  extension?: true
}

export const AUTH_ERRORS = {
  '401': {
    description: 'Missing API key, wrong key, or a read-only key where one is not enough.',
    schema: 'Error',
  },
}
export const NOT_YOURS = {
  '403': { description: "Another project's object (empty body)." },
  '404': { description: 'No such object, or a malformed identifier.' },
}
export const BAD_REQUEST = {
  '400': {
    description:
      'Unparsable JSON, not an object, or a field failing validation (named in the message).',
    schema: 'Error',
  },
}
