// Tests for time zone names: which spellings count as valid, as Healthchecks' zoneinfo list would.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isValidTimeZone } from '../../src/schedule/index.js'

const zones: Array<[string, boolean]> = [
  ['UTC', true],
  ['Europe/Riga', true],
  ['America/New_York', true],
  ['America/Argentina/Buenos_Aires', true],
  ['America/Port-au-Prince', true],
  ['Africa/Dar_es_Salaam', true],
  ['Australia/Lord_Howe', true],
  ['Etc/GMT+5', true],
  ['Etc/UTC', true],
  ['US/Eastern', true],
  ['Europe/Kiev', true],
  ['Europe/Kyiv', true],
  ['EST5EDT', true],
  ['', false],
  ['utc', false],
  ['europe/riga', false],
  ['EUROPE/RIGA', false],
  [' Europe/Riga', false],
  ['Europe/Riga ', false],
  ['Europe//Riga', false],
  ['+02:00', false],
  ['GMT+2', false],
  ['Mars/Olympus', false],
  ['Europe/Atlantis', false],
  ['localtime', false],
]
for (const [tz, valid] of zones) {
  test(`isValidTimeZone(${JSON.stringify(tz)}) is ${valid}`, () => {
    assert.equal(isValidTimeZone(tz), valid)
  })
}
