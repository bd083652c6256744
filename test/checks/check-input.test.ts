import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { JsonFloat, parseJsonBody } from '../../src/api/json-body.js'
import {
  applyCheckSpec,
  checkSpecIssues,
  invalidFieldMessage,
  NEW_CHECK_COLUMNS,
  parseCheckSpec,
  slugify,
} from '../../src/checks/check-input.js'
import { canonicalTimeZone } from '../../src/checks/legacy-time-zones.js'

/** The message Healthchecks gives for a body, or 'ok'. */
function messageFor(json: string): string {
  const parsed = parseJsonBody(Buffer.from(json))
  assert.ok(parsed, `not JSON: ${json}`)
  const r = parseCheckSpec(parsed.value as Record<string, unknown>)
  return r.ok ? 'ok' : invalidFieldMessage(r.error)
}

describe('parseCheckSpec', () => {
  const cases: Array<[string, string]> = [
    ['{}', 'ok'],
    ['{"name": "x", "whatever": [1, 2], "api_key": 5}', 'ok'],
    [`{"name": "${'a'.repeat(100)}"}`, 'ok'],
    [
      `{"name": "${'a'.repeat(101)}"}`,
      'json validation error: name is too long (at most 100 characters)',
    ],
    [`{"name": "${'é'.repeat(100)}"}`, 'ok'],
    ['{"name": 1}', 'json validation error: name is not a string'],
    ['{"name": null}', 'json validation error: name is not a string'],
    ['{"name": "a\\u0000b"}', 'json validation error: name contains a NUL character'],
    ['{"slug": "ab-c_1"}', 'ok'],
    ['{"slug": ""}', 'ok'],
    ['{"slug": "Abc"}', 'json validation error: slug does not match pattern'],
    ['{"slug": "a b"}', 'json validation error: slug does not match pattern'],
    [
      `{"slug": "${'a'.repeat(101)}"}`,
      'json validation error: slug is too long (at most 100 characters)',
    ],
    ['{"tags": ["a"]}', 'json validation error: tags is not a string'],
    ['{"desc": false}', 'json validation error: desc is not a string'],
    ['{"timeout": 60}', 'ok'],
    ['{"timeout": 31536000}', 'ok'],
    [
      '{"timeout": 59}',
      'json validation error: timeout is too small (allowed: 60 to 31536000 seconds)',
    ],
    [
      '{"timeout": 31536001}',
      'json validation error: timeout is too large (allowed: 60 to 31536000 seconds)',
    ],
    ['{"timeout": "60"}', 'json validation error: timeout is not a number'],
    ['{"timeout": 60.0}', 'json validation error: timeout is not a number'],
    ['{"timeout": 6e1}', 'json validation error: timeout is not a number'],
    ['{"timeout": 3600.5}', 'json validation error: timeout is not a number'],
    ['{"timeout": null}', 'json validation error: timeout is not a number'],
    [
      '{"timeout": true}',
      'json validation error: timeout is too small (allowed: 60 to 31536000 seconds)',
    ],
    ['{"timeout": NaN}', 'json validation error: timeout is not a number'],
    [
      '{"grace": 59}',
      'json validation error: grace is too small (allowed: 60 to 31536000 seconds)',
    ],
    ['{"grace": 1e9}', 'json validation error: grace is not a number'],
    [
      '{"grace": -1}',
      'json validation error: grace is too small (allowed: 60 to 31536000 seconds)',
    ],
    ['{"schedule": "*/5 * * * *"}', 'ok'],
    [
      '{"schedule": "* * * * * *"}',
      'json validation error: schedule is not a valid cron or OnCalendar expression',
    ],
    [
      '{"schedule": "61 * * * *"}',
      'json validation error: schedule is not a valid cron or OnCalendar expression',
    ],
    [
      '{"schedule": "0 0 31 2 *"}',
      'json validation error: schedule is not a valid cron or OnCalendar expression',
    ],
    ['{"schedule": 5}', 'json validation error: schedule is not a string'],
    [
      `{"schedule": "${'* '.repeat(51)}"}`,
      'json validation error: schedule is too long (at most 100 characters)',
    ],
    ['{"tz": "Europe/Riga"}', 'ok'],
    ['{"tz": "Europe/Kiev"}', 'ok'],
    ['{"tz": "Mars/Olympus"}', 'json validation error: tz is not a valid timezone'],
    ['{"tz": "europe/riga"}', 'json validation error: tz is not a valid timezone'],
    ['{"tz": 1}', 'json validation error: tz is not a string'],
    ['{"manual_resume": true}', 'ok'],
    ['{"manual_resume": 1}', 'json validation error: manual_resume is not a boolean'],
    ['{"manual_resume": "true"}', 'json validation error: manual_resume is not a boolean'],
    ['{"filter_subject": null}', 'json validation error: filter_subject is not a boolean'],
    ['{"filter_body": 0}', 'json validation error: filter_body is not a boolean'],
    ['{"filter_http_body": "yes"}', 'json validation error: filter_http_body is not a boolean'],
    ['{"filter_default_fail": []}', 'json validation error: filter_default_fail is not a boolean'],
    ['{"methods": ""}', 'ok'],
    ['{"methods": "POST"}', 'ok'],
    ['{"methods": "GET"}', 'json validation error: methods has unexpected value'],
    ['{"methods": "post"}', 'json validation error: methods has unexpected value'],
    ['{"methods": null}', 'json validation error: methods has unexpected value'],
    ['{"channels": 1}', 'json validation error: channels is not a string'],
    [
      `{"start_kw": "${'a'.repeat(201)}"}`,
      'json validation error: start_kw is too long (at most 200 characters)',
    ],
    [
      `{"success_kw": "${'a'.repeat(201)}"}`,
      'json validation error: success_kw is too long (at most 200 characters)',
    ],
    [
      `{"failure_kw": "${'a'.repeat(201)}"}`,
      'json validation error: failure_kw is too long (at most 200 characters)',
    ],
    [
      `{"subject": "${'a'.repeat(201)}"}`,
      'json validation error: subject is too long (at most 200 characters)',
    ],
    ['{"subject_fail": 3}', 'json validation error: subject_fail is not a string'],
    ['{"unique": ["name", "slug", "tags", "timeout", "grace"]}', 'ok'],
    ['{"unique": []}', 'ok'],
    ['{"unique": "name"}', 'json validation error: unique is not an array'],
    ['{"unique": null}', 'json validation error: unique is not an array'],
    ['{"unique": ["desc"]}', "json validation error: an item in 'unique' has unexpected value"],
    ['{"unique": [1]}', "json validation error: an item in 'unique' has unexpected value"],
    // Only the first error counts, in Healthchecks' (alphabetical) field order.
    ['{"timeout": 1, "name": 2, "channels": 3}', 'json validation error: channels is not a string'],
    [
      '{"tz": 1, "grace": 1}',
      'json validation error: grace is too small (allowed: 60 to 31536000 seconds)',
    ],
  ]
  for (const [json, message] of cases) {
    test(`${json.slice(0, 70)} → ${message}`, () => {
      assert.equal(messageFor(json), message)
    })
  }

  test('it rewrites a legacy time zone name', () => {
    const r = parseCheckSpec({ tz: 'Europe/Kiev' })
    assert.deepEqual(r, { ok: true, value: { tz: 'Europe/Kyiv' } })
    assert.equal(canonicalTimeZone('UCT'), 'Etc/UTC')
    assert.equal(canonicalTimeZone('CET'), 'Europe/Brussels')
    assert.equal(canonicalTimeZone('UTC'), 'UTC')
    assert.equal(canonicalTimeZone('toString'), 'toString')
  })
})

