/**
 * INV-5: a security-relevant change and its audit event share one transaction. With the audit
 * table unwritable, the change must not happen either.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { sql } from 'kysely'
import { replaceRecoveryCodes } from '../../src/accounts/factors/recovery-codes/recovery-codes.js'
import { regenerateRecoveryCodes } from '../../src/accounts/factors/recovery-codes/regenerate-recovery-codes.js'
import { removeTotp } from '../../src/accounts/factors/totp/remove-totp.js'
import { newTotpSecret, totpStep } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import { changePassword } from '../../src/accounts/passwords/change-password.js'
import { createSession, type Session } from '../../src/accounts/sessions/sessions.js'
import { grantSudo } from '../../src/accounts/sudo/enter-sudo-mode.js'
import type { User } from '../../src/db/index.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const PASSWORD = 'correct horse battery'
const meta = { ip: '192.0.2.1', userAgent: 'test' }

describeEachDatabase('INV-5 audit in the same transaction', (dialect) => {
  let ctx: TestContext
  let alice: User
  let session: Session
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
    const now = ctx.clock.now()
    await saveTotp(ctx, alice.id, newTotpSecret(), totpStep(now) - 2, now)
    await replaceRecoveryCodes(ctx, alice.id, now)
    session = (await createSession(ctx, alice.id, { amr: ['password', 'totp'] })).session
    await createSession(ctx, alice.id) // another device, which a password change would end
    ctx.clock.advance(31 * 60_000)
  })
  afterEach(() => ctx.drop())

  /** Makes every audit insert fail, runs `change`, and puts the table back. */
  async function withAuditBroken(change: () => Promise<unknown>) {
    await sql`ALTER TABLE security_events RENAME TO security_events_away`.execute(ctx.db.kysely)
    try {
      await assert.rejects(change, 'the failed audit write fails the change')
    } finally {
      await sql`ALTER TABLE security_events_away RENAME TO security_events`.execute(ctx.db.kysely)
    }
  }

  const sessions = () =>
    ctx.db.kysely.selectFrom('sessions').selectAll().orderBy('created').execute()
  const passwordHash = async () =>
    (
      await ctx.db.kysely
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', alice.id)
        .executeTakeFirstOrThrow()
    ).password_hash
  const recoveryHashes = async () =>
    (
      await ctx.db.kysely
        .selectFrom('recovery_codes')
        .select('code_hash')
        .where('user_id', '=', alice.id)
        .orderBy('code_hash')
        .execute()
    ).map((r) => r.code_hash)

  test('INV-5 a password change whose audit write fails changes nothing', async () => {
    const hash = await passwordHash()
    const before = await sessions()
    await withAuditBroken(() =>
      changePassword(ctx, {
        user: { ...alice },
        session: null,
        current: '',
        password: 'a brand new passphrase',
        meta,
        actorUserId: null,
      }),
    )
    assert.equal(await passwordHash(), hash)
    assert.deepEqual(await sessions(), before, 'no session was signed out')
  })

  test('INV-5 removing TOTP whose audit write fails keeps the app, the codes and the sessions', async () => {
    const codes = await recoveryHashes()
    await withAuditBroken(() => removeTotp(ctx, { user: alice, session, meta }))
    const totp = await ctx.db.kysely.selectFrom('user_totp').select('user_id').execute()
    assert.equal(totp.length, 1)
    assert.deepEqual(await recoveryHashes(), codes)
    assert.equal((await sessions()).length, 2)
  })

  test('INV-5 regenerating recovery codes whose audit write fails keeps the old set', async () => {
    const codes = await recoveryHashes()
    await withAuditBroken(() => regenerateRecoveryCodes(ctx, { user: alice, session, meta }))
    assert.deepEqual(await recoveryHashes(), codes)
  })

  test('INV-5 a sudo grant whose audit write fails neither rotates the session nor grants', async () => {
    const before = await sessions()
    await withAuditBroken(() => grantSudo(ctx, alice, session, 'totp', meta, ctx.clock.now()))
    assert.deepEqual(await sessions(), before)
    // And with the table back, the grant and its event come together.
    const granted = await grantSudo(ctx, alice, session, 'totp', meta, ctx.clock.now())
    const row = (await sessions()).find((s) => s.id === granted.session.id)
    assert.equal(row?.reauth_at, ctx.clock.now())
    const events = await ctx.db.kysely
      .selectFrom('security_events')
      .select('type')
      .where('type', '=', 'reauth.success')
      .execute()
    assert.equal(events.length, 1)
  })
})
