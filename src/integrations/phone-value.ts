/**
 * Pure: the stored value of the phone kinds (SMS, WhatsApp, phone call, Signal), as Healthchecks
 * stores it: JSON `{"value": "+15551234567", "label", "up", "down"}`, or legacy a bare number.
 * A Signal username (it contains a dot) is stored with a `u:` prefix.
 */
import { ok } from '../result.js'
import {
  fieldsOf,
  jsonObject,
  type Parsed,
  problem,
  readBool,
  readString,
} from './channel-input.js'
import type { AlertStatus, FormField, Integration } from './integration.js'

export interface PhoneValue {
  value: string
  label: string
  up: boolean
  down: boolean
}

export const PHONE_PATTERN = /^\+\d{5,15}$/

export function parsePhoneValue(value: string, dflt: { up: boolean; down: boolean }): PhoneValue {
  const v = value.trim()
  if (!v.startsWith('{')) return { value: v, label: '', ...dflt }
  const doc = jsonObject(v)
  const flag = (name: 'up' | 'down') =>
    typeof doc[name] === 'boolean' ? (doc[name] as boolean) : dflt[name]
  return {
    value: typeof doc.value === 'string' ? doc.value : '',
    label: typeof doc.label === 'string' ? doc.label : '',
    up: flag('up'),
    down: flag('down'),
  }
}

export function isPhoneNoop(value: PhoneValue, status: AlertStatus): boolean {
  return status === 'up' ? !value.up : !value.down
}

/**
 * Input `{"value": "+…", "label", "up", "down"}` (or a bare number) → the stored JSON. Signal
 * also accepts a username (`name.01`), stored as `u:name.01`.
 */
export function parsePhoneInput(
  input: unknown,
  options: { dflt: { up: boolean; down: boolean }; usernames?: boolean; toggles?: boolean },
): Parsed<string> {
  const f = fieldsOf(input, 'value')
  if (!f.ok) return f
  const raw = readString(f.value, 'value', { max: 64 })
  if (!raw.ok) return raw
  let value = raw.value.replace(/[\s()-]/g, '')
  if (options.usernames && raw.value.includes('.')) {
    const name = raw.value.replace(/^u:/, '')
    if (!/^[A-Za-z0-9_]{3,32}\.\d{2,9}$/.test(name))
      return problem('value', 'must be a Signal username such as name.01')
    value = `u:${name}`
  } else if (!PHONE_PATTERN.test(value)) {
    return problem('value', 'must be a phone number in international format, e.g. +15551234567')
  }
  const label = readString(f.value, 'label', { max: 100, required: false })
  if (!label.ok) return label
  const doc: Record<string, unknown> = { value, label: label.value }
  if (options.toggles !== false) {
    const up = readBool(f.value, 'up', options.dflt.up)
    if (!up.ok) return up
    const down = readBool(f.value, 'down', options.dflt.down)
    if (!down.ok) return down
    if (!up.value && !down.value) return problem('down', 'at least one of up and down must be on')
    doc.up = up.value
    doc.down = down.value
  }
  return ok(JSON.stringify(doc))
}

/** A number shown masked: country code and the last 4 digits. */
export function maskPhone(value: string): string {
  if (value.startsWith('u:')) return value
  return value.length > 7 ? `${value.slice(0, 3)}…${value.slice(-4)}` : '…'
}

/** The form of a phone channel: the number (or Signal username), a label, the up/down switches. */
export function phoneFormFields(o: { toggles: boolean; usernames?: boolean }): FormField[] {
  const fields: FormField[] = [
    {
      name: 'value',
      label: o.usernames ? 'Phone number or Signal username' : 'Phone number',
      type: 'text',
      required: true,
      secret: true,
      help: 'International format, e.g. +15551234567.',
    },
    { name: 'label', label: 'Label', type: 'text', help: 'Optional, shown in the message.' },
  ]
  if (!o.toggles) return fields
  return [
    ...fields,
    { name: 'down', label: 'Notify when a check goes down', type: 'checkbox' },
    { name: 'up', label: 'Notify when a check comes back up', type: 'checkbox' },
  ]
}

/**
 * The form, input parsing, masking and up/down switches of a phone kind with toggles (SMS,
 * WhatsApp, Signal): `dflt` is the switches a value without them reads as.
 */
export function togglePhoneParts(
  dflt: { up: boolean; down: boolean },
  o: { usernames?: boolean } = {},
): Pick<Integration, 'formFields' | 'parseConfig' | 'maskedConfig' | 'isNoop'> {
  return {
    formFields: phoneFormFields({ toggles: true, usernames: o.usernames }),
    parseConfig: (input) => parsePhoneInput(input, { dflt, usernames: o.usernames }),
    maskedConfig(value) {
      const v = parsePhoneValue(value, dflt)
      return { ...v, value: maskPhone(v.value) }
    },
    isNoop: (value, status) => isPhoneNoop(parsePhoneValue(value, dflt), status),
  }
}
