// `npm test`: compiles src/ and test/ to build-test/ (esbuild, without type-checking, which `npm
// run lint` does; skipped when nothing changed), then runs the compiled
// test files with node:test. Loading the app through tsx cost ~2 s of CPU per test file (149
// files); compiled it loads in well under one. Source maps point stack traces at the .ts files.
//
//   node scripts/test.js [--unit | --e2e] [file or folder under test/ …]
//
// TEST_CONCURRENCY (default 2): test files run at once. Other node:test flags pass through
// (e.g. --test-name-pattern=…).
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)

const args = process.argv.slice(2)
const unit = args.includes('--unit')
const e2e = args.includes('--e2e')
const passThrough = args.filter((a) => a.startsWith('--') && a !== '--unit' && a !== '--e2e')
const roots = args.filter((a) => !a.startsWith('--'))
if (roots.length === 0) roots.push(e2e ? 'test/e2e' : 'test')

function testFiles(path) {
  if (!existsSync(path)) throw new Error(`no such test file or folder: ${path}`)
  if (statSync(path).isFile()) return [path]
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => {
    const p = join(path, e.name)
    if (e.isDirectory()) return testFiles(p)
    return /\.test\.tsx?$/.test(e.name) ? [p] : []
  })
}

const sources = [...new Set(roots.flatMap(testFiles))]
  .map((p) => relative(root, join(root, p)))
  .filter((p) => !unit || !p.startsWith(join('test', 'e2e')))
  .sort()

/** Every .ts/.tsx file under `path` (declaration files aside). */
function typeScriptFiles(path) {
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => {
    const p = join(path, e.name)
    if (e.isDirectory()) return typeScriptFiles(p)
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : []
  })
}

/** Every file the compile reads (sources and its configuration) with its size and modification time. */
function inputs(path) {
  const st = statSync(path)
  if (!st.isDirectory()) return [`${path} ${st.size} ${st.mtimeMs}`]
  return readdirSync(path)
    .sort()
    .flatMap((name) => inputs(join(path, name)))
}

// Skip the compile when no input changed since the last successful one. Any difference counts (a
// checkout or copy can give a file an older time), so this never runs stale code.
const signatureFile = join('build-test', '.inputs')
const signature = ['src', 'test', 'tsconfig.json'].flatMap(inputs).join('\n')
const upToDate = existsSync(signatureFile) && readFileSync(signatureFile, 'utf8') === signature
if (!upToDate) {
  const started = Date.now()
  // esbuild transpiles each file on its own, as `tsc --noCheck` did (type errors are
  // `npm run lint`'s job), in ~1 s where tsc took 25 s of CPU on a clean clone; it reads the JSX
  // settings from tsconfig.json.
  const { build } = await import('esbuild')
  const sourceFiles = ['src', 'test'].flatMap(typeScriptFiles)
  try {
    await build({
      entryPoints: sourceFiles,
      outdir: 'build-test',
      outbase: '.',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      tsconfig: 'tsconfig.json',
      logLevel: 'warning',
    })
  } catch {
    console.error('test: compiling the tests failed (see above)')
    process.exit(1)
  }
  mkdirSync('build-test', { recursive: true })
  writeFileSync(signatureFile, signature)
  console.log(`test: compiled to build-test/ in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

const compiled = sources.map((p) => join('build-test', p.replace(/\.tsx?$/, '.js')))
const concurrency = process.env.TEST_CONCURRENCY ?? '2'
const child = spawn(
  process.execPath,
  [
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    ...passThrough,
    ...compiled,
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --enable-source-maps`.trim(),
    },
  },
)
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0)
})
