/**
 * One app for the tests of a file that have the same settings, instead of one per test: buildApp
 * registers ~430 routes, 12–30 ms of CPU once the JIT is warm and up to ~85 ms before, and most
 * test files built one per test.
 *
 * `testApp(ctx)` builds the app over a context that forwards to the current test's context (its
 * database, clock, config and logger: src reads them from ctx when a request comes, never keeps
 * them), and hands the same app to a later test whose context has the same settings (config other
 * than the database's name, and the `web` option). `releaseApp(app)` gives it back when the test
 * ends (an app from buildApp is closed instead). The apps are closed when the file ends.
 *
 * What is not shared: apps with `onRoute`, apps over a context whose logger is not silent (Fastify
 * keeps the logger it was built with), and an app still held by a test: a test that asks for two
 * gets two.
 */
import { after } from 'node:test'
import { isDeepStrictEqual } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { type AppOptions, buildApp } from '../../src/app.js'
import type { Ctx } from '../../src/context.js'

interface SharedApp {
  app: FastifyInstance
  /** The context the app's forwarding context reads from now. */
  target: { ctx: Ctx }
  settings: unknown
  inUse: boolean
}

const shared: SharedApp[] = []
const sharedByApp = new Map<FastifyInstance, SharedApp>()

after(async () => {
  for (const s of shared.splice(0)) await s.app.close()
  sharedByApp.clear()
})

function settingsOf(ctx: Ctx, options: AppOptions): unknown {
  return { config: { ...ctx.config, db: ctx.config.db.kind }, web: options.web !== false }
}

/** A context whose fields are those of `target.ctx` at each read. */
function forwardingContext(target: { ctx: Ctx }): Ctx {
  return {
    get db() {
      return target.ctx.db
    },
    get clock() {
      return target.ctx.clock
    },
    get config() {
      return target.ctx.config
    },
    get log() {
      return target.ctx.log
    },
  }
}

/**
 * The app (as buildApp(ctx, options) builds it) serving `ctx`: one this file built before for the
 * same settings if no test holds it, else a new one. Give it back with releaseApp.
 */
export async function testApp(ctx: Ctx, options: AppOptions = {}): Promise<FastifyInstance> {
  if (options.onRoute || ctx.log.level !== 'silent') return buildApp(ctx, options)
  const settings = settingsOf(ctx, options)
  let s = shared.find((x) => !x.inUse && isDeepStrictEqual(x.settings, settings))
  if (s) {
    s.target.ctx = ctx
  } else {
    const target = { ctx }
    s = { app: await buildApp(forwardingContext(target), options), target, settings, inUse: false }
    shared.push(s)
    sharedByApp.set(s.app, s)
  }
  s.inUse = true
  return s.app
}

/** Ends a test's use of an app from testApp (the next test may get it) or closes one from buildApp. */
export async function releaseApp(app: FastifyInstance): Promise<void> {
  const s = sharedByApp.get(app)
  if (s) s.inUse = false
  else await app.close()
}
