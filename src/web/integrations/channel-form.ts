/**
 * Pure: turning a posted channel form into the kind's parseConfig input, and a stored value back
 * into form values (secrets left out). The fields come from the kind's `formFields`; validation
 * stays in the kind's own parseConfig, the same rules the provisioning API applies.
 */
import type { FormField, Integration } from '../../integrations/index.js'
import { formField } from '../render.js'

/** What an input shows: text for most types, on/off for checkboxes. */
export type FormValues = Record<string, string | boolean>

/** The name of the "notify on late" checkbox of every channel form (NotifyLateField). */
export const NOTIFY_LATE_FIELD = 'notify_late'

/** The posted "notify on late" checkbox as the channel spec's `notify_late`. */
export function postedNotifyLate(body: unknown): { notify_late: boolean } {
  return { notify_late: formField(body, NOTIFY_LATE_FIELD) === '1' }
}

/** True when the field's value must not be shown back (password inputs and marked secrets). */
export function isSecretField(field: FormField): boolean {
  return field.type === 'password' || field.secret === true
}

/** The stored value as parseConfig input (the kind's formValues, or a generic reading). */
export function storedInput(integration: Integration, value: string): Record<string, unknown> {
  if (integration.formValues) return integration.formValues(value)
  try {
    const doc = JSON.parse(value)
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc
  } catch {
    // A bare value: the kind's main (first) field, as parseConfig reads a bare string.
  }
  const first = integration.formFields?.[0]
  return first ? { [first.name]: value } : {}
}

/** The edit form's initial values: the stored configuration with secret fields blank. */
export function storedFormValues(integration: Integration, value: string): FormValues {
  const input = storedInput(integration, value)
  const values: FormValues = {}
  for (const field of integration.formFields ?? []) {
    const v = input[field.name]
    if (field.type === 'checkbox') values[field.name] = v === true
    else if (isSecretField(field)) values[field.name] = ''
    else values[field.name] = typeof v === 'string' || typeof v === 'number' ? String(v) : ''
  }
  return values
}

/** A new channel's form: checkboxes on, everything else blank (parseConfig applies defaults). */
export function blankFormValues(fields: FormField[]): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, f.type === 'checkbox' ? true : '']))
}

/** The posted values as typed (re-shown on error; secrets are not echoed back). */
export function postedFormValues(fields: FormField[], body: unknown): FormValues {
  const values: FormValues = {}
  for (const field of fields) {
    if (field.type === 'checkbox') values[field.name] = formField(body, field.name) === '1'
    else values[field.name] = isSecretField(field) ? '' : formField(body, field.name)
  }
  return values
}

/**
 * The posted form as parseConfig input. Blank inputs are left out (the kind's default applies),
 * integers become numbers, an unticked checkbox is an explicit false. On edit, a secret left
 * blank takes the stored one from `stored`.
 */
export function formConfigInput(
  fields: FormField[],
  body: unknown,
  stored?: Record<string, unknown>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  for (const field of fields) {
    const raw = formField(body, field.name)
    if (field.type === 'checkbox') {
      input[field.name] = raw === '1'
      continue
    }
    const text = field.type === 'textarea' ? raw.replace(/\r\n/g, '\n') : raw.trim()
    if (text === '') {
      if (stored && isSecretField(field) && stored[field.name] !== undefined)
        input[field.name] = stored[field.name]
      continue
    }
    input[field.name] = field.type === 'number' && /^-?\d+$/.test(text) ? Number(text) : text
  }
  return input
}

/**
 * A posted generic form as the channel spec body createChannel/updateChannel take: the name, the
 * kind's config and notify_late. On edit, `storedValue` keeps the secrets left blank.
 */
export function postedChannelBody(integration: Integration, body: unknown, storedValue?: string) {
  const stored = storedValue === undefined ? undefined : storedInput(integration, storedValue)
  return {
    name: formField(body, 'channel_name'),
    config: formConfigInput(integration.formFields ?? [], body, stored),
    ...postedNotifyLate(body),
  }
}

/** "config.url" → the form field it names, when it is one of `fields`. */
export function problemField(fields: FormField[], field: string): FormField | undefined {
  const name = field.replace(/^config\./, '')
  return fields.find((f) => f.name === name)
}
