/**
 * The channel kinds Vigil can send to. Adding a kind = one module exporting an Integration plus
 * one line here. Kinds stored in the database but missing here fail their notifications with a
 * clear error instead of being skipped silently.
 */
import { emailIntegration } from './email.js'
import type { Integration } from './integration.js'
import { webhookIntegration } from './webhook.js'

const INTEGRATIONS: ReadonlyMap<string, Integration> = new Map(
  [emailIntegration, webhookIntegration].map((i) => [i.kind, i]),
)

/** The integration for a channel kind, or undefined for a kind this version cannot send. */
export function integrationFor(kind: string): Integration | undefined {
  return INTEGRATIONS.get(kind)
}

/** Every kind that can be sent. */
export function supportedKinds(): string[] {
  return [...INTEGRATIONS.keys()]
}
