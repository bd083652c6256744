/**
 * The shapes of identifiers in API paths, as Healthchecks' URL converters accept them: a
 * lowercase canonical UUID (Django's `uuid`), a 40-character unique key (its `sha1` converter,
 * `[A-z0-9]{40}`), and a ping number (Django's `int`: digits only).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const SHA1 = /^[A-z0-9]{40}$/
const INT = /^[0-9]+$/

export const isUuid = (s: string | undefined): s is string => s !== undefined && UUID.test(s)
export const isUniqueKey = (s: string | undefined): s is string => s !== undefined && SHA1.test(s)
export const isPingNumber = (s: string | undefined): s is string => s !== undefined && INT.test(s)

/** The last value of a query parameter (Django's QueryDict.get), or undefined. */
export function lastValue(values: string[] | undefined): string | undefined {
  return values === undefined || values.length === 0 ? undefined : values[values.length - 1]
}
