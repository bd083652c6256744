// The warning rules of one worker pass (src/insight/detect-insights.ts): which pings produce
// which findings, and what the check learns.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  detectInsights,
  EMPTY_STATE,
  type InsightPing,
  type InsightSettings,
  type InsightState,
  MAX_SOURCES,
  parseInsightState,
} from '../../src/insight/detect-insights.js'

const MIN = 60_000
const DAY = 86_400_000
const HOUR = 3_600_000
const T0 = Date.parse('2026-01-15T03:00:00Z')
const OFF: InsightSettings = {
  unusualDuration: false,
  newSourceDays: 0,
  sourceScope: 'address',
  twoSources: false,
  tooOften: false,
  schedule: { kind: 'cron', schedule: '0 3 * * *', tz: 'UTC' },
  tz: 'UTC',
}
let n = 0
function ping(
  kind: InsightPing['kind'],
  created: number,
  addr = '10.0.0.1',
  rid: string | null = null,
): InsightPing {
  return { n: ++n, kind, created, remote_addr: addr, rid }
}
const kinds = (r: ReturnType<typeof detectInsights>) => r.findings.map((f) => f.kind)

test('too often: a second success in one cron period warns once; the next day does not', () => {
  const s = { ...OFF, tooOften: true }
  const r = detectInsights(
    s,
    EMPTY_STATE,
    [ping('success', T0)],
    [ping('success', T0 + 5 * MIN), ping('success', T0 + 6 * MIN), ping('success', T0 + DAY)],
  )
  assert.deepEqual(kinds(r), ['too_often'])
  assert.match(r.findings[0].detail, /03:00:00Z and 2026-01-15T03:05:00Z within one period/)
})

test('too often: starts, failures and logs do not count; a simple check uses half its period', () => {
  const s = { ...OFF, tooOften: true }
  const cron = detectInsights(
    s,
    EMPTY_STATE,
    [],
    [
      ping('start', T0),
      ping('fail', T0 + MIN),
      ping('log', T0 + 2 * MIN),
      ping('success', T0 + 3 * MIN),
    ],
  )
  assert.deepEqual(kinds(cron), [])
  const simple = { ...s, schedule: { kind: 'simple' as const, timeout: 3600 } }
  const far = detectInsights(
    simple,
    EMPTY_STATE,
    [ping('success', T0)],
    [ping('success', T0 + 31 * MIN)],
  )
  assert.deepEqual(kinds(far), [])
  const near = detectInsights(
    simple,
    EMPTY_STATE,
    [ping('success', T0)],
    [ping('success', T0 + 29 * MIN)],
  )
  assert.deepEqual(kinds(near), ['too_often'])
})

test('too often across DST: OnCalendar 02:30 New York on the spring-forward day, cron in Riga on fall-back', () => {
  const onCal = {
    ...OFF,
    tooOften: true,
    schedule: { kind: 'oncalendar' as const, schedule: '*-*-* 02:30:00', tz: 'America/New_York' },
  }
  // 02:30 does not exist on 2026-03-08; the run comes at 03:30 EDT (07:30Z), twice 10 min apart.
  const at = Date.parse('2026-03-08T07:30:00Z')
  assert.deepEqual(
    kinds(
      detectInsights(onCal, EMPTY_STATE, [ping('success', at)], [ping('success', at + 10 * MIN)]),
    ),
    ['too_often'],
  )
  // The next day's run is a new period.
  assert.deepEqual(
    kinds(
      detectInsights(onCal, EMPTY_STATE, [ping('success', at)], [ping('success', at + DAY - HOUR)]),
    ),
    [],
  )
  const cron = {
    ...OFF,
    tooOften: true,
    schedule: { kind: 'cron' as const, schedule: '0 3 * * *', tz: 'Europe/Riga' },
  }
  // 2026-10-25: clocks go back from 04:00 to 03:00, so 03:00 local happens twice (00:00Z, 01:00Z).
  const fallBack = Date.parse('2026-10-25T01:00:00Z')
  assert.deepEqual(
    kinds(
      detectInsights(
        cron,
        EMPTY_STATE,
        [ping('success', fallBack)],
        [ping('success', fallBack + 30 * MIN)],
      ),
    ),
    ['too_often'],
  )
  assert.deepEqual(
    kinds(
      detectInsights(
        cron,
        EMPTY_STATE,
        [ping('success', fallBack)],
        [ping('success', fallBack + DAY)],
      ),
    ),
    [],
  )
})

test('too often is off unless the check opts in', () => {
  const r = detectInsights(OFF, EMPTY_STATE, [ping('success', T0)], [ping('success', T0 + MIN)])
  assert.deepEqual(kinds(r), [])
})

test('two sources: another address in the same period warns once; a later period does not', () => {
  const s = { ...OFF, twoSources: true }
  const r = detectInsights(
    s,
    EMPTY_STATE,
    [ping('start', T0, '10.0.0.1')],
    [
      ping('start', T0 + MIN, '10.0.0.2'),
      ping('success', T0 + 2 * MIN, '10.0.0.1'),
      ping('success', T0 + 3 * MIN, '10.0.0.2'),
      ping('start', T0 + DAY, '10.0.0.2'),
    ],
  )
  assert.deepEqual(kinds(r), ['two_sources'])
  assert.match(r.findings[0].detail, /10\.0\.0\.1 and 10\.0\.0\.2 within one period/)
})

