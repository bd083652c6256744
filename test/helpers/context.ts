/**
 * Builds a use-case context on a fresh test database with a controllable clock and silent logger.
 */
import pino from 'pino'
import { type Config, type Env, loadConfig } from '../../src/config/index.js'
import type { Clock, Ctx } from '../../src/context.js'
import { createTestDatabase, type TestDialect } from './databases.js'

/** A clock tests move by hand. Starts at 2026-01-15T12:00:00Z. */
export class FakeClock implements Clock {
  constructor(public t = Date.parse('2026-01-15T12:00:00Z')) {}
  now(): number {
    return this.t
  }
  set(iso: string | number): void {
    this.t = typeof iso === 'number' ? iso : Date.parse(iso)
  }
  advance(ms: number): void {
    this.t += ms
  }
}

export interface TestContext extends Ctx {
  clock: FakeClock
  drop(): Promise<void>
}

/**
 * A context on a fresh database. `env` is read as the environment; besides SECRET_KEY, tests get
 * a 50 ms SIGN_IN_LINK_MIN_ANSWER_MS unless they set it (the production 1.5 s floor cost every
 * sign-in link request 1.5 s; the LG-2 test sets it back) and PASSWORD_HASH_COST=test (argon2id
 * at m=1 MiB, t=1: standard hashing was a quarter of the account tests' CPU; RC-2's own test and
 * the config tests use the standard cost).
 */
export async function createTestContext(dialect: TestDialect, env: Env = {}): Promise<TestContext> {
  const { db, dbConfig, drop } = await createTestDatabase(dialect)
  const base = loadConfig({
    SECRET_KEY: 'test-secret-key-0123456789',
    SIGN_IN_LINK_MIN_ANSWER_MS: '50',
    PASSWORD_HASH_COST: 'test',
    ...env,
  })
  const config: Config = Object.freeze({ ...base, db: dbConfig })
  return { db, clock: new FakeClock(), config, log: pino({ level: 'silent' }), drop }
}
