/**
 * Pure: rows of (check id, UUID) grouped per check, in row order, for the lists a check's JSON
 * carries (`channels`, `depends_on`). Checks without rows are absent from the map.
 */

/** UUIDs per check id, each list in the order of `rows`. */
export function codesByCheck(
  rows: readonly { checkId: number; code: string }[],
): Map<number, string[]> {
  const out = new Map<number, string[]>()
  for (const r of rows) {
    const codes = out.get(r.checkId)
    if (codes) codes.push(r.code)
    else out.set(r.checkId, [r.code])
  }
  return out
}
