/**
 * Object keys of ping bodies (pure). Healthchecks' layout `<check uuid>/<enc(n)>` serves bodies the
 * worker moves and rows imported from Healthchecks; a body uploaded before its ping is committed
 * cannot know n yet, so it gets a random key under its check's UUID (the row stores the key).
 * Mirrors hc/lib/s3.py `enc` (larger n sort first, so "n ≤ X" is a listing from enc(X+1)).
 */
import { randomUUID } from 'node:crypto'

/** Healthchecks' enc(n): one letter for the digit count, each digit d as chr(ord('j') − d), '-', n. */
export function encodeSequence(n: number): string {
  const digits = String(n)
  const letter = String.fromCharCode('z'.charCodeAt(0) - digits.length + 1)
  const mapped = [...digits].map((d) => String.fromCharCode('j'.charCodeAt(0) - Number(d))).join('')
  return `${letter}${mapped}-${digits}`
}

/** Where Healthchecks keeps ping n of the check with this UUID. */
export function healthchecksObjectKey(checkCode: string, n: number): string {
  return `${checkCode}/${encodeSequence(n)}`
}

/**
 * A fresh key for a body uploaded before its ping has a number: under the check's UUID when the
 * ping named it, under `slug-pings/` when it came by ping key and slug (the check is not known yet).
 */
export function newObjectKey(checkCode: string | null): string {
  return `${checkCode ?? 'slug-pings'}/${randomUUID()}`
}
