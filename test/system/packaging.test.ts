/**
 * Issue 13 §4: the Dockerfile and compose.yaml. Images cannot be built here (no registry), so
 * this checks what can be: the Dockerfile's steps, its runtime stage's install run in a clean
 * folder from exactly what it copies (offline, from npm's cache), that every package the code
 * imports is a runtime dependency and resolves in that install, and that compose's services and
 * variables are the README's.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { after, before, test } from 'node:test'
import { REPO_ROOT } from '../helpers/paths.js'

interface Instruction {
  op: string
  args: string
}

/** The Dockerfile as stages of instructions (continuation lines joined, comments dropped). */
function dockerStages(): Instruction[][] {
  const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ')
  const stages: Instruction[][] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const m = /^(\w+)\s+(.*)$/.exec(line)
    assert.ok(m, `a Dockerfile instruction: ${line}`)
    const ins = { op: m[1].toUpperCase(), args: m[2].replace(/\s+/g, ' ') }
    if (ins.op === 'FROM') stages.push([])
    stages.at(-1)?.push(ins)
  }
  return stages
}

/** A small YAML reader for compose.yaml's subset: maps, `- item` lists, flow lists, scalars. */
function parseYaml(text: string): unknown {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').replace(/^#.*$/, ''))
    .filter((l) => l.trim() !== '')
  let i = 0
  const indentOf = (l: string) => l.length - l.trimStart().length
  const scalar = (v: string): unknown => {
    const t = v.trim()
    if (t.startsWith('[')) return JSON.parse(t)
    if (/^".*"$/.test(t)) return JSON.parse(t)
    if (/^'.*'$/.test(t)) return t.slice(1, -1)
    if (t === 'true' || t === 'false') return t === 'true'
    return t
  }
  const block = (indent: number): unknown => {
    if (lines[i].trimStart().startsWith('- ')) {
      const list: unknown[] = []
      while (
        i < lines.length &&
        indentOf(lines[i]) === indent &&
        lines[i].trimStart().startsWith('- ')
      )
        list.push(scalar(lines[i++].trimStart().slice(2)))
      return list
    }
    const map: Record<string, unknown> = {}
    while (i < lines.length && indentOf(lines[i]) === indent) {
      const m = /^([^:]+):(?:\s+(.*))?$/.exec(lines[i].trim())
      assert.ok(m, `a YAML key: ${lines[i]}`)
      i++
      if (m[2] !== undefined) map[m[1]] = scalar(m[2])
      else if (i < lines.length && indentOf(lines[i]) > indent)
        map[m[1]] = block(indentOf(lines[i]))
      else map[m[1]] = null
    }
    return map
  }
  return block(0)
}

interface ComposeService {
  image?: string
  build?: string
  command?: string[]
  environment?: Record<string, string>
  healthcheck?: { disable?: boolean }
}
const compose = parseYaml(readFileSync(join(REPO_ROOT, 'compose.yaml'), 'utf8')) as {
  services: Record<string, ComposeService>
  volumes: Record<string, unknown>
}
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
const dockerSection = README.slice(
  README.indexOf('## Docker and Compose'),
  README.indexOf('\n## ', README.indexOf('## Docker and Compose') + 5),
)
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
  scripts: Record<string, string>
}

