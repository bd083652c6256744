import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  decideThresholdDown,
  decideThresholdUp,
  failuresInWindow,
  isUnannouncedRelapse,
  successesInARow,
  type ThresholdCheck,
} from '../../src/alerts/fail-threshold.js'
import { decideLateWarning } from '../../src/alerts/late-warnings.js'
import { warnAtFor } from '../../src/checks/alert-policy.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { PingKind } from '../../src/db/index.js'
import { ruleCheckBase } from '../helpers/builders.js'

const T0 = Date.parse('2026-01-15T12:00:00Z')
const MIN = 60_000

function check(fields: Partial<ThresholdCheck>): ThresholdCheck {
  return {
    ...ruleCheckBase(T0),
    fail_window: 0,
    fail_threshold: 0,
    recover_successes: 1,
    ...fields,
  }
}

describe('failure counting', () => {
  const cases: [string, PingKind[], number, number][] = [
    ['empty history', [], 5, 0],
    ['ign, log and start pings are not runs', ['ign', 'fail', 'log', 'ign', 'start', 'fail'], 2, 2],
    [
      'ign pings do not push failures out of the window',
      ['fail', 'ign', 'ign', 'ign', 'fail'],
      2,
      2,
    ],
    ['only the window counts', ['fail', 'success', 'success', 'fail'], 3, 1],
    ['a window larger than the history', ['fail', 'success'], 10, 1],
  ]
  for (const [name, kinds, window, expected] of cases)
    test(name, () => assert.equal(failuresInWindow(kinds, window), expected))

  test('successes in a row skip ign pings and stop at a failure', () => {
    assert.equal(successesInARow(['success', 'ign', 'success', 'log', 'fail', 'success']), 2)
    assert.equal(successesInARow(['fail', 'success']), 0)
    assert.equal(successesInARow([]), 0)
  })
})

describe('decideThresholdDown (K of N)', () => {
  const fail = { reason: 'fail' }
  const k2n3 = check({ fail_window: 3, fail_threshold: 2 })
  const cases: [
    string,
    Parameters<typeof decideThresholdDown>,
    ReturnType<typeof decideThresholdDown>,
  ][] = [
    ['no threshold alerts at once', [fail, check({}), ['fail'], T0], { kind: 'alert' }],
    ['a timeout is not counted', [{ reason: 'timeout' }, k2n3, [], T0], { kind: 'alert' }],
    [
      'K-1 failures in the window hold',
      [fail, k2n3, ['fail', 'success', 'success'], T0],
      { kind: 'hold', recheckAt: T0 + MIN },
    ],
    ['exactly K failures alert', [fail, k2n3, ['fail', 'success', 'fail'], T0], { kind: 'alert' }],
    [
      'the K-th failure just outside the window holds',
      [fail, k2n3, ['fail', 'success', 'success', 'fail'], T0],
      { kind: 'hold', recheckAt: T0 + MIN },
    ],
    [
      'ign pings between failures do not count as runs',
      [fail, k2n3, ['fail', 'ign', 'ign', 'ign', 'fail'], T0],
      { kind: 'alert' },
    ],
    [
      'K = N needs every run failed',
      [fail, check({ fail_window: 3, fail_threshold: 3 }), ['fail', 'fail', 'success'], T0],
      { kind: 'hold', recheckAt: T0 + MIN },
    ],
    [
      'back up meanwhile is suppressed',
      [fail, { ...k2n3, status: 'up' }, ['success', 'fail'], T0],
      { kind: 'suppress' },
    ],
    [
      'a held failure is released when the next run is missed too',
      [fail, k2n3, ['fail'], T0 + 3600_000 + 300_000],
      { kind: 'alert' },
    ],
  ]
  for (const [name, args, expected] of cases)
    test(name, () => assert.deepEqual(decideThresholdDown(...args), expected))
})

