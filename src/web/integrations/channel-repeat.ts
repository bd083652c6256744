/**
 * Pure: the channel "Repeat" form (issue 14 §7) and the provisioning API body it becomes: an
 * interval as a number and a unit (minutes, hours, days), blank or 0 for no repeats, and the most
 * repeats. Validation stays in channels/ (repeat-spec.ts), the same rules the API applies.
 */
import type { Channel } from '../../db/index.js'
import { formField } from '../render.js'

export const REPEAT_UNITS = [
  { value: '60', label: 'minutes' },
  { value: '3600', label: 'hours' },
  { value: '86400', label: 'days' },
] as const

/** What the form shows. */
export interface RepeatFormValues {
  every: string
  unit: string
  max: string
}

/** The stored settings in the largest unit that divides the interval. */
export function storedRepeatValues(channel: Pick<Channel, 'repeat_every' | 'repeat_max'>) {
  if (channel.repeat_every <= 0) return { every: '', unit: '3600', max: '' }
  const unit = [...REPEAT_UNITS].reverse().find((u) => channel.repeat_every % Number(u.value) === 0)
  const size = Number(unit?.value ?? 60)
  return {
    every: String(Math.floor(channel.repeat_every / size)),
    unit: String(size),
    max: String(channel.repeat_max),
  }
}

export function postedRepeatValues(body: unknown): RepeatFormValues {
  return {
    every: formField(body, 'repeat_every').trim(),
    unit: formField(body, 'repeat_unit').trim(),
    max: formField(body, 'repeat_max').trim(),
  }
}

/**
 * The posted form as an update body: numbers where the inputs hold whole numbers, otherwise
 * the text as typed, so repeat-spec.ts refuses it with its usual message.
 */
export function repeatUpdateBody(v: RepeatFormValues): Record<string, unknown> {
  const int = (s: string) => (/^\d{1,9}$/.test(s) ? Number(s) : s)
  if (v.every === '' || v.every === '0') return { repeat_every: 0 }
  const every = int(v.every)
  const unit = REPEAT_UNITS.find((u) => u.value === v.unit)
  const body: Record<string, unknown> = {
    repeat_every: typeof every === 'number' && unit ? every * Number(unit.value) : every,
  }
  if (v.max !== '') body.repeat_max = int(v.max)
  return body
}
