/**
 * The README documents every setting (the brief: "it documents every command, setting and
 * endpoint that exists"). Settings are read only in src/config, so every environment variable
 * named there must appear in the README.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO_ROOT } from '../helpers/paths.js'

const CONFIG_DIR = join(REPO_ROOT, 'src/config')
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')

function settingNames(): string[] {
  const names = new Set<string>()
  for (const file of readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(CONFIG_DIR, file), 'utf8')
    for (const m of source.matchAll(
      /env(?:\.([A-Z][A-Z0-9_]+)|,\s*'([A-Z][A-Z0-9_]+)'|\['([A-Z][A-Z0-9_]+)'\])/g,
    ))
      names.add(m[1] ?? m[2] ?? m[3])
  }
  return [...names].sort()
}

test('every environment variable read in src/config is documented in README.md', () => {
  const names = settingNames()
  assert.ok(names.length > 50, `found only ${names.length} settings: the pattern no longer matches`)
  const undocumented = names.filter((n) => !new RegExp(`\\b${n}\\b`).test(README))
  assert.deepEqual(undocumented, [])
})
