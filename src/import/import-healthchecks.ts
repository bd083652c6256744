/**
 * `importHealthchecks`: copies a Healthchecks database into Vigil's, keeping every identifier a
 * cron line, an API client, a badge or an authenticator app depends on (check UUIDs, slugs, ping
 * and badge keys, API keys, password hashes, TOTP secrets). Steps:
 *   1. read the whole source (pings and flips per check) through HcSource, which cannot write;
 *   2. users (with TOTP and security keys) in one transaction, then each project (keys, members,
 *      channels, checks, pings, flips, assignments) in a transaction of its own;
 *   3. anything already in Vigil (same email, same UUID) is left as it is and counted, so a
 *      second run creates nothing; anything that cannot be imported is listed with the reason.
 * A dry run does the same work in one transaction and rolls it back.
 */
import type { Kysely, Transaction } from 'kysely'
import { normalizeEmail, sealSecret, secretBoxKey } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import type { Database } from '../db/index.js'
import { integrationFor, supportedKinds } from '../integrations/index.js'
import { storedFormOf } from '../projects/index.js'
import { err, ok, type Result } from '../result.js'
import { newUuid } from '../tokens.js'
import type { HcRow, HcSource } from './hc-source.js'
import { emptyReport, type ImportReport } from './import-report.js'
import {
  type MappedUser,
  mapApiKey,
  mapChannel,
  mapCheck,
  mapFlip,
  mapPing,
  mapProject,
  mapRole,
  mapUser,
  parseAttestedCredential,
  toMillis,
  toUuid,
} from './map-rows.js'

export interface ImportOptions {
  dryRun: boolean
  /** Import only these users (by email) and the projects they own; undefined = everyone. */
  onlyUsers?: string[]
}

export type ImportError = { kind: 'not-healthchecks'; missing: string[] }

type Db = Kysely<Database> | Transaction<Database>

/** Thrown to roll a dry run back; never escapes this module. */
class DryRunRollback extends Error {}

const REQUIRED_TABLES = [
  'auth_user',
  'accounts_profile',
  'accounts_project',
  'api_check',
  'api_channel',
]

interface Source {
  users: HcRow[]
  profiles: Map<number, HcRow>
  credentials: HcRow[]
  projects: HcRow[]
  members: HcRow[]
  channels: HcRow[]
  checks: HcRow[]
  channelChecks: HcRow[]
}

async function readSource(src: HcSource): Promise<Source> {
  const hasCredentials = (await src.columns('accounts_credential')).size > 0
  const profiles = new Map<number, HcRow>()
  for (const p of await src.all('select * from accounts_profile order by id'))
    profiles.set(Number(p.user_id), p)
  return {
    users: await src.all('select * from auth_user order by id'),
    profiles,
    credentials: hasCredentials
      ? await src.all('select * from accounts_credential order by id')
      : [],
    projects: await src.all('select * from accounts_project order by id'),
    members: await src.all('select * from accounts_member order by id'),
    channels: await src.all('select * from api_channel order by id'),
    checks: await src.all('select * from api_check order by id'),
    channelChecks: await src.all('select channel_id, check_id from api_channel_checks order by id'),
  }
}

type Counts = Pick<ImportReport, 'created' | 'existing'> & { skipped: number; notes: number }

function snapshot(r: ImportReport): Counts {
  return {
    created: { ...r.created },
    existing: { ...r.existing },
    skipped: r.skipped.length,
    notes: r.notes.length,
  }
}

function restore(r: ImportReport, c: Counts): void {
  r.created = c.created
  r.existing = c.existing
  r.skipped.length = c.skipped
  r.notes.length = c.notes
}

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