test('two sources under network scope: two hosts of one /24 are one source', () => {
  const s = { ...OFF, twoSources: true, sourceScope: 'network' as const }
  const r = detectInsights(
    s,
    EMPTY_STATE,
    [ping('start', T0, '10.0.0.1')],
    [ping('success', T0 + MIN, '10.0.0.2')],
  )
  assert.deepEqual(kinds(r), [])
  const v6 = detectInsights(
    s,
    EMPTY_STATE,
    [ping('start', T0, '2001:db8:0:1::5')],
    [ping('success', T0 + MIN, '2001:db8:0:2::5')],
  )
  assert.deepEqual(kinds(v6), ['two_sources'])
})

test('new source: the first source is learned silently, a new one warns, a known one does not', () => {
  const s = { ...OFF, newSourceDays: 30 }
  const first = detectInsights(s, EMPTY_STATE, [], [ping('success', T0, '10.0.0.1')])
  assert.deepEqual(kinds(first), [])
  const r = detectInsights(
    s,
    first.state,
    [],
    [
      ping('success', T0 + DAY, '10.0.0.1'),
      ping('success', T0 + 2 * DAY, '::ffff:10.0.0.9'),
      ping('success', T0 + 3 * DAY, '10.0.0.9'),
    ],
  )
  assert.deepEqual(kinds(r), ['new_source'])
  assert.match(r.findings[0].detail, /ping from 10\.0\.0\.9, not seen in the last 30 days/)
})

test('new source: a source not seen for more than N days is new again; ignored pings never count', () => {
  const s = { ...OFF, newSourceDays: 7 }
  const state: InsightState = { runs: [], sources: { '10.0.0.1': T0, '10.0.0.2': T0 + 7 * DAY } }
  const r = detectInsights(
    s,
    state,
    [],
    [
      ping('ign', T0 + 7 * DAY, '192.0.2.1'),
      ping('success', T0 + 7 * DAY, '10.0.0.1'),
      ping('success', T0 + 15 * DAY, '10.0.0.1'),
    ],
  )
  assert.deepEqual(kinds(r), ['new_source'])
  assert.equal(r.findings[0].at, T0 + 15 * DAY)
  assert.equal(r.state.sources['192.0.2.1'], undefined)
})

test('sources beyond MAX_SOURCES forget the longest-unseen', () => {
  const sources: Record<string, number> = {}
  for (let i = 0; i < MAX_SOURCES; i++) sources[`10.0.${i >> 8}.${i & 255}`] = T0 + i
  const r = detectInsights(OFF, { runs: [], sources }, [], [ping('log', T0 + DAY, '192.0.2.1')])
  assert.equal(Object.keys(r.state.sources).length, MAX_SOURCES)
  assert.equal(r.state.sources['10.0.0.0'], undefined)
  assert.equal(r.state.sources['192.0.2.1'], T0 + DAY)
})

function history(count: number): InsightState {
  return {
    runs: Array.from({ length: count }, (_, i) => [
      T0 - (count - i) * DAY,
      (4 + (i % 3) - 1) * MIN,
    ]),
    sources: {},
  }
}

test('unusual duration: a run far outside the learned band warns; runs are learned either way', () => {
  const s = { ...OFF, unusualDuration: true }
  const r = detectInsights(
    s,
    history(30),
    [],
    [
      ping('start', T0),
      ping('success', T0 + 41 * MIN),
      ping('start', T0 + DAY),
      ping('success', T0 + DAY + 4 * MIN),
    ],
  )
  assert.deepEqual(kinds(r), ['unusual_duration'])
  assert.match(r.findings[0].detail, /^ran 41 min; usually 0 s–8 min 27 s \(median 4 min\)$/)
  assert.equal(r.state.runs.length, 32)
})

test('unusual duration: with fewer than 20 runs nothing is judged; unpaired and run-id pairs', () => {
  const s = { ...OFF, unusualDuration: true }
  assert.deepEqual(
    kinds(detectInsights(s, history(19), [], [ping('start', T0), ping('success', T0 + 99 * MIN)])),
    [],
  )
  // A success without a start has no duration; a start of another run id does not pair.
  const r = detectInsights(
    s,
    history(30),
    [ping('start', T0, '10.0.0.1', 'a')],
    [
      ping('success', T0 + 99 * MIN, '10.0.0.1', 'b'),
      ping('success', T0 + 100 * MIN, '10.0.0.1', 'a'),
    ],
  )
  assert.deepEqual(kinds(r), ['unusual_duration'])
  assert.match(r.findings[0].detail, /^ran 1 h 40 min/)
})

test('stored state that is not valid JSON is a fresh start', () => {
  assert.deepEqual(parseInsightState(''), EMPTY_STATE)
  assert.deepEqual(parseInsightState('{"runs":[[1,2],["x"]],"sources":{"a":3}}'), {
    runs: [[1, 2]],
    sources: { a: 3 },
  })
})
