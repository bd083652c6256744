import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  badgeJson,
  badgeSvg,
  checkBadgeTally,
  shieldsJson,
  tallyBadge,
  textWidth,
} from '../../src/badges/badge.js'

describe('badge states', () => {
  const three = { withLate: true, stopAtFirstDown: false }
  const two = { withLate: false, stopAtFirstDown: false }

  test('no checks is up', () => {
    assert.deepEqual(tallyBadge([], three), { status: 'up', total: 0, grace: 0, down: 0 })
  })

  test('new, paused and started checks count as up', () => {
    assert.equal(tallyBadge(['new', 'paused', 'started', 'up'], three).status, 'up')
  })

  test('a late check makes the 3-state badge late and leaves the 2-state badge up', () => {
    assert.deepEqual(tallyBadge(['up', 'grace'], three), {
      status: 'late',
      total: 2,
      grace: 1,
      down: 0,
    })
    assert.deepEqual(tallyBadge(['up', 'grace'], two), {
      status: 'up',
      total: 2,
      grace: 1,
      down: 0,
    })
  })

  test('any down check wins over late, in either order', () => {
    assert.equal(tallyBadge(['grace', 'down'], three).status, 'down')
    assert.equal(tallyBadge(['down', 'grace'], three).status, 'down')
    assert.equal(tallyBadge(['down'], two).status, 'down')
  })

  test('counting stops at the first down check when asked (SVG)', () => {
    const t = tallyBadge(['up', 'down', 'grace', 'down'], { withLate: true, stopAtFirstDown: true })
    assert.deepEqual(t, { status: 'down', total: 2, grace: 0, down: 1 })
  })

  test('one check: late only with 3 states', () => {
    assert.deepEqual(checkBadgeTally('grace', 3), { status: 'late', total: 1, grace: 1, down: 0 })
    assert.deepEqual(checkBadgeTally('grace', 2), { status: 'up', total: 1, grace: 1, down: 0 })
    assert.deepEqual(checkBadgeTally('down', 2), { status: 'down', total: 1, grace: 0, down: 1 })
    assert.deepEqual(checkBadgeTally('paused', 3), { status: 'up', total: 1, grace: 0, down: 0 })
  })
})

describe('badge rendering', () => {
  test('text width follows the Verdana table, 7 px for anything else', () => {
    assert.equal(textWidth('foo'), 18)
    assert.equal(textWidth('late'), 21)
    assert.equal(textWidth('Mé'), 10 + 7)
    assert.equal(textWidth('😀'), 7)
  })

  test('the SVG is Healthchecks’ template filled in', () => {
    assert.equal(
      badgeSvg('foo', 'up'),
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="52" height="20">
  <linearGradient id="smooth" x2="0" y2="100%">
    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>
    <stop offset="1" stop-opacity=".1"/>
  </linearGradient>

  <mask id="round">
    <rect width="52" height="20" rx="3" fill="#fff"/>
  </mask>

  <g mask="url(#round)">
    <rect width="28" height="20" fill="#555"/>
    <rect x="28" width="24" height="20" fill="#4c1"/>
    <rect width="52" height="20" fill="url(#smooth)"/>
  </g>

  <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">
    <text x="14.0" y="15" fill="#010101" fill-opacity=".3">foo</text>
    <text x="14.0" y="14">foo</text>
    <text x="40.0" y="15" fill="#010101" fill-opacity=".3">up</text>
    <text x="40.0" y="14">up</text>
  </g>
</svg>
`,
    )
  })

  test('odd widths give half-pixel centres and the state colours', () => {
    const late = badgeSvg('i', 'late')
    // label: 3 + 10 = 13 wide; status: 21 + 10 = 31 wide
    assert.match(late, /width="44" height="20">/)
    assert.match(late, /<text x="6.5" y="14">i<\/text>/)
    assert.match(late, /<text x="28.5" y="14">late<\/text>/)
    assert.match(late, /fill="#fe7d37"/)
    assert.match(badgeSvg('x', 'down'), /fill="#e05d44"/)
  })

  test('labels are escaped as Django templates escape', () => {
    const svg = badgeSvg(`<a href="x">&'`, 'up')
    assert.match(svg, />&lt;a href=&quot;x&quot;&gt;&amp;&#x27;<\/text>/)
    assert.doesNotMatch(svg, /<a href/)
  })

  test('JSON and shields bodies', () => {
    assert.deepEqual(badgeJson({ status: 'late', total: 3, grace: 1, down: 0 }), {
      status: 'late',
      total: 3,
      grace: 1,
      down: 0,
    })
    assert.deepEqual(shieldsJson('db', 'up'), {
      schemaVersion: 1,
      label: 'db',
      message: 'up',
      color: 'success',
    })
    assert.equal(shieldsJson('db', 'late').color, 'important')
    assert.equal(shieldsJson('db', 'down').color, 'critical')
  })
})
