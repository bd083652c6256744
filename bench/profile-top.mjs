// `node bench/profile-top.mjs <file>.cpuprofile [frames=25] [window-seconds=10]`: the top self-time
// frames of a V8 CPU profile over its last seconds (bench:ping's load, not the start-up).
import { readFileSync } from 'node:fs'

const p = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const n = Number(process.argv[3] ?? 25)
const windowUs = Number(process.argv[4] ?? 10) * 1e6
const byId = new Map(p.nodes.map((x) => [x.id, x]))
const times = []
let t = p.startTime
for (const d of p.timeDeltas) {
  t += d
  times.push(t)
}
const from = p.endTime - windowUs
const self = new Map()
let total = 0
let idle = 0
for (let i = 0; i < p.samples.length; i++) {
  if (times[i] < from) continue
  const d = p.timeDeltas[i + 1] ?? 0
  const cf = byId.get(p.samples[i]).callFrame
  const key = `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\/(node_modules\/|src\/)/, '$1').replace(/^node:internal\//, '')}:${cf.lineNumber + 1}`
  if (key.startsWith('(idle)')) {
    idle += d
    continue
  }
  self.set(key, (self.get(key) ?? 0) + d)
  total += d
}
console.log(
  `busy ${(total / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s in the last ${windowUs / 1e6} s`,
)
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, n))
  console.log(`| ${((100 * v) / total).toFixed(1)} % | \`${k}\` |`)
