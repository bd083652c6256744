/**
 * The Result type use cases return: expected failures are values with a `kind`, only bugs throw.
 */
export type Result<T, E extends { kind: string }> = { ok: true; value: T } | { ok: false; error: E }

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value }
}

export function err<E extends { kind: string }>(error: E): { ok: false; error: E } {
  return { ok: false, error }
}