test('the Dockerfile: node:20-slim, npm ci --omit=dev, non-root, health check, /data, vigil serve', () => {
  const stages = dockerStages()
  for (const s of stages) assert.match(s[0].args, /^node:20-slim\b/)
  const runtime = stages.at(-1) ?? []
  const ops = (op: string) => runtime.filter((i) => i.op === op).map((i) => i.args)
  assert.ok(ops('RUN').some((r) => /\bnpm ci --omit=dev\b/.test(r)))
  const user = ops('USER').at(-1)
  assert.ok(user && !/^(root|0)(:|$)/.test(user), 'runs as a non-root user')
  assert.match(ops('HEALTHCHECK').join(' '), /\/api\/v3\/status\//)
  assert.match(ops('VOLUME').join(' '), /\/data\b/)
  assert.match(ops('ENV').join(' '), /DB_NAME=\/data\//)
  const entry = [...JSON.parse(ops('ENTRYPOINT')[0]), ...JSON.parse(ops('CMD')[0])] as string[]
  assert.deepEqual(entry, ['node', 'bin/vigil.js', 'serve'])
  // The build stage compiles: npm ci runs the prepare hook over the copied sources.
  const build = stages[0]
  assert.ok(build.some((i) => i.op === 'COPY' && /\bsrc\b/.test(i.args)))
  assert.ok(build.some((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args)))
  assert.ok(runtime.some((i) => i.op === 'COPY' && /--from=build \/app\/dist/.test(i.args)))
})

let dir: string
let installed: { ok: true } | { ok: false; why: string }
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-docker-'))
  // The runtime stage's steps in a clean folder: each COPY from the context, then its RUN npm ci,
  // offline (npm's cache; no registry in tests) and without install scripts (better-sqlite3's
  // binary download cannot run here; Docker's build does run it).
  for (const ins of dockerStages().at(-1) ?? []) {
    if (ins.op === 'COPY' && !ins.args.startsWith('--from')) {
      const parts = ins.args.split(' ')
      const dest = parts.at(-1) as string
      for (const src of parts.slice(0, -1)) {
        const to = dest.endsWith('/') ? join(dir, dest, src) : join(dir, dest)
        cpSync(join(REPO_ROOT, src), to, { recursive: true })
      }
    }
    if (ins.op === 'RUN' && /npm ci/.test(ins.args)) break
  }
  const r = spawnSync(
    'npm',
    ['ci', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: dir, encoding: 'utf8', timeout: 300_000 },
  )
  installed =
    r.status === 0
      ? { ok: true }
      : { ok: false, why: `${r.stderr}`.split('\n').slice(-5).join('\n') }
})
after(() => rmSync(dir, { recursive: true, force: true }))

test('what the runtime stage copies before npm ci is what npm ci needs (lock file, prepare hook)', () => {
  for (const f of [
    'package.json',
    'package-lock.json',
    'scripts/prepare.js',
    'scripts/ensure-built.js',
  ])
    assert.ok(existsSync(join(dir, f)), `${f} is copied before npm ci`)
  assert.equal(pkg.scripts.prepare, 'node scripts/prepare.js')
  // npm runs prepare after installing: with no src/ and no TypeScript it must succeed quietly.
  const r = spawnSync(process.execPath, ['scripts/prepare.js'], { cwd: dir, encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
})

/** True when an import clause brings in types only (erased when compiled). */
function typeOnly(keyword: string | undefined, clause: string): boolean {
  if (keyword) return true
  const m = /^\{([^}]*)\}$/.exec(clause.trim())
  return !!m?.[1].split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim()))
}

/** Bare package names the files under src/ import at run time (static, side-effect, dynamic). */
function importedPackages(): Map<string, string> {
  const found = new Map<string, string>()
  const add = (spec: string, file: string) => {
    if (spec.startsWith('.') || spec.startsWith('node:')) return
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
    if (!found.has(name)) found.set(name, relative(REPO_ROOT, file))
  }
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e)
      if (statSync(p).isDirectory()) walk(p)
      else if (/\.tsx?$/.test(e)) {
        const text = readFileSync(p, 'utf8')
        for (const m of text.matchAll(
          /(?:^|\n)\s*(?:import|export)\s+(type\s+)?([^;'"]*?)\s+from\s+'([^']+)'/g,
        ))
          if (!typeOnly(m[1], m[2])) add(m[3], p)
        for (const m of text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g)) add(m[1], p)
        for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) add(m[1], p)
        // createRequire(…).resolve('pkg/…'): files read from a package at run time.
        for (const m of text.matchAll(/\brequire(?:\.resolve)?\(\s*'([^']+)'\s*\)/g)) add(m[1], p)
      }
    }
  }
  walk(join(REPO_ROOT, 'src'))
  // JSX compiles to imports of the jsxImportSource's runtime.
  found.set('preact', found.get('preact') ?? 'tsconfig.json (jsxImportSource)')
  return found
}

