/**
 * The context every use case receives: database, clock, configuration and logger.
 * Use cases read the clock once (`ctx.clock.now()`) and pass `now` down to pure logic.
 */
import type { Logger } from 'pino'
import type { Config } from './config/index.js'
import type { Db } from './db/index.js'

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export interface Ctx {
  db: Db
  clock: Clock
  config: Config
  log: Logger
}