export async function importHealthchecks(
  ctx: Ctx,
  src: HcSource,
  options: ImportOptions,
): Promise<Result<ImportReport, ImportError>> {
  const missing: string[] = []
  for (const t of REQUIRED_TABLES) if ((await src.columns(t)).size === 0) missing.push(t)
  if (missing.length > 0) return err({ kind: 'not-healthchecks', missing })
  const checkColumns = await src.columns('api_check')
  const report = emptyReport(src.kind, checkColumns.has('badge_key') ? 'v3+' : 'v2', options.dryRun)
  const data = await readSource(src)
  const now = ctx.clock.now()
  const only = options.onlyUsers ? new Set(options.onlyUsers.map(normalizeEmail)) : null
  const run = new ImportRun(ctx, src, data, report, now, only)

  if (options.dryRun) {
    try {
      await ctx.db.kysely.transaction().execute(async (trx) => {
        await run.importUsers(trx)
        for (const p of data.projects) await run.importProject(trx, p)
        throw new DryRunRollback()
      })
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e
    }
  } else {
    await ctx.db.kysely.transaction().execute((trx) => run.importUsers(trx))
    for (const p of data.projects) {
      // A project that fails leaves nothing behind (its transaction rolls back) and is listed;
      // the others still go in.
      const counts = snapshot(report)
      const mark = run.mark()
      try {
        await ctx.db.kysely.transaction().execute((trx) => run.importProject(trx, p))
      } catch (e) {
        restore(report, counts)
        run.resetTo(mark)
        report.skipped.push({
          table: 'accounts_project',
          item: toUuid(p.code) || String(p.code),
          reason: `failed, nothing of it was written: ${(e as Error).message}`,
        })
      }
    }
  }
  run.addNotes()
  return ok(report)
}

class ImportRun {
  /** Healthchecks user id → Vigil user id, for users imported now or found by email. */
  private readonly userIds = new Map<number, number>()
  private readonly mapped = new Map<number, MappedUser>()
  private readonly hcEmail = new Map<number, string>()
  private readonly kinds: ReadonlySet<string> = new Set(supportedKinds())
  private importedCredentials = 0
  /** Imported integrations this instance cannot send yet, with the reason. */
  private readonly unavailable: string[] = []

  constructor(
    private readonly ctx: Ctx,
    private readonly src: HcSource,
    private readonly data: Source,
    private readonly report: ImportReport,
    private readonly now: number,
    private readonly only: Set<string> | null,
  ) {}

  /** Where the per-project bookkeeping stands, to undo a project that rolled back. */
  mark(): { unavailable: number; credentials: number } {
    return { unavailable: this.unavailable.length, credentials: this.importedCredentials }
  }

  resetTo(m: { unavailable: number; credentials: number }): void {
    this.unavailable.length = m.unavailable
    this.importedCredentials = m.credentials
  }

  private skip(table: string, item: string, reason: string): void {
    this.report.skipped.push({ table, item, reason })
  }

  async importUsers(db: Db): Promise<void> {
    const seen = new Set<string>()
    if (this.only) {
      const known = new Set(this.data.users.map((u) => normalizeEmail(String(u.email ?? ''))))
      for (const e of this.only)
        if (!known.has(e))
          this.skip('auth_user', e, 'no Healthchecks user has this email (--only-users)')
    }
    const box = secretBoxKey(this.ctx.config)
    for (const u of this.data.users) {
      const m = mapUser(u, this.data.profiles.get(Number(u.id)), normalizeEmail)
      if ('skip' in m) {
        this.skip('auth_user', String(u.username ?? u.id), m.skip)
        continue
      }
      this.mapped.set(m.hcId, m)
      this.hcEmail.set(m.hcId, m.user.email)
      const existing = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', m.user.email)
        .executeTakeFirst()
      if (existing) {
        this.userIds.set(m.hcId, existing.id)
        if (seen.has(m.user.email))
          this.skip(
            'auth_user',
            m.user.email,
            'same email as another Healthchecks user; kept the first',
          )
        else if (!this.only || this.only.has(m.user.email)) this.report.existing.users++
        continue
      }
      if (this.only && !this.only.has(m.user.email)) continue
      seen.add(m.user.email)
      const { id } = await db
        .insertInto('users')
        .values(m.user)
        .returning('id')
        .executeTakeFirstOrThrow()
      this.userIds.set(m.hcId, id)
      this.report.created.users++
      if (m.inactive)
        this.skip(
          'auth_user',
          m.user.email,
          'inactive in Healthchecks: imported without a password',
        )
      else if (m.user.password_hash === null)
        this.skip(
          'auth_user',
          m.user.email,
          'no usable password: sign in with a link (`vigil user login-link`)',
        )
      if (m.totp) {
        await db
          .insertInto('user_totp')
          .values({
            user_id: id,
            secret: sealSecret(box, m.totp.secret),
            last_step: null,
            created: m.totp.created,
          })
          .execute()
        this.report.created.user_totp++
      }
      await this.importCredentials(db, m, id)
    }
  }

