/**
 * A small in-process cache whose entries live `ttlMs` by the caller's clock: status pages keep
 * their rendered output (and the slug lookups) here so a burst of visitors does not reach the
 * database each time. An optimisation only: other processes keep their own, so a change shows
 * everywhere within `ttlMs`, and at once in the process that made it (`deleteWhere`).
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>()

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get(key: string, now: number): V | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    if (e.expires <= now) {
      this.entries.delete(key)
      return undefined
    }
    return e.value
  }

  set(key: string, value: V, now: number): void {
    // Full: drop the oldest entry (Map keeps insertion order).
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    this.entries.set(key, { value, expires: now + this.ttlMs })
  }

  /** Computes and keeps the value of `key` unless a fresh one is kept. */
  async getOrSet(key: string, now: number, make: () => Promise<V>): Promise<V> {
    const kept = this.get(key, now)
    if (kept !== undefined) return kept
    const value = await make()
    this.set(key, value, now)
    return value
  }

  deleteWhere(test: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (test(key)) this.entries.delete(key)
  }
}
