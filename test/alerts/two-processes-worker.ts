/**
 * A worker process for two-processes.test.ts: builds its own context from the environment
 * (DATABASE_URL naming the test's database) and runs startWorker with the real clock until
 * SIGTERM, then stops cleanly. Prints "ready" once the loop has started.
 */
import pino from 'pino'
import { startWorker } from '../../src/alerts/index.js'
import { loadConfig } from '../../src/config/index.js'
import { systemClock } from '../../src/context.js'
import { openDatabase } from '../../src/db/index.js'

const config = loadConfig(process.env)
const db = openDatabase(config.db)
const ctx = { db, clock: systemClock, config, log: pino({ level: 'error' }) }
const worker = startWorker(ctx, { workerId: process.env.WORKER_ID })
process.stdout.write('ready\n')
process.on('SIGTERM', () => {
  void worker
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0))
})
