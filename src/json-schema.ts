/**
 * The JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) type that request validators publish
 * next to their hand-written rules, so the OpenAPI document (api/openapi.ts) is built from the same
 * place that validates. Only the type lives here: no validation engine.
 */
export type JsonSchema = { [keyword: string]: unknown }