test('every package the code imports is a runtime dependency', () => {
  const missing = [...importedPackages()]
    .filter(([name]) => !pkg.dependencies[name])
    .map(([name, file]) => `${name} (imported by ${file})`)
  assert.deepEqual(missing, [], 'move these to "dependencies" or `npm ci --omit=dev` breaks them')
})

test('npm ci --omit=dev in a clean folder installs them all: each one resolves there', (t) => {
  if (!installed.ok) {
    // CI has just run `npm ci`, so npm's cache holds every package: there it must work.
    if (process.env.CI === 'true') assert.fail(`offline npm ci --omit=dev failed: ${installed.why}`)
    t.skip(`offline install not possible here (npm cache incomplete?): ${installed.why}`)
    return
  }
  const names = [...importedPackages().keys()]
  const probe = join(dir, 'probe.mjs')
  writeFileSync(
    probe,
    `const bad = []\nfor (const n of ${JSON.stringify(names)}) { try { import.meta.resolve(n) } catch (e) { bad.push(n + ': ' + e.message) } }\nconsole.log(JSON.stringify(bad))\n`,
  )
  const r = spawnSync(process.execPath, [probe], { cwd: dir, encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(JSON.parse(r.stdout), [])
  assert.equal(existsSync(join(dir, 'node_modules', 'typescript')), false, 'no dev dependencies')
})

test('compose: web, worker and smtpd roles of one image on PostgreSQL 15', () => {
  const s = compose.services
  assert.deepEqual(Object.keys(s).sort(), ['db', 'smtpd', 'web', 'worker'])
  assert.match(String(s.db.image), /^postgres:15\b/)
  assert.deepEqual(s.web.command, ['serve', '--role', 'web'])
  assert.deepEqual(s.worker.command, ['serve', '--role', 'worker'])
  assert.deepEqual(s.smtpd.command, ['serve', '--role', 'smtpd'])
  for (const name of ['web', 'worker', 'smtpd']) {
    assert.equal(s[name].build, '.', `${name} builds the Dockerfile`)
    assert.equal(s[name].environment?.DB, 'postgres')
    assert.equal(s[name].environment?.DB_HOST, 'db')
  }
  // Processes without HTTP must not inherit the image's HTTP health check.
  assert.equal(s.worker.healthcheck?.disable, true)
  assert.equal(s.smtpd.healthcheck?.disable, true)
  assert.ok(s.smtpd.environment?.SMTPD_PORT)
  assert.ok(s.smtpd.environment?.PING_EMAIL_DOMAIN)
})

test('compose and the README name the same services and variables', () => {
  assert.ok(dockerSection.length > 100, 'README has a "Docker and Compose" section')
  for (const name of Object.keys(compose.services))
    assert.match(dockerSection, new RegExp(`\\| \`${name}\` \\|`), `README lists service ${name}`)
  const used = new Set<string>()
  for (const svc of Object.values(compose.services))
    if (svc.image !== 'postgres:15') for (const k of Object.keys(svc.environment ?? {})) used.add(k)
  const documented = new Set(
    [...dockerSection.matchAll(/^\| `([A-Z_]+)` \| [^|]+ \| (?!not needed)/gm)].map((m) => m[1]),
  )
  assert.deepEqual([...used].sort(), [...documented].sort())
})

test('the image does not carry the development tree (.dockerignore)', () => {
  const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n')
  for (const p of ['node_modules', 'dist', 'data', '.git']) assert.ok(ignored.includes(p), p)
  assert.ok(existsSync(join(dirname(join(REPO_ROOT, 'Dockerfile')), 'compose.yaml')))
})
