import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  checkFormBody,
  defaultFormValues,
  readCheckForm,
  schedulePreview,
  splitSeconds,
} from '../../src/web/check-form/check-form.js'

const NOW = Date.parse('2026-10-20T12:00:00Z')

describe('check form', () => {
  test('seconds are shown in the largest exact unit', () => {
    assert.deepEqual(splitSeconds(86_400), { value: '1', unit: 'days' })
    assert.deepEqual(splitSeconds(5400), { value: '90', unit: 'minutes' })
    assert.deepEqual(splitSeconds(90), { value: '1.5', unit: 'minutes' })
  })

  test('a simple check becomes an API body with a timeout and a derived slug', () => {
    const v = {
      ...defaultFormValues('UTC'),
      name: 'Nightly Backup!',
      tags: ' a  b ',
      timeout_value: '2',
      timeout_unit: 'hours' as const,
    }
    const r = checkFormBody(v, { creating: true })
    assert.ok(r.ok)
    assert.equal(r.body.slug, 'nightly-backup')
    assert.equal(r.body.tags, 'a b')
    assert.equal(r.body.timeout, 7200)
    assert.equal(r.body.grace, 3600)
    assert.equal(r.body.schedule, undefined)
  })

  test('editing keeps an empty slug empty', () => {
    const r = checkFormBody({ ...defaultFormValues('UTC'), name: 'x' }, { creating: false })
    assert.ok(r.ok)
    assert.equal(r.body.slug, '')
  })

  test('a cron check sends its schedule and canonical zone', () => {
    const r = checkFormBody(
      { ...defaultFormValues('UTC'), kind: 'cron', schedule: '0 5 * * *', tz: 'Europe/Kiev' },
      { creating: true },
    )
    assert.ok(r.ok)
    assert.equal(r.body.schedule, '0 5 * * *')
    assert.equal(r.body.tz, 'Europe/Kyiv')
    assert.equal(r.body.timeout, undefined)
  })

  test('every problem is reported on its own field', () => {
    const r = checkFormBody(
      {
        ...defaultFormValues('UTC'),
        name: 'n'.repeat(101),
        slug: 'A',
        grace_value: '-1',
        kind: 'cron',
        schedule: '* * *',
        success_kw: 'k'.repeat(201),
      },
      { creating: true },
    )
    assert.ok(!r.ok)
    assert.deepEqual(Object.keys(r.errors).sort(), [
      'grace_value',
      'name',
      'schedule',
      'slug',
      'success_kw',
    ])
  })

  test("the API schema's problems are worded for the form, in its units", () => {
    const r = checkFormBody(
      {
        ...defaultFormValues('UTC'),
        slug: `Bad ${'x'.repeat(100)}`,
        grace_value: '366',
        grace_unit: 'days',
        min_runtime: '600',
        max_runtime: '5',
        alert_delay: '1441',
      },
      { creating: false },
    )
    assert.ok(!r.ok)
    assert.deepEqual(r.errors, {
      slug: 'Use only lowercase letters, digits, hyphens and underscores.',
      grace_value: 'The grace time must be at most 365 days.',
      min_runtime: 'The minimum run time must be shorter than the maximum run time.',
      alert_delay: 'Enter a whole number of minutes from 0 to 1440.',
    })
  })

  test('reading a form tolerates missing, repeated and odd fields', () => {
    const v = readCheckForm({
      kind: ['cron', 'simple'],
      timeout_unit: 'weeks',
      methods: 'DELETE',
      filter_body: '1',
      schedule: 'a\r\nb',
    })
    assert.equal(v.kind, 'simple')
    assert.equal(v.timeout_unit, 'days')
    assert.equal(v.methods, '')
    assert.equal(v.filter_body, true)
    assert.equal(v.schedule, 'a\nb')
    assert.equal(readCheckForm(null).name, '')
  })

  test('the preview crosses the autumn DST change in the check zone and shows the viewer zone', () => {
    const p = schedulePreview(
      {
        kind: 'cron',
        schedule: '0 9 * * 0',
        tz: 'Europe/Berlin',
        timeout_value: '',
        timeout_unit: 'days',
      },
      'America/New_York',
      NOW,
    )
    assert.ok(p.ok)
    assert.deepEqual(
      p.runs.map((r) => `${r.checkZone} | ${r.viewerZone}`),
      [
        '25 Oct 2026, 09:00:00 CET | 25 Oct 2026, 04:00:00 GMT-4',
        '1 Nov 2026, 09:00:00 CET | 1 Nov 2026, 03:00:00 GMT-5',
        '8 Nov 2026, 09:00:00 CET | 8 Nov 2026, 03:00:00 GMT-5',
        '15 Nov 2026, 09:00:00 CET | 15 Nov 2026, 03:00:00 GMT-5',
        '22 Nov 2026, 09:00:00 CET | 22 Nov 2026, 03:00:00 GMT-5',
      ],
    )
  })

  test('the preview of a bad expression is an error, not runs', () => {
    const p = schedulePreview(
      {
        kind: 'oncalendar',
        schedule: 'Mon..Fri 25:00',
        tz: 'UTC',
        timeout_value: '',
        timeout_unit: 'days',
      },
      'UTC',
      NOW,
    )
    assert.deepEqual(p, {
      ok: false,
      error: 'This is not a valid OnCalendar expression, or it never matches.',
    })
  })
})
