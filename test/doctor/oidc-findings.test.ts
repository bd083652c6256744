/**
 * Doctor rows for OIDC log-in (LG-9, 5.17): OIDC-001 half configured, OIDC-002 provider not
 * usable (--network, against a real loopback provider), and ACC-001 counting OIDC identities.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { forgetDiscovery } from '../../src/accounts/oidc/oidc-client.js'
import { createUser } from '../../src/accounts/users/create-user.js'
import { loadConfig } from '../../src/config/index.js'
import { configFindings, runDoctor } from '../../src/doctor/findings.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { TestOidcProvider } from '../helpers/oidc-provider.js'

const KEY = { SECRET_KEY: 'x'.repeat(40) }

test('OIDC-001 LG-9 OIDC_ISSUER without OIDC_CLIENT_ID (or the reverse) warns; all or nothing is fine', () => {
  const half = configFindings(loadConfig({ ...KEY, OIDC_ISSUER: 'https://id.example.com' }))
  const f = half.find((x) => x.id === 'OIDC-001')
  assert.equal(f?.severity, 'warning')
  assert.match(f?.message ?? '', /OIDC_CLIENT_ID is missing/)
  const other = configFindings(loadConfig({ ...KEY, OIDC_CLIENT_ID: 'vigil' }))
  assert.match(other.find((x) => x.id === 'OIDC-001')?.message ?? '', /OIDC_ISSUER is missing/)
  for (const env of [{}, { OIDC_ISSUER: 'https://id.example.com', OIDC_CLIENT_ID: 'vigil' }])
    assert.equal(
      configFindings(loadConfig({ ...KEY, ...env })).find((x) => x.id === 'OIDC-001'),
      undefined,
    )
})

describeEachDatabase('LG-9 doctor rows for OIDC', (dialect) => {
  let idp: TestOidcProvider
  let ctx: TestContext | null = null
  beforeEach(async () => {
    forgetDiscovery()
    idp = await new TestOidcProvider({ now: () => Date.now() }).start()
  })
  afterEach(async () => {
    await ctx?.drop()
    ctx = null
    await idp.stop()
  })

  test('OIDC-002 LG-9 doctor --network reports a provider it cannot reach, and not a working one', async () => {
    ctx = await createTestContext(dialect, idp.env())
    const ok = await runDoctor(ctx, { network: true })
    assert.equal(
      ok.find((f) => f.id === 'OIDC-002'),
      undefined,
    )
    await idp.stop()
    const down = await runDoctor(ctx, { network: true })
    const f = down.find((x) => x.id === 'OIDC-002')
    assert.equal(f?.severity, 'error')
    assert.ok(f?.message.includes(idp.issuer), f?.message)
    // Without --network nothing is fetched.
    assert.equal(
      (await runDoctor(ctx, { network: false })).find((x) => x.id === 'OIDC-002'),
      undefined,
    )
  })

  test('ACC-001 LG-9 a user with an OIDC identity can log in: no ACC-001 without mail', async () => {
    ctx = await createTestContext(dialect, idp.env())
    const r = await createUser(ctx, { email: 'carol@example.com', password: null })
    assert.ok(r.ok)
    const before = await runDoctor(ctx, { network: false })
    assert.equal(before.find((f) => f.id === 'ACC-001')?.severity, 'error')
    await ctx.db.kysely
      .insertInto('oidc_identities')
      .values({ user_id: r.value.id, issuer: idp.issuer, subject: 'carol', created: 0 })
      .execute()
    const after = await runDoctor(ctx, { network: false })
    assert.equal(
      after.find((f) => f.id === 'ACC-001'),
      undefined,
    )
  })
})
