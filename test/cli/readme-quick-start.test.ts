import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestDatabase } from '../helpers/databases.js'
import { REPO_ROOT } from '../helpers/paths.js'

// Issue 13 §3: the README's quick start shows what the CLI prints, indentation included.

/** The `# → …` lines that follow `command` in the README's quick start, without the comment marks. */
function shownAfter(command: string): string {
  const lines = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n')
  const at = lines.findIndex((l) => l.startsWith(command))
  assert.ok(at >= 0, `README shows ${command}`)
  const shown: string[] = []
  for (const line of lines.slice(at + 1)) {
    if (!line.startsWith('#')) break
    shown.push(line.replace(/^# (→ | {2})?/, ''))
  }
  return shown.join('\n')
}

const t = await createTestDatabase('sqlite')
after(() => t.drop())

test('the README shows `vigil project create` output exactly as the CLI prints it', async () => {
  const env = databaseEnv(t.dbConfig)
  const u = await runVigil(
    env,
    'user',
    'create',
    '--email',
    'ops@example.com',
    '--password',
    'a long password',
  )
  assert.equal(u.code, 0, u.err)
  const p = await runVigil(
    env,
    'project',
    'create',
    '--owner',
    'ops@example.com',
    '--name',
    'Backups',
  )
  assert.equal(p.code, 0, p.err)
  // Keys and ids differ per run: the README writes them as "…".
  const printed = p.out.replace(/": "(?!Backups")[^"]*"/g, '": "…"')
  assert.equal(shownAfter('npx vigil project create'), printed)
})
