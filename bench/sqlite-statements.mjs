// Preload for a Vigil process (`node --import ./bench/sqlite-statements.mjs …`, e.g. through
// bench:alerts' BENCH_NODE_ARGS): counts and times every better-sqlite3 statement by SQL text
// (prepares separately) and writes the top 50 to SQLSTAT_OUT (default /tmp/sqlstat-<pid>.txt)
// when the process exits. A diagnostic only: the wrappers add their own overhead.

import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const Database = require('better-sqlite3')
const stats = new Map()
const origPrepare = Database.prototype.prepare
Database.prototype.prepare = function (sql) {
  const t = process.hrtime.bigint()
  const stmt = origPrepare.call(this, sql)
  const prepNs = Number(process.hrtime.bigint() - t)
  const key = sql
    .replace(/\s+/g, ' ')
    .replace(/\?(, ?\?)+/g, '?,…')
    .slice(0, 160)
  let s = stats.get(key)
  if (!s) {
    s = { n: 0, ns: 0, prepN: 0, prepNs: 0 }
    stats.set(key, s)
  }
  s.prepN++
  s.prepNs += prepNs
  for (const m of ['run', 'all', 'get', 'iterate']) {
    const orig = stmt[m]
    if (typeof orig !== 'function') continue
    stmt[m] = function (...args) {
      const t1 = process.hrtime.bigint()
      try {
        return orig.apply(this, args)
      } finally {
        const d = Number(process.hrtime.bigint() - t1)
        s.n++
        s.ns += d
      }
    }
  }
  return stmt
}
process.on('exit', () => {
  const rows = [...stats].sort((a, b) => b[1].ns + b[1].prepNs - a[1].ns - a[1].prepNs)
  let out = 'exec_ms prep_ms n sql\n'
  for (const [k, s] of rows.slice(0, 50))
    out += `${(s.ns / 1e6).toFixed(0)} ${(s.prepNs / 1e6).toFixed(0)} ${s.n} ${k}\n`
  writeFileSync(process.env.SQLSTAT_OUT ?? `/tmp/sqlstat-${process.pid}.txt`, out)
})
