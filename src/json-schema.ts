/**
 * The JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) type that request validators publish,
 * so the OpenAPI document (api/openapi.ts) is built from the same place that validates: a TypeBox
 * schema (checks/check-input.ts's CheckSpecSchema is one) is such an object, and so are the
 * hand-written ones beside rules in code (channels/channel-spec.ts). Only the type lives here.
 */
export type JsonSchema = { [keyword: string]: unknown }