describe('decideThresholdUp (M successes)', () => {
  const m3 = check({ status: 'up', recover_successes: 3 })
  const cases: [
    string,
    Parameters<typeof decideThresholdUp>,
    ReturnType<typeof decideThresholdUp>,
  ][] = [
    [
      'no threshold alerts at once',
      [check({ status: 'up' }), ['success'], 'down', T0],
      { kind: 'alert' },
    ],
    [
      'one success of three holds',
      [m3, ['success', 'fail'], 'down', T0],
      { kind: 'hold', recheckAt: T0 + MIN },
    ],
    [
      'three successes in a row alert',
      [m3, ['success', 'success', 'success'], 'down', T0],
      { kind: 'alert' },
    ],
    [
      'ign pings do not break the run',
      [m3, ['success', 'ign', 'success', 'ign', 'success'], 'down', T0],
      { kind: 'alert' },
    ],
    [
      'failed again meanwhile is suppressed',
      [{ ...m3, status: 'down' }, ['fail', 'success'], 'down', T0],
      { kind: 'suppress' },
    ],
    ['no announced down: the usual rules', [m3, ['success'], null, T0], { kind: 'alert' }],
  ]
  for (const [name, args, expected] of cases)
    test(name, () => assert.deepEqual(decideThresholdUp(...args), expected))

  test('a down while the last news is down is a relapse nobody needs', () => {
    assert.equal(
      isUnannouncedRelapse({ fail_window: 0, fail_threshold: 0, recover_successes: 3 }, 'down'),
      true,
    )
    assert.equal(
      isUnannouncedRelapse({ fail_window: 0, fail_threshold: 0, recover_successes: 3 }, 'up'),
      false,
    )
    assert.equal(
      isUnannouncedRelapse({ fail_window: 0, fail_threshold: 0, recover_successes: 1 }, 'down'),
      false,
    )
  })
})

describe('warning time', () => {
  test('warn_after seconds before the grace ends; capped at the grace start', () => {
    assert.equal(warnAtFor({ warn_after: 60, grace: 300 }, T0), T0 - 60_000)
    assert.equal(warnAtFor({ warn_after: 3600, grace: 300 }, T0), T0 - 300_000)
    assert.equal(warnAtFor({ warn_after: null, grace: 300 }, T0), null)
    assert.equal(warnAtFor({ warn_after: 60, grace: 300 }, null), null)
  })

  test('a cron check warns in real time across the spring DST change (Europe/Riga)', () => {
    // 2026-03-29: 03:00 EET becomes 04:00 EEST. Daily at 03:30 local: that day 03:30 does not
    // exist; the next run is 04:30 EEST = 01:30 UTC. Grace 1 hour, warn 15 minutes before its end.
    const c = {
      kind: 'cron' as const,
      timeout: 0,
      grace: 3600,
      schedule: '30 3 * * *',
      tz: 'Europe/Riga',
      status: 'up' as const,
      last_ping: Date.parse('2026-03-28T01:30:00Z'),
      last_start: null,
      warn_after: 900,
    }
    const deadline = goingDownAfter(c) as number
    const warnAt = warnAtFor(c, deadline) as number
    assert.equal(deadline - warnAt, 900_000)
    // The deadline is an instant one real hour after the local run, whatever the offset.
    const next = deadline - 3600_000
    assert.ok(
      next > Date.parse('2026-03-29T00:00:00Z') && next < Date.parse('2026-03-29T02:00:00Z'),
    )
    assert.equal(new Date(warnAt).toISOString(), new Date(next + 2700_000).toISOString())
  })

  test('and across the autumn change, when 03:30 happens twice', () => {
    const c = {
      kind: 'cron' as const,
      timeout: 0,
      grace: 600,
      schedule: '30 3 * * *',
      tz: 'Europe/Riga',
      status: 'up' as const,
      last_ping: Date.parse('2026-10-24T00:30:00Z'),
      last_start: null,
      warn_after: 120,
    }
    const deadline = goingDownAfter(c) as number
    assert.equal(deadline - (warnAtFor(c, deadline) as number), 120_000)
  })

  test('decideLateWarning: later, warn, none', () => {
    const c = { status: 'up' as const, alert_after: T0, warn_after: 120, grace: 600 }
    assert.deepEqual(decideLateWarning(c, T0 - 3 * MIN), { kind: 'later', warnAt: T0 - 2 * MIN })
    assert.deepEqual(decideLateWarning(c, T0 - 2 * MIN), { kind: 'warn', goesDownAt: T0 })
    assert.deepEqual(decideLateWarning(c, T0 - 1), { kind: 'warn', goesDownAt: T0 })
    assert.deepEqual(decideLateWarning(c, T0), { kind: 'none' })
    assert.deepEqual(decideLateWarning({ ...c, status: 'down' }, T0 - MIN), { kind: 'none' })
    assert.deepEqual(decideLateWarning({ ...c, warn_after: null }, T0 - MIN), { kind: 'none' })
    assert.deepEqual(decideLateWarning({ ...c, alert_after: null }, T0 - MIN), { kind: 'none' })
  })
})
