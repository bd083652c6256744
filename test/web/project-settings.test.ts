import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { replaceRecoveryCodes } from '../../src/accounts/factors/recovery-codes/recovery-codes.js'
import { newTotpSecret, totpCodeAt, totpStep } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import type { MemberRole, User } from '../../src/db/index.js'
import { findProjectByApiKey } from '../../src/projects/api-key-auth.js'
import { type BuiltProject, buildCheck, buildProject, buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000
const DAY = 86_400_000
/** Mail "configured" on a port nobody listens on: status `unknown`, mail goes to the outbox. */
const MAIL_ENV = {
  EMAIL_HOST: '127.0.0.1',
  EMAIL_PORT: '9',
  DEFAULT_FROM_EMAIL: 'vigil@example.org',
}

describeEachDatabase(
  'project settings: API keys, sudo, 2FA policy, transfer, deletion',
  (dialect) => {
    let ctx: TestContext
    let app: FastifyInstance
    let built: BuiltProject
    let alice: FormClient
    let settings: string

    async function setUp(env: Record<string, string> = {}) {
      ctx = await createTestContext(dialect, env)
      app = await testApp(ctx)
      built = await buildProject(ctx, 'alice@example.org', 'Backups')
      alice = await logInAs('alice@example.org')
      settings = `/projects/${built.project.code}/settings/`
    }
    afterEach(async () => {
      await releaseApp(app)
      await ctx.drop()
    })

    async function logInAs(email: string) {
      const client = new FormClient(app, ctx.clock)
      const r = await client.submit('/login', '/login', { email, password: PASSWORD })
      assert.equal(r.statusCode, 303, `log-in as ${email}`)
      return client
    }

    async function addMember(email: string, role: MemberRole): Promise<User> {
      const user = await buildUser(ctx, email, PASSWORD)
      await ctx.db.kysely
        .insertInto('members')
        .values({
          project_id: built.project.id,
          user_id: user.id,
          role,
          created: ctx.clock.now(),
          invited_by: built.owner.id,
        })
        .execute()
      return user
    }

    async function post(client: FormClient, action: string, fields: Record<string, string> = {}) {
      const page = await client.get(settings)
      assert.equal(page.statusCode, 200)
      return client.post(`${settings}${action}`, { csrf: csrfFrom(page.body), ...fields })
    }

    function events(type: string) {
      return ctx.db.kysely
        .selectFrom('security_events')
        .selectAll()
        .where('type', '=', type)
        .execute()
    }

    function outbox() {
      return ctx.db.kysely.selectFrom('mail_outbox').selectAll().orderBy('id').execute()
    }

    async function confirmWithPassword(client: FormClient, next: string) {
      const page = await client.get(`/account/confirm?next=${encodeURIComponent(next)}`)
      assert.equal(page.statusCode, 200)
      return client.post('/account/confirm', {
        csrf: csrfFrom(page.body),
        next,
        method: 'password',
        value: PASSWORD,
      })
    }

    function expireSudo() {
      ctx.clock.advance(31 * MINUTE)
    }

    // ---- AK-2 ---------------------------------------------------------------------------------

    test('AK-2 creating an API key without sudo redirects to the confirm page and saves nothing', async () => {
      await setUp()
      expireSudo()
      const r = await post(alice, 'api-keys', { kind: 'rw' })
      assert.equal(r.statusCode, 303)
      const next = `${settings}api-keys`
      assert.equal(
        r.headers.location,
        `/account/confirm?next=${encodeURIComponent(next)}&unsaved=1`,
      )
      assert.ok((await findProjectByApiKey(ctx, built.apiKey, false)).ok, 'the old key still works')
      const page = await alice.get(String(r.headers.location))
      assert.match(page.body, /To create an API key, Vigil needs to confirm your identity\./)
      const confirmed = await confirmWithPassword(alice, next)
      assert.equal(confirmed.statusCode, 303)
      assert.equal(confirmed.headers.location, next)
      assert.equal((await alice.get(next)).statusCode, 200)
      const made = await post(alice, 'api-keys', { kind: 'rw' })
      assert.equal(made.statusCode, 200)
      assert.match(made.body, /data-new-key="rw">hcw_[A-Za-z0-9]{28}</)
    })

    test('AK-2 a new key is shown once, replaces the old one, is audited and notified (NT-1)', async () => {
      await setUp(MAIL_ENV)
      const r = await post(alice, 'api-keys', { kind: 'ro', expires_days: '30' })
      assert.equal(r.statusCode, 200)
      const key = /data-new-key="ro">(hcr_[A-Za-z0-9]{28})</.exec(r.body)?.[1]
      assert.ok(key)
      const found = await findProjectByApiKey(ctx, key, true)
      assert.ok(found.ok && found.value.readonly)
      assert.equal((await findProjectByApiKey(ctx, built.apiKeyReadonly, true)).ok, false)
      assert.ok((await findProjectByApiKey(ctx, built.apiKey, false)).ok, 'the rw key is untouched')
      const row = await ctx.db.kysely
        .selectFrom('api_keys')
        .selectAll()
        .where('project_id', '=', built.project.id)
        .where('readonly', '=', 1)
        .executeTakeFirstOrThrow()
      assert.equal(Number(row.created_by), built.owner.id)
      assert.equal(Number(row.created_at), ctx.clock.now())
      assert.equal(Number(row.expires_at), ctx.clock.now() + 30 * DAY)
      const page = await alice.get(settings)
      assert.ok(!page.body.includes(key), 'shown only once')
      assert.match(page.body, /created by alice@example.org/)
      const created = await events('apikey.created')
      assert.equal(created.length, 1)
      assert.equal(Number(created[0].project_id), built.project.id)
      assert.ok(!created[0].details.includes(key.slice(4)), 'no secret in the audit log')
      const mail = await outbox()
      assert.equal(mail.length, 1)
      assert.equal(mail[0].to_addr, 'alice@example.org')
      assert.match(mail[0].text_body, /A read-only API key was created for the project "Backups"/)
    })

    test('AK-2 a bad kind or expiry answers 400 with a message', async () => {
      await setUp()
      const kind = await post(alice, 'api-keys', { kind: 'admin' })
      assert.equal(kind.statusCode, 400)
      assert.match(kind.body, /Choose a read-write or a read-only key\./)
      const days = await post(alice, 'api-keys', { kind: 'rw', expires_days: '0' })
      assert.equal(days.statusCode, 400)
      assert.match(days.body, /Enter a whole number of days from 1 to 3650/)
      assert.equal((await events('apikey.created')).length, 0)
    })

    test('AK-2 revoking needs the rw role but no sudo; the key stops working at once', async () => {
      await setUp()
      expireSudo()
      const r = await post(alice, 'api-keys/revoke', { kind: 'rw' })
      assert.equal(r.statusCode, 200)
      assert.match(r.body, /The read-write key was revoked/)
      assert.equal((await findProjectByApiKey(ctx, built.apiKey, false)).ok, false)
      assert.equal((await events('apikey.revoked')).length, 1)
      const again = await post(alice, 'api-keys/revoke', { kind: 'rw' })
      assert.equal(again.statusCode, 400)
      assert.match(again.body, /There is no such key\./)
    })

    test('AK-2 a read-only member can neither create nor revoke keys', async () => {
      await setUp()
      await addMember('rita@example.org', 'r')
      const rita = await logInAs('rita@example.org')
      const page = await rita.get(settings)
      assert.equal(page.statusCode, 200)
      assert.doesNotMatch(page.body, /Create API key/)
      for (const action of ['api-keys', 'api-keys/revoke', 'ping-key']) {
        const r = await rita.post(`${settings}${action}`, { csrf: csrfFrom(page.body), kind: 'rw' })
        assert.equal(r.statusCode, 403, action)
      }
      assert.ok((await findProjectByApiKey(ctx, built.apiKey, false)).ok)
    })

    test('AK-2 a regular member (rw) may create keys with sudo', async () => {
      await setUp()
      await addMember('will@example.org', 'w')
      const will = await logInAs('will@example.org')
      const r = await post(will, 'api-keys', { kind: 'rw' })
      assert.equal(r.statusCode, 200)
      assert.match(r.body, /data-new-key="rw">hcw_/)
    })

    test('AK-2 a new ping key needs sudo too', async () => {
      await setUp()
      expireSudo()
      const r = await post(alice, 'ping-key')
      assert.equal(r.statusCode, 303)
      assert.match(String(r.headers.location), /^\/account\/confirm\?next=.*ping-key&unsaved=1$/)
      const saved = await ctx.db.kysely
        .selectFrom('projects')
        .select('ping_key')
        .where('id', '=', built.project.id)
        .executeTakeFirstOrThrow()
      assert.equal(saved.ping_key, built.project.ping_key)
    })

    test('settings forms without the CSRF token answer 403', async () => {
      await setUp()
      for (const action of ['api-keys', 'api-keys/revoke', 'require-2fa', 'transfer', 'delete']) {
        const r = await alice.post(`${settings}${action}`, { kind: 'rw', confirm_name: 'Backups' })
        assert.equal(r.statusCode, 403, action)
      }
      assert.ok((await findProjectByApiKey(ctx, built.apiKey, false)).ok)
    })

    test('a confirm page never accepts a next outside the protected list', async () => {
      await setUp()
      const page = await alice.get(`/account/confirm?next=${encodeURIComponent(`${settings}name`)}`)
      assert.equal(page.statusCode, 200)
      assert.doesNotMatch(page.body, /settings\/name/)
    })

    // ---- TEAM-3 -------------------------------------------------------------------------------

    async function giveTotp(user: User) {
      const secret = newTotpSecret()
      const now = ctx.clock.now()
      await saveTotp(ctx, user.id, secret, totpStep(now) - 2, now)
      await replaceRecoveryCodes(ctx, user.id, now)
      return secret
    }

    async function logInWithTotp(email: string, secret: string) {
      const client = new FormClient(app, ctx.clock)
      const first = await client.submit('/login', '/login', { email, password: PASSWORD })
      assert.equal(first.headers.location, '/login/second-step')
      const r = await client.submit('/login/second-step', '/login/second-step', {
        method: 'totp',
        code: totpCodeAt(secret, ctx.clock.now()),
      })
      assert.equal(r.statusCode, 303)
      return client
    }

    test('TEAM-3 the owner needs 2FA of their own to require it', async () => {
      await setUp()
      const r = await post(alice, 'require-2fa')
      assert.equal(r.statusCode, 400)
      assert.match(r.body, /Turn on two-factor authentication for your own account first/)
      assert.equal((await events('project.2fa_policy_changed')).length, 0)
    })

    test('TEAM-3 only the owner sees and changes the policy', async () => {
      await setUp()
      await addMember('manny@example.org', 'm')
      const manny = await logInAs('manny@example.org')
      const page = await manny.get(settings)
      assert.doesNotMatch(page.body, /Require two-factor authentication/)
      const r = await manny.post(`${settings}require-2fa`, { csrf: csrfFrom(page.body) })
      assert.equal(r.statusCode, 403)
    })

    test('TEAM-3 enabling takes sudo (S); disabling refuses a password grant (D, RA-5)', async () => {
      await setUp()
      const secret = await giveTotp(built.owner)
      const owner = await logInWithTotp('alice@example.org', secret)
      expireSudo()
      const late = await post(owner, 'require-2fa')
      assert.equal(late.statusCode, 303)
      // Class S: a password confirms it.
      assert.equal((await confirmWithPassword(owner, `${settings}require-2fa`)).statusCode, 303)
      const on = await post(owner, 'require-2fa')
      assert.equal(on.statusCode, 200)
      assert.match(on.body, /data-require-2fa="on"/)
      const changed = await events('project.2fa_policy_changed')
      assert.deepEqual(
        changed.map((e) => JSON.parse(e.details)),
        [{ required: true }],
      )
      // Class D: the same password grant does not turn it off.
      const off = await post(owner, 'require-2fa/off')
      assert.equal(off.statusCode, 403)
      assert.equal((await events('reauth.downgrade_blocked')).length, 1)
      const project = await ctx.db.kysely
        .selectFrom('projects')
        .select('require_2fa')
        .where('id', '=', built.project.id)
        .executeTakeFirstOrThrow()
      assert.equal(project.require_2fa, 1)
      // A TOTP grant does.
      const next = `${settings}require-2fa/off`
      const confirm = await owner.get(
        `/account/confirm?next=${encodeURIComponent(next)}&method=totp`,
      )
      ctx.clock.advance(30_000)
      const granted = await owner.post('/account/confirm', {
        csrf: csrfFrom(confirm.body),
        next,
        method: 'totp',
        value: totpCodeAt(secret, ctx.clock.now()),
      })
      assert.equal(granted.statusCode, 303)
      const done = await post(owner, 'require-2fa/off')
      assert.equal(done.statusCode, 200)
      assert.match(done.body, /data-require-2fa="off"/)
    })

    test('T-04 after logging in with password and TOTP, adding an API key needs no prompt for 30 minutes', async () => {
      await setUp()
      const secret = await giveTotp(built.owner)
      const owner = await logInWithTotp('alice@example.org', secret)
      ctx.clock.advance(30 * MINUTE)
      const inTime = await post(owner, 'api-keys', { kind: 'rw' })
      assert.equal(inTime.statusCode, 200)
      assert.match(inTime.body, /data-new-key="rw">hcw_/)
      ctx.clock.advance(1000)
      const late = await post(owner, 'api-keys', { kind: 'rw' })
      assert.equal(late.statusCode, 303)
      assert.match(String(late.headers.location), /^\/account\/confirm\?next=/)
    })

    // ---- TEAM-4 -------------------------------------------------------------------------------

    test('TEAM-4 with mail unconfigured the owner is told the recipient will see it in Project Settings', async () => {
      await setUp()
      await addMember('bob@example.org', 'w')
      const r = await post(alice, 'transfer', { email: 'bob@example.org' })
      assert.equal(r.statusCode, 200)
      assert.match(
        r.body,
        /bob@example.org will see the request in Project Settings\. We couldn't email them\./,
      )
      assert.equal((await outbox()).length, 0)
      assert.equal((await events('project.transfer_requested')).length, 1)
      const bob = await logInAs('bob@example.org')
      const page = await bob.get(settings)
      assert.match(page.body, /Ownership Transfer Request/)
    })

    test('TEAM-4 the request is mailed through the outbox; accepting swaps the roles', async () => {
      await setUp(MAIL_ENV)
      const bobUser = await addMember('bob@example.org', 'm')
      await buildCheck(ctx, built.project, { name: 'nightly' })
      const r = await post(alice, 'transfer', { email: 'bob@example.org' })
      assert.match(r.body, /We emailed bob@example.org the request/)
      const mail = await outbox()
      assert.equal(mail.length, 1)
      assert.equal(mail[0].to_addr, 'bob@example.org')
      assert.equal(mail[0].subject, 'Ownership Transfer Request')
      assert.match(mail[0].text_body, new RegExp(`/projects/${built.project.code}/settings/`))

      const bob = await logInAs('bob@example.org')
      const accepted = await post(bob, 'transfer/accept')
      assert.equal(accepted.statusCode, 200)
      assert.match(accepted.body, /You now own Backups\./)
      const project = await ctx.db.kysely
        .selectFrom('projects')
        .selectAll()
        .where('id', '=', built.project.id)
        .executeTakeFirstOrThrow()
      assert.equal(Number(project.owner_id), bobUser.id)
      const members = await ctx.db.kysely
        .selectFrom('members')
        .select(['user_id', 'role', 'transfer_requested'])
        .where('project_id', '=', built.project.id)
        .execute()
      assert.deepEqual(
        members.map((m) => [Number(m.user_id), m.role, m.transfer_requested]),
        [[built.owner.id, 'w', null]],
      )
      assert.equal((await events('project.transfer_accepted')).length, 1)
      // NT-1: both sides get a notice.
      const notices = (await outbox()).slice(1).map((m) => m.to_addr)
      assert.deepEqual(notices.sort(), ['alice@example.org', 'bob@example.org'])
      // The old owner is now a member: no delete form, no policy form.
      const alicePage = await alice.get(settings)
      assert.doesNotMatch(alicePage.body, /Delete project/)
    })

    test('TEAM-4 transfer requires sudo, a member as the recipient, and the owner', async () => {
      await setUp()
      await addMember('bob@example.org', 'm')
      const stranger = await post(alice, 'transfer', { email: 'nobody@example.org' })
      assert.equal(stranger.statusCode, 400)
      assert.match(stranger.body, /Choose a member of the team/)
      const bob = await logInAs('bob@example.org')
      const notOwner = await post(bob, 'transfer', { email: 'bob@example.org' })
      assert.equal(notOwner.statusCode, 403)
      expireSudo()
      const late = await post(alice, 'transfer', { email: 'bob@example.org' })
      assert.equal(late.statusCode, 303)
      assert.equal((await events('project.transfer_requested')).length, 0)
    })

    test('SEC-FUZZ a transfer to an address with a NUL character answers 400, not a 500', async () => {
      await setUp()
      await addMember('bob@example.org', 'm')
      const r = await post(alice, 'transfer', { email: 'bob@example.org\u0000' })
      assert.equal(r.statusCode, 400)
      assert.match(r.body, /Choose a member of the team/)
      assert.equal((await events('project.transfer_requested')).length, 0)
    })

    test('TEAM-4 the owner cancels, the recipient rejects, and requests expire after 14 days', async () => {
      await setUp()
      await addMember('bob@example.org', 'w')
      await post(alice, 'transfer', { email: 'bob@example.org' })
      const cancelled = await post(alice, 'transfer/cancel')
      assert.match(cancelled.body, /The transfer was cancelled\./)
      assert.equal((await events('project.transfer_cancelled')).length, 1)

      await post(alice, 'transfer', { email: 'bob@example.org' })
      const bob = await logInAs('bob@example.org')
      const rejected = await post(bob, 'transfer/reject')
      assert.match(rejected.body, /You rejected the transfer\./)
      assert.equal((await events('project.transfer_rejected')).length, 1)

      await post(alice, 'transfer', { email: 'bob@example.org' })
      ctx.clock.advance(14 * DAY)
      const bobAgain = await logInAs('bob@example.org')
      const page = await bobAgain.get(settings)
      assert.doesNotMatch(page.body, /Ownership Transfer Request/)
      const late = await bobAgain.post(`${settings}transfer/accept`, { csrf: csrfFrom(page.body) })
      assert.equal(late.statusCode, 400)
      assert.match(late.body, /There is no open transfer request for you/)
      const project = await ctx.db.kysely
        .selectFrom('projects')
        .select('owner_id')
        .where('id', '=', built.project.id)
        .executeTakeFirstOrThrow()
      assert.equal(Number(project.owner_id), built.owner.id)
    })

    // ---- RA-1 deletion ------------------------------------------------------------------------

    test('RA-1 deleting the project takes sudo and the typed name, and is audited', async () => {
      await setUp()
      await buildCheck(ctx, built.project, { name: 'nightly' })
      const wrong = await post(alice, 'delete', { confirm_name: 'backups' })
      assert.equal(wrong.statusCode, 400)
      assert.match(wrong.body, /Type the project name exactly as shown/)
      expireSudo()
      const late = await post(alice, 'delete', { confirm_name: 'Backups' })
      assert.equal(late.statusCode, 303)
      assert.match(String(late.headers.location), /^\/account\/confirm\?next=.*delete&unsaved=1$/)
      assert.equal((await confirmWithPassword(alice, `${settings}delete`)).statusCode, 303)
      const done = await post(alice, 'delete', { confirm_name: 'Backups' })
      assert.equal(done.statusCode, 303)
      assert.equal(done.headers.location, '/projects/?deleted=1')
      const left = await ctx.db.kysely
        .selectFrom('projects')
        .select('id')
        .where('id', '=', built.project.id)
        .execute()
      assert.equal(left.length, 0)
      const checks = await ctx.db.kysely.selectFrom('checks').select('id').execute()
      assert.equal(checks.length, 0)
      const deleted = await events('project.deleted')
      assert.equal(deleted.length, 1)
      assert.equal(JSON.parse(deleted[0].details).name, 'Backups')
      assert.equal((await alice.get(settings)).statusCode, 404)
    })

    test('RA-1 only the owner may delete the project', async () => {
      await setUp()
      await addMember('manny@example.org', 'm')
      const manny = await logInAs('manny@example.org')
      const r = await post(manny, 'delete', { confirm_name: 'Backups' })
      assert.equal(r.statusCode, 403)
      assert.equal((await events('project.deleted')).length, 0)
    })
  },
)
