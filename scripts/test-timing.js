// Preloaded into every test-file process by scripts/test.js (NODE_OPTIONS=--import): on exit,
// appends "<compiled test file>\t<CPU seconds>\t<wall seconds>\t<start ms>\t<end ms>\t<children's
// CPU seconds>" (epoch ms, the start being the process's own; the children are the processes it
// started and waited for, such as the vigil CLI and Chromium, read from /proc on Linux, else 0) to
// VIGIL_TEST_TIMINGS, so the run can report where the CPU
// went, how many files ran at once over time, and `--record-durations` can keep the order of the
// next runs.
// Processes that are not a test file (the vigil CLI a test starts, …) write nothing.
import { appendFileSync, readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

const started = Date.now()
const log = process.env.VIGIL_TEST_TIMINGS
const file = process.argv[1] ?? ''
if (log && /\.test\.js$/.test(file)) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage()
    const cpu = ((user + system) / 1e6).toFixed(2)
    const wall = ((Date.now() - started) / 1000).toFixed(2)
    try {
      const span = `${Math.round(performance.timeOrigin)}\t${Date.now()}`
      appendFileSync(log, `${file}\t${cpu}\t${wall}\t${span}\t${childrenCpu()}\n`)
    } catch {
      // Timing is a report only; never fail a test file for it.
    }
  })
}

/** CPU seconds of the children this process reaped (cutime + cstime in /proc/self/stat). */
function childrenCpu() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // After the name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
    return ((Number(fields[13]) + Number(fields[14])) / 100).toFixed(2)
  } catch {
    return '0'
  }
}
