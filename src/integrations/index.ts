/**
 * Channel kinds: the registry, the shared delivery types and the outbound HTTP guard.
 */
export { isNoopFor as isEmailNoop, parseEmailValue } from './email.js'
export { escapeHtml } from './email-message.js'
export {
  type GroupMessageInput,
  groupFallbackText,
  groupMessageInput,
  groupStatus,
  groupTitle,
} from './group-message.js'
export { formBody, parseAnswer } from './http-delivery.js'
export type {
  AlertStatus,
  ConfigProblem,
  DeliveryInput,
  DeliveryResult,
  FormField,
  Integration,
} from './integration.js'
export {
  type OutboundRequest,
  type OutboundResult,
  PRIVATE_IP_ERROR,
  sendOutbound,
} from './outbound-http.js'
export { isPrivateAddress } from './private-address.js'
export {
  incidentKinds,
  integrationFor,
  NO_WARNINGS,
  supportedKinds,
  takesWarnings,
} from './registry.js'
export { WARNING_STATUS } from './warning-facts.js'
export { parseWebhookValue, type WebhookSpec } from './webhook-spec.js'