  private async importCredentials(db: Db, m: MappedUser, userId: number): Promise<void> {
    for (const c of this.data.credentials) {
      if (Number(c.user_id) !== m.hcId) continue
      const name = String(c.name ?? '') || 'Security key'
      const parsed = parseAttestedCredential(c.data)
      if (!parsed) {
        this.skip(
          'accounts_credential',
          `${m.user.email} "${name}"`,
          'key data not in a readable form; the user signs in with password (and app code) and adds the key again under Account → Security',
        )
        continue
      }
      const dup = await db
        .selectFrom('webauthn_credentials')
        .select('id')
        .where('credential_id', '=', parsed.credentialId)
        .executeTakeFirst()
      if (dup) {
        this.report.existing.webauthn_credentials++
        continue
      }
      await db
        .insertInto('webauthn_credentials')
        .values({
          user_id: userId,
          credential_id: parsed.credentialId,
          public_key: parsed.publicKey,
          aaguid: parsed.aaguid,
          rp_id: this.ctx.config.accounts.webauthnRpId,
          name: name.slice(0, 100),
          created: toMillis(c.created) ?? this.now,
          last_used_at: null,
          passkey: 0,
        })
        .execute()
      this.report.created.webauthn_credentials++
      this.importedCredentials++
    }
  }

