/**
 * The ping store on PostgreSQL: one Kysely transaction per ping, the check row locked with
 * FOR NO KEY UPDATE (Healthchecks uses FOR UPDATE; this weaker lock still serializes pings of a
 * check but does not block inserts that reference the row). PostgreSQL groups concurrent commits.
 */
import { type Kysely, sql } from 'kysely'
import type { Database, Db } from '../db/index.js'
import type { PingStore, PingTx } from './ping-store.js'

function kyselyTx(trx: Kysely<Database>): PingTx {
  return {
    lockCheckByCode(code) {
      return trx
        .selectFrom('checks')
        .selectAll()
        .where('code', '=', code)
        .forNoKeyUpdate()
        .executeTakeFirst()
    },
    async lockCheckBySlug(pingKey, slug) {
      const ids = await trx
        .selectFrom('checks')
        .innerJoin('projects', 'projects.id', 'checks.project_id')
        .select('checks.id')
        .where('projects.ping_key', '=', pingKey)
        .where('checks.slug', '=', slug)
        .limit(2)
        .execute()
      if (ids.length === 0) return undefined
      if (ids.length > 1) return 'ambiguous'
      // Locked by id in a second statement, so an ambiguous slug locks nothing; a check deleted
      // in between reads as missing.
      return trx
        .selectFrom('checks')
        .selectAll()
        .where('id', '=', ids[0].id)
        .forNoKeyUpdate()
        .executeTakeFirst()
    },
    lockProjectByPingKey(pingKey) {
      return trx
        .selectFrom('projects')
        .selectAll()
        .where('ping_key', '=', pingKey)
        .forNoKeyUpdate()
        .executeTakeFirst()
    },
    async countChecksOwnedBy(ownerId) {
      const row = await trx
        .selectFrom('checks')
        .innerJoin('projects', 'projects.id', 'checks.project_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('projects.owner_id', '=', ownerId)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    insertCheck(values) {
      return trx.insertInto('checks').values(values).returningAll().executeTakeFirstOrThrow()
    },
    async assignAllChannels(checkId, projectId) {
      const channels = await trx
        .selectFrom('channels')
        .select('id')
        .where('project_id', '=', projectId)
        .execute()
      if (channels.length === 0) return
      await trx
        .insertInto('check_channels')
        .values(channels.map((c) => ({ check_id: checkId, channel_id: c.id })))
        .execute()
    },
    async insertFlip(flip) {
      await trx.insertInto('flips').values(flip).execute()
    },
    async writePing(checkId, u, p) {
      // One round trip instead of two: the check update and the ping insert in one statement.
      // Parameters in the SELECT list carry casts, since PostgreSQL cannot infer their types there.
      const { rows } = await sql<{ n: number }>`
        WITH c AS (
          UPDATE checks SET last_ping = ${u.last_ping}, last_start = ${u.last_start},
            last_start_rid = ${u.last_start_rid}, last_duration_ms = ${u.last_duration_ms},
            status = ${u.status}, alert_after = ${u.alert_after},
            has_confirmation_link = ${u.has_confirmation_link}, n_pings = n_pings + 1
          WHERE id = ${checkId} RETURNING id, n_pings
        )
        INSERT INTO pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body, exitstatus, rid)
        SELECT id, n_pings, ${p.created}::bigint, ${p.kind}::text, ${p.scheme}::text,
          ${p.remote_addr}::text, ${p.method}::text, ${p.ua}::text, ${p.body}::bytea,
          ${p.exitstatus}::integer, ${p.rid}::text
        FROM c RETURNING n`.execute(trx)
      if (rows.length !== 1) throw new Error(`ping write: check ${checkId} vanished under its lock`)
      return Number(rows[0].n)
    },
  }
}

export function createPostgresPingStore(db: Db): PingStore {
  let commits = 0
  return {
    async run(work) {
      const value = await db.kysely.transaction().execute((trx) => work(kyselyTx(trx)))
      commits++
      return value
    },
    stats() {
      return { commits, pings: commits }
    },
  }
}