describe('checkSpecIssues', () => {
  test("every field reports its first problem, structured, in Healthchecks' order", () => {
    const { spec, issues } = checkSpecIssues({
      name: 'ok',
      timeout: 59,
      slug: `A${'a'.repeat(100)}`,
      tz: 'Mars/Olympus',
      depends_on: ['nope'],
    })
    assert.deepEqual(spec, { name: 'ok' })
    assert.deepEqual(issues, [
      { field: 'depends_on', rule: 'item' },
      { field: 'slug', rule: 'maxLength', limit: 100, also: ['pattern'] },
      { field: 'timeout', rule: 'minimum', limit: 60 },
      { field: 'tz', rule: 'timezone' },
    ])
  })

  test("the first problem is found past TypeBox's eight buffered errors", () => {
    const uuids = Array.from({ length: 101 }, () => 'not-a-uuid')
    assert.equal(
      messageFor(JSON.stringify({ depends_on: uuids })),
      'json validation error: depends_on has too many items (at most 100)',
    )
    const body = Object.fromEntries(
      ['tz', 'timeout', 'tags', 'subject', 'start_kw', 'slug', 'name', 'methods', 'desc'].map(
        (f) => [f, 5],
      ),
    )
    assert.equal(messageFor(JSON.stringify(body)), 'json validation error: desc is not a string')
  })

  test('API v1 and v2 ignore the alert policy fields; v3 checks types before ranges', () => {
    const body = { alert_failures: 0, warn_after: 'soon' }
    assert.deepEqual(parseCheckSpec(body, 1), { ok: true, value: {} })
    assert.deepEqual(parseCheckSpec(body, 3), {
      ok: false,
      error: { kind: 'invalid-field', field: 'warn_after', problem: 'is not a number' },
    })
    assert.deepEqual(parseCheckSpec({ alert_failures: 5, warn_after: null }, 3), {
      ok: true,
      value: { alert_failures: 5, warn_after: null },
    })
  })
})