  async importProject(db: Db, p: HcRow): Promise<void> {
    const label = `${toUuid(p.code) || String(p.code)}${p.name ? ` (${String(p.name)})` : ''}`
    const ownerHcId = Number(p.owner_id)
    const ownerEmail = this.hcEmail.get(ownerHcId)
    if (this.only && (!ownerEmail || !this.only.has(ownerEmail))) return
    const ownerId = this.userIds.get(ownerHcId)
    const owner = this.mapped.get(ownerHcId)
    if (ownerId === undefined || !owner) {
      this.skip('accounts_project', label, 'its owner was not imported')
      return
    }
    const mp = mapProject(p, { ...owner, created: owner.user.created })
    if ('skip' in mp) {
      this.skip('accounts_project', label, mp.skip)
      return
    }
    const found = await db
      .selectFrom('projects')
      .select('id')
      .where('code', '=', mp.code)
      .executeTakeFirst()
    let projectId: number
    if (found) {
      // Imported before: keep it as it is, and add only what is not there yet.
      projectId = found.id
      this.report.existing.projects++
    } else {
      const taken = await this.takenProjectKey(db, mp.ping_key ?? null, mp.badge_key)
      if (taken) {
        this.skip('accounts_project', label, `its ${taken} is already used by a Vigil project`)
        return
      }
      projectId = (
        await db
          .insertInto('projects')
          .values({ ...mp, owner_id: ownerId })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
      this.report.created.projects++
      await this.importApiKeys(db, p, projectId, ownerId)
    }
    await this.importMembers(db, p, projectId, ownerId, label)
    const channelIds = await this.importChannels(db, p, projectId)
    const checkIds = await this.importChecks(db, p, projectId, owner.pingLogLimit)
    for (const cc of this.data.channelChecks) {
      const channelId = channelIds.get(Number(cc.channel_id))
      const checkId = checkIds.get(Number(cc.check_id))
      if (channelId === undefined || checkId === undefined) continue
      const there = await db
        .selectFrom('check_channels')
        .select('check_id')
        .where('check_id', '=', checkId)
        .where('channel_id', '=', channelId)
        .executeTakeFirst()
      if (there) {
        this.report.existing.check_channels++
        continue
      }
      await db
        .insertInto('check_channels')
        .values({ check_id: checkId, channel_id: channelId })
        .execute()
      this.report.created.check_channels++
    }
  }

  /** Which unique key of a new project another Vigil project already has, if any. */
  private async takenProjectKey(
    db: Db,
    pingKey: string | null,
    badgeKey: string,
  ): Promise<string | null> {
    if (pingKey !== null) {
      const r = await db
        .selectFrom('projects')
        .select('id')
        .where('ping_key', '=', pingKey)
        .executeTakeFirst()
      if (r) return 'ping key'
    }
    const r = await db
      .selectFrom('projects')
      .select('id')
      .where('badge_key', '=', badgeKey)
      .executeTakeFirst()
    return r ? 'badge key' : null
  }

  private async importApiKeys(db: Db, p: HcRow, projectId: number, ownerId: number): Promise<void> {
    const hmacKey = this.ctx.config.accounts.apiKeyHmacKey
    for (const [column, readonly] of [
      ['api_key', false],
      ['api_key_readonly', true],
    ] as const) {
      const key = mapApiKey(p[column], readonly, (v) => storedFormOf(v, hmacKey))
      if (!key) continue
      await db
        .insertInto('api_keys')
        .values({ project_id: projectId, ...key, created_by: ownerId, created_at: this.now })
        .execute()
      this.report.created.api_keys++
    }
  }

  private async importMembers(
    db: Db,
    p: HcRow,
    projectId: number,
    ownerId: number,
    label: string,
  ): Promise<void> {
    for (const m of this.data.members) {
      if (Number(m.project_id) !== Number(p.id)) continue
      const userId = this.userIds.get(Number(m.user_id))
      const email = this.hcEmail.get(Number(m.user_id)) ?? `user ${String(m.user_id)}`
      if (userId === undefined) {
        this.skip('accounts_member', `${email} in ${label}`, 'the user was not imported')
        continue
      }
      if (userId === ownerId) continue
      const there = await db
        .selectFrom('members')
        .select('id')
        .where('project_id', '=', projectId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      if (there) {
        this.report.existing.members++
        continue
      }
      await db
        .insertInto('members')
        .values({
          project_id: projectId,
          user_id: userId,
          role: mapRole(m),
          created: this.now,
          invited_by: null,
          transfer_requested: toMillis(m.transfer_request_date),
        })
        .execute()
      this.report.created.members++
    }
  }

  /**
   * The Vigil row with this UUID: `existing` when it is in the same project (imported before),
   * `taken` when another project has it.
   */
  private async findByCode(
    db: Db,
    table: 'channels' | 'checks',
    code: string,
    projectId: number,
  ): Promise<{ existing: number } | 'taken' | null> {
    const r = await db
      .selectFrom(table)
      .select(['id', 'project_id'])
      .where('code', '=', code)
      .executeTakeFirst()
    if (!r) return null
    return r.project_id === projectId ? { existing: r.id } : 'taken'
  }

  /** Healthchecks channel id → Vigil channel id (new or imported before). */
  private async importChannels(db: Db, p: HcRow, projectId: number): Promise<Map<number, number>> {
    const ids = new Map<number, number>()
    for (const c of this.data.channels) {
      if (Number(c.project_id) !== Number(p.id)) continue
      const label = `${String(c.kind)} ${toUuid(c.code)}${c.name ? ` (${String(c.name)})` : ''}`
      const mc = mapChannel(c, this.kinds)
      if ('skip' in mc) {
        this.skip('api_channel', label, mc.skip)
        continue
      }
      const found = await this.findByCode(db, 'channels', mc.code, projectId)
      if (found === 'taken') {
        this.skip('api_channel', label, 'an integration of another Vigil project has this UUID')
        continue
      }
      if (found) {
        ids.set(Number(c.id), found.existing)
        this.report.existing.channels++
        continue
      }
      const { id } = await db
        .insertInto('channels')
        .values({ ...mc, project_id: projectId })
        .returning('id')
        .executeTakeFirstOrThrow()
      ids.set(Number(c.id), id)
      this.report.created.channels++
      const reason = integrationFor(mc.kind)?.unavailableReason(this.ctx.config)
      if (reason) this.unavailable.push(`${label}: ${reason}`)
    }
    return ids
  }

  /** Healthchecks check id → Vigil check id (new or imported before). */
  private async importChecks(
    db: Db,
    p: HcRow,
    projectId: number,
    pingLogLimit: number,
  ): Promise<Map<number, number>> {
    const ids = new Map<number, number>()
    for (const c of this.data.checks) {
      if (Number(c.project_id) !== Number(p.id)) continue
      const label = `${toUuid(c.code)}${c.name ? ` (${String(c.name)})` : ''}`
      const mc = mapCheck(c)
      if ('skip' in mc) {
        this.skip('api_check', label, mc.skip)
        continue
      }
      const found = await this.findByCode(db, 'checks', mc.code, projectId)
      if (found === 'taken') {
        this.skip('api_check', label, 'a check of another Vigil project has this UUID')
        continue
      }
      if (found) {
        // Imported before: its pings and flips came with it then.
        ids.set(Number(c.id), found.existing)
        this.report.existing.checks++
        continue
      }
      let badgeKey = mc.badge_key ?? newUuid()
      const badgeTaken = await db
        .selectFrom('checks')
        .select('id')
        .where('badge_key', '=', badgeKey)
        .executeTakeFirst()
      if (badgeTaken) {
        this.skip('api_check', label, 'its badge key is taken in Vigil; the check got a new one')
        badgeKey = newUuid()
      }
      const { id } = await db
        .insertInto('checks')
        .values({ ...mc, badge_key: badgeKey, project_id: projectId })
        .returning('id')
        .executeTakeFirstOrThrow()
      ids.set(Number(c.id), id)
      this.report.created.checks++
      await this.importPings(db, c, id, label, pingLogLimit)
      await this.importFlips(db, c, id, label)
    }
    return ids
  }

  private async importPings(
    db: Db,
    c: HcRow,
    checkId: number,
    label: string,
    limit: number,
  ): Promise<void> {
    const rows = await this.src.all(
      'select * from api_ping where owner_id = ? order by id desc limit ?',
      [c.id, limit],
    )
    const pings = []
    for (const r of rows.reverse()) {
      const mp = mapPing(r)
      if ('skip' in mp) this.skip('api_ping', `${label} #${String(r.id)}`, mp.skip)
      else pings.push({ ...mp, check_id: checkId })
    }
    for (const batch of chunks(pings, 200)) await db.insertInto('pings').values(batch).execute()
    this.report.created.pings += pings.length
  }

  private async importFlips(db: Db, c: HcRow, checkId: number, label: string): Promise<void> {
    const rows = await this.src.all('select * from api_flip where owner_id = ? order by id', [c.id])
    const flips = []
    for (const r of rows) {
      const mf = mapFlip(r)
      if ('skip' in mf) this.skip('api_flip', `${label} #${String(r.id)}`, mf.skip)
      else flips.push({ ...mf, check_id: checkId })
    }
    for (const batch of chunks(flips, 200)) await db.insertInto('flips').values(batch).execute()
    this.report.created.flips += flips.length
  }

  addNotes(): void {
    const n = this.report.notes
    n.push(
      "Badge URLs stay valid when Vigil's SECRET_KEY is Healthchecks' SECRET_KEY (badge signatures are HMACs of it).",
    )
    if (this.report.schema === 'v3+')
      n.push(
        "Hashed API keys (hcw_/hcr_) work when API_KEY_HMAC_KEY (or SECRET_KEY) is Healthchecks' SECRET_KEY.",
      )
    if (this.importedCredentials > 0)
      n.push(
        `Security keys were given the relying party ID "${this.ctx.config.accounts.webauthnRpId}": they work only if it is Healthchecks' RP_ID (set WEBAUTHN_RP_ID).`,
      )
    for (const u of this.unavailable)
      n.push(`Imported, but cannot send until configured here: ${u}`)
    n.push(
      'Notifications already sent by Healthchecks are not copied; web sessions are not copied (users sign in again).',
    )
  }
}
