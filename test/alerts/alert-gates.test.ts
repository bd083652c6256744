import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import {
  type AlertGate,
  combineDecisions,
  decideGates,
  type GateDecision,
  listWarnings,
  processOneFlip,
  queueWarning,
} from '../../src/alerts/index.js'
import type { Check, Flip } from '../../src/db/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const T0 = Date.parse('2026-01-15T12:00:00Z')
const hold = (recheckAt: number, reason = `until ${recheckAt}`): GateDecision => ({
  kind: 'hold',
  recheckAt,
  reason,
})
const suppress = (reason: string): GateDecision => ({ kind: 'suppress', reason })
const alert: GateDecision = { kind: 'alert' }

describe('combineDecisions', () => {
  const cases: [string, GateDecision[], GateDecision][] = [
    ['no gates alert', [], alert],
    ['all alert', [alert, alert], alert],
    ['one hold holds', [alert, hold(T0 + 5)], hold(T0 + 5)],
    ['the earliest hold wins', [hold(T0 + 9, 'b'), hold(T0 + 5, 'a')], hold(T0 + 5, 'a')],
    ['equal holds keep the first', [hold(T0, 'a'), hold(T0, 'b')], hold(T0, 'a')],
    ['a suppress beats holds', [hold(T0), suppress('x'), hold(T0 - 1)], suppress('x')],
    ['the first suppress wins', [suppress('x'), suppress('y')], suppress('x')],
  ]
  for (const [name, input, expected] of cases)
    test(name, () => assert.deepEqual(combineDecisions(input), expected))
})

describe('decideGates', () => {
  const input = { trx: null as never, flip: {} as Flip, check: {} as Check, now: T0 }
  test('stops at the first suppress: later gates are not asked', async () => {
    const asked: string[] = []
    const gate = (name: string, d: GateDecision): AlertGate => ({
      name,
      decide: async () => {
        asked.push(name)
        return d
      },
    })
    const d = await decideGates(input, [
      gate('a', hold(T0 + 1)),
      gate('b', suppress('no')),
      gate('c', alert),
    ])
    assert.deepEqual(d, suppress('no'))
    assert.deepEqual(asked, ['a', 'b'])
  })
})

describeEachDatabase('alert gates and warnings rows', (dialect) => {
  let ctx: TestContext
  let c: Check
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    const { project } = await buildProject(ctx)
    c = await buildCheck(ctx, project, { status: 'down', alert_delay: 60 })
  })
  afterEach(() => ctx.drop())

  test('a held flip records the reason and is decided again at its recheck time', async () => {
    const f = await ctx.db.kysely
      .insertInto('flips')
      .values({
        check_id: c.id,
        created: ctx.clock.now(),
        old_status: 'up',
        new_status: 'down',
        reason: 'timeout',
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    assert.equal((await processOneFlip(ctx, ctx.clock.now()))?.outcome, 'held')
    const row = await ctx.db.kysely
      .selectFrom('flips')
      .selectAll()
      .where('id', '=', f.id)
      .executeTakeFirstOrThrow()
    assert.match(row.held_reason, /flapping protection/)
    assert.equal(row.recheck_at, ctx.clock.now() + 60_000)
  })

  test('queueWarning stores an unprocessed warning; listWarnings returns newest first', async () => {
    const a = await queueWarning(ctx.db.kysely, { checkId: c.id, kind: 'late', detail: 'a' }, T0)
    const b = await queueWarning(
      ctx.db.kysely,
      { checkId: c.id, kind: 'too_often', detail: 'b' },
      T0 + 1,
    )
    const rows = await listWarnings(ctx.db.kysely, c.id)
    assert.deepEqual(
      rows.map((w) => [w.id, w.kind, w.detail, w.processed]),
      [
        [b, 'too_often', 'b', null],
        [a, 'late', 'a', null],
      ],
    )
    // Deleting the check deletes its warnings.
    await ctx.db.kysely.deleteFrom('checks').where('id', '=', c.id).execute()
    assert.equal((await listWarnings(ctx.db.kysely, c.id)).length, 0)
  })
})
