/**
 * A worker process for two-processes.test.ts: builds its own context from the environment
 * (DATABASE_URL naming the test's database) and runs startWorker with the real clock until
 * SIGTERM, then stops cleanly. Prints "ready" once the loop has started. CLOCK_OFFSET_MS runs
 * its clock ahead (a worker started "after" another's lease expired, without waiting minutes).
 */
import pino from 'pino'
import { startWorker } from '../../src/alerts/index.js'
import { loadConfig } from '../../src/config/index.js'
import { systemClock } from '../../src/context.js'
import { openDatabase } from '../../src/db/index.js'

const config = loadConfig(process.env)
const db = openDatabase(config.db)
const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0)
const clock = offset === 0 ? systemClock : { now: () => Date.now() + offset }
const ctx = { db, clock, config, log: pino({ level: 'error' }) }
const worker = startWorker(ctx, { workerId: process.env.WORKER_ID })
process.stdout.write('ready\n')
process.on('SIGTERM', () => {
  void worker
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0))
})
