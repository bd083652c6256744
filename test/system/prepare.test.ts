import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import { REPO_ROOT } from '../helpers/paths.js'

// Issue 13 §3: dist/ is built at install time (npm's `prepare`), and the hook never fails an
// install without dev dependencies (`npm ci --omit=dev`, the Dockerfile).

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-prepare-'))
  cpSync(join(REPO_ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true })
  mkdirSync(join(dir, 'src'))
  writeFileSync(join(dir, 'src', 'hello.ts'), 'export const hello: string = "hi"\n')
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'NodeNext', outDir: 'dist', rootDir: 'src', skipLibCheck: true },
      include: ['src'],
    }),
  )
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function prepare() {
  return spawnSync(process.execPath, [join(dir, 'scripts', 'prepare.js')], {
    cwd: dir,
    encoding: 'utf8',
  })
}

test('package.json runs scripts/prepare.js as npm’s prepare hook', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  assert.equal(pkg.scripts.prepare, 'node scripts/prepare.js')
})

test('prepare without esbuild (dev dependencies) installed skips the build with one line and exits 0', () => {
  const r = prepare()
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stderr, /esbuild \(a dev dependency\) is not installed .*not building dist\//)
  assert.equal(existsSync(join(dir, 'dist')), false)
})

test('prepare builds dist/ once, saying so, and does nothing while it is current', () => {
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'))
  const r = prepare()
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stderr, /compiling TypeScript into dist\/ \(building dist\/ once/)
  assert.match(r.stderr, /compiled in [\d.]+ s/)
  assert.ok(existsSync(join(dir, 'dist', 'hello.js')))
  assert.ok(existsSync(join(dir, 'dist', '.build-stamp')))
  const again = prepare()
  assert.equal(again.status, 0)
  assert.equal(again.stderr, '')
})