describe('slugify', () => {
  // Expected values from Django's slugify.
  const cases: Array<[string, string]> = [
    ['Foo Bar', 'foo-bar'],
    ['  Ünïcödé -- Test__ ', 'unicode-test'],
    ['a\x1cb', 'a-b'],
    ['___x___', 'x'],
    ['Backups: nightly (db)!', 'backups-nightly-db'],
    ['Ærøskøbing 2', 'rskbing-2'],
    ['', ''],
  ]
  for (const [name, slug] of cases) {
    test(`${JSON.stringify(name)} → ${JSON.stringify(slug)}`, () =>
      assert.equal(slugify(name), slug))
  }
})

describe('applyCheckSpec', () => {
  test('v1 and v2 derive the slug from the name, v3 does not', () => {
    assert.deepEqual(applyCheckSpec(NEW_CHECK_COLUMNS, { name: 'My Job' }, 1), {
      name: 'My Job',
      slug: 'my-job',
    })
    assert.deepEqual(applyCheckSpec(NEW_CHECK_COLUMNS, { name: 'My Job' }, 3), { name: 'My Job' })
  })

  test('an explicit slug beats the derived one', () => {
    const r = applyCheckSpec(NEW_CHECK_COLUMNS, { name: 'My Job', slug: 'custom' }, 2)
    assert.equal(r.slug, 'custom')
  })

  test('an unchanged name does not touch the slug', () => {
    const check = { ...NEW_CHECK_COLUMNS, name: 'Job', slug: 'kept' }
    assert.deepEqual(applyCheckSpec(check, { name: 'Job' }, 1), {})
  })

  test('a schedule wins over a timeout', () => {
    const r = applyCheckSpec(NEW_CHECK_COLUMNS, { schedule: '0 5 * * *', timeout: 120 }, 3)
    assert.deepEqual(r, { kind: 'cron', schedule: '0 5 * * *' })
  })

  test('a timeout turns a cron check back into a simple one', () => {
    const check = { ...NEW_CHECK_COLUMNS, kind: 'cron' as const, schedule: '0 5 * * *' }
    assert.deepEqual(applyCheckSpec(check, { timeout: 120 }, 3), { kind: 'simple', timeout: 120 })
  })

  test('subject sets success_kw and filter_subject, and an explicit filter_subject wins', () => {
    assert.deepEqual(applyCheckSpec(NEW_CHECK_COLUMNS, { subject: 'SUCCESS' }, 3), {
      success_kw: 'SUCCESS',
      filter_subject: 1,
    })
    assert.deepEqual(
      applyCheckSpec(NEW_CHECK_COLUMNS, { subject_fail: 'FAIL', filter_subject: false }, 3),
      { failure_kw: 'FAIL' },
    )
    const filtered = { ...NEW_CHECK_COLUMNS, success_kw: 'OK', filter_subject: 1 }
    assert.deepEqual(applyCheckSpec(filtered, { subject: '' }, 3), {
      success_kw: '',
      filter_subject: 0,
    })
  })

  test('explicit success_kw is applied after subject', () => {
    const r = applyCheckSpec(NEW_CHECK_COLUMNS, { subject: 'A', success_kw: 'B' }, 3)
    assert.deepEqual(r, { success_kw: 'B', filter_subject: 1 })
  })
})

describe('parseJsonBody', () => {
  test('it reads Python floats as JsonFloat and integers as numbers', () => {
    const r = parseJsonBody(Buffer.from('{"a": 1, "b": 1.0, "c": -2e3, "d": [Infinity]}'))
    assert.ok(r)
    const v = r.value as Record<string, unknown>
    assert.equal(v.a, 1)
    assert.deepEqual(v.b, new JsonFloat(1))
    assert.deepEqual(v.c, new JsonFloat(-2000))
    assert.deepEqual(v.d, [new JsonFloat(Number.POSITIVE_INFINITY)])
  })

  test('it refuses what json.loads refuses', () => {
    for (const bad of [
      '',
      '{',
      '{"a": 1,}',
      "{'a': 1}",
      '01',
      '"\t"',
      '{"a": 1} x',
      '\ufeff{}',
      '['.repeat(10_000),
    ]) {
      assert.equal(parseJsonBody(Buffer.from(bad)), null, JSON.stringify(bad.slice(0, 20)))
    }
    assert.equal(parseJsonBody(Buffer.from([0x7b, 0xff, 0x7d])), null)
  })

  test('it decodes escapes and keeps __proto__ as a plain key', () => {
    const r = parseJsonBody(Buffer.from('{"s": "a\\u00e9\\n\\"", "__proto__": {"x": 1}}'))
    assert.ok(r)
    const v = r.value as Record<string, unknown>
    assert.equal(v.s, 'aé\n"')
    assert.deepEqual(Object.keys(v), ['s', '__proto__'])
  })
})
