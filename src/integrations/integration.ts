/**
 * What every channel kind provides: input validation (`parseConfig`, shared by the API's channel
 * provisioning and the UI form), a masked view for display, the switch that says whether this
 * instance can send it, a no-op rule per status and a delivery function. The worker (alerts/)
 * owns claiming, retries and bookkeeping; an integration only renders and sends once.
 * Mirrors Healthchecks' Transport (is_noop, notify raising TransportError(message, permanent)).
 */
import type { Config } from '../config/index.js'
import type { Ctx } from '../context.js'
import type { Channel, Check, Flip, Notification } from '../db/index.js'
import type { Result } from '../result.js'
import type { GroupMessageInput } from './group-message.js'

/** Status a notification announces. */
export type AlertStatus = 'up' | 'down'

export interface DeliveryInput {
  channel: Channel
  check: Check
  /** null for test notifications (not sent by the worker yet). */
  flip: Flip | null
  notification: Notification
  /**
   * Set when this notification carries a grouped message (alerts/alert-groups.ts): render the
   * group instead of `check`. Only given to kinds with `rendersGroups`.
   */
  group?: GroupMessageInput
}

export type DeliveryResult =
  /**
   * Delivered. `handedOff` means another queue (the mail outbox) now owns the notification and
   * will mark it sent or failed itself.
   */
  | { ok: true; handedOff?: 'mail-outbox' }
  /**
   * Not delivered. Permanent errors (the service refused this request for good) are not retried;
   * `disableChannel` also switches the channel off, as Healthchecks does for e.g. Slack 404s.
   */
  | { ok: false; error: string; permanent: boolean; disableChannel?: boolean }

/** Why a channel's input was refused: the field (as named in the input) and what is wrong. */
export interface ConfigProblem {
  kind: 'invalid-config'
  field: string
  problem: string
}

/** One input of a kind's configuration form; `name` is the parseConfig input field it fills. */
export interface FormField {
  name: string
  label: string
  type: 'text' | 'url' | 'password' | 'number' | 'select' | 'checkbox' | 'textarea'
  /** The choices of a select. */
  options?: Array<{ value: string; label: string }>
  help?: string
  required?: boolean
  /**
   * Never shown back on the edit form (a blank input keeps the stored one). Password fields are
   * always secret; set this for other types whose value carries a secret (incoming-webhook URLs).
   */
  secret?: boolean
}

export interface Integration {
  kind: string
  /** Display name, e.g. "Microsoft Teams". */
  label: string
  /**
   * null when this instance can send the kind; otherwise the error its notifications fail with
   * (e.g. "Slack notifications are not enabled."), so forms and the API can say so up front.
   */
  unavailableReason(config: Config): string | null
  /**
   * Validates user or API input for this kind and returns the channel's stored `value` (the
   * format Healthchecks stores, so imported channels keep working).
   */
  parseConfig(input: unknown): Result<string, ConfigProblem>
  /** The inputs of the web form that adds or edits a channel of this kind, in order. */
  formFields?: FormField[]
  /**
   * The stored value as parseConfig input (its inverse), to prefill the edit form and keep a
   * secret left blank. Without it the web form reads a JSON object value as-is, or any other
   * value as the first form field.
   */
  formValues?(value: string): Record<string, unknown>
  /** The stored value for display, secrets shown only as `…` plus their last 4 characters. */
  maskedConfig(value: string): Record<string, unknown>
  /** True when the channel's configuration says not to send anything for this status. */
  isNoop(value: string, status: AlertStatus): boolean
  /** True when `deliver` draws `input.group`; other kinds get a stand-in check (alert-group-delivery.ts). */
  rendersGroups?: boolean
  /**
   * True for the incident services (PagerDuty, Opsgenie, Splunk On-Call, PagerTree, Spike): a
   * down notification opens an incident keyed by the check that only its up notification
   * closes. A warning (late, run insight) has no such up, so these kinds never get warnings
   * and refuse `notify_late` (registry.ts `takesWarnings`).
   */
  opensIncidents?: boolean
  deliver(ctx: Ctx, input: DeliveryInput): Promise<DeliveryResult>
}
