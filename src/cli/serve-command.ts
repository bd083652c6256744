/**
 * `vigil serve [--role all|web|worker]`: migrates, logs the doctor summary, then runs the HTTP
 * server and/or the worker until SIGINT/SIGTERM. With an unreachable database at start it keeps
 * retrying (and says so) instead of exiting, so a supervisor's restart loop is not needed.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { startWorker } from '../alerts/index.js'
import { buildApp } from '../app.js'
import type { Config } from '../config/index.js'
import { type Ctx, systemClock } from '../context.js'
import { type Db, migrateToLatest, openDatabase } from '../db/index.js'
import { configFindings } from '../doctor/findings.js'
import { CliError, configFrom, createLogger, type Io, parseOptions } from './io.js'

const USAGE = 'Usage: vigil serve [--role all|web|worker]'
const ROLES = ['all', 'web', 'worker'] as const
type Role = (typeof ROLES)[number]

async function openWithRetry(
  config: Config,
  log: Ctx['log'],
  signal: AbortSignal,
): Promise<Db | null> {
  for (let attempt = 1; !signal.aborted; attempt++) {
    const db = openDatabase(config.db)
    const r = await migrateToLatest(db)
    if (!r.error) {
      for (const m of r.results ?? []) log.info({ migration: m.migrationName }, 'applied migration')
      return db
    }
    await db.close().catch(() => {})
    log.error(
      { attempt, err: r.error },
      'database unavailable or migration failed; retrying in 2 s',
    )
    await sleep(2000, undefined, { signal }).catch(() => {})
  }
  return null
}

export async function serveCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { role: { type: 'string' } }, USAGE)
  if (values.help) {
    io.out(
      `${USAGE}\n\nall (default): HTTP server and worker in one process.\nweb: HTTP only (pings, API, pages).\nworker: timeouts, flips, notifications and mail only.\nListens on HOST:PORT (default 0.0.0.0:8000).`,
    )
    return 0
  }
  const role = (values.role ?? 'all') as Role
  if (!ROLES.includes(role))
    throw new CliError(`--role must be all, web or worker, got "${values.role}"`, 2)
  const config = configFrom(io)
  const log = createLogger(config)

  const stopping = new AbortController()
  const onSignal = () => stopping.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  const db = await openWithRetry(config, log, stopping.signal)
  if (!db) return 0
  const ctx: Ctx = { db, clock: systemClock, config, log }
  for (const f of configFindings(config)) log.warn({ finding: f.id, hint: f.hint }, f.message)

  const app = role === 'worker' ? null : await buildApp(ctx)
  if (app) {
    try {
      await app.listen({ port: config.port, host: config.host })
    } catch (e) {
      await db.close()
      throw new CliError(`cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`)
    }
    // Fastify has logged the bound addresses; say what users will see.
    log.info(
      `${config.siteName} is up: open ${config.siteRoot} (role ${role}, database ${db.dialect})`,
    )
  }
  const worker = role === 'web' ? null : startWorker(ctx)
  if (worker) log.info('worker started')

  await new Promise<void>((resolve) => {
    if (stopping.signal.aborted) resolve()
    stopping.signal.addEventListener('abort', () => resolve(), { once: true })
  })
  log.info('shutting down')
  await app?.close()
  await worker?.stop()
  await db.close()
  return 0
}
