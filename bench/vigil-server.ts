/**
 * Vigil's own HTTP app (role web: pings, API, pages; no worker) for `npm run bench:pages`,
 * configured from the environment like `vigil serve`. Prints its port.
 */
import pino from 'pino'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config/index.js'
import { systemClock } from '../src/context.js'
import { openDatabase } from '../src/db/index.js'

const config = loadConfig(process.env)
const db = openDatabase(config.db)
const app = await buildApp({ db, clock: systemClock, config, log: pino({ level: 'warn' }) })
await app.listen({ port: 0, host: '127.0.0.1' })
const addr = app.server.address()
process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`)
