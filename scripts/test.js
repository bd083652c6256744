// `npm test`: compiles src/ and test/ to build-test/ (esbuild, without type-checking, which `npm
// run lint` does; skipped when nothing changed), bundles the test files it is asked to run, then
// runs them with node:test, longest first. Source maps point stack traces at the .ts files.
//
//   node scripts/test.js [--unit | --e2e] [--record-durations] [--build-only] [file or folder …]
//
// Why bundle: every test process loads the app, and loading it from ~430 compiled modules plus
// ~1,000 of node_modules cost ~1.5 s of CPU per process (when each of 200+ files had its own
// process: about half of the suite's CPU). One bundle per test file (esbuild, shared chunks in build-test/chunks/)
// loads in ~0.7 s. Every other file stays compiled one by one beside it (the vigil CLI, workers
// and harnesses the tests start as processes run from those), and in the bundles `import.meta.url`
// is still the URL of the module's own compiled file, so paths computed from it do not change.
// TEST_BUNDLE=0 runs the files compiled one by one instead.
//
// Processes: a file expected to take TEST_GROUP_SECONDS / 2 or more, or one that changes the process
// at its top level, runs alone; the others share processes of about TEST_GROUP_SECONDS (default
// 40) of expected time each (see processes() below), browser files included (they then share one
// Chromium). This took the suite's test-process CPU from ~425 s in 250 processes to ~300 s in 51.
//
// Order: the processes run longest first (scripts/test-durations.json, seconds per file; files not in
// it count as the median), so the slow ones do not end the run alone on one core.
// `--record-durations` rewrites that file's entries for the files of this run (and runs every
// file alone to time it).
// `--build-only` compiles and bundles without running anything.
//
// TEST_CONCURRENCY (default 4): test processes run at once; they wait on fsync, PostgreSQL and
// Chromium about as much as they compute. Other node:test flags pass through
// (e.g. --test-name-pattern=…).
//
// At the end it prints the CPU the test processes used (and the processes they started) and, from
// their start and end times (scripts/test-timing.js), how long all TEST_CONCURRENCY slots were busy
// and how long the tail lasted (from the last moment they all were to the end): the figures to compare
// concurrencies and orders with, since wall time alone mixes in the machine's other load.
import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { postgresProblem } from './pg-probe.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)

const OWN_FLAGS = ['--unit', '--e2e', '--record-durations', '--build-only']
const args = process.argv.slice(2)
const unit = args.includes('--unit')
const e2e = args.includes('--e2e')
const recordDurations = args.includes('--record-durations')
const passThrough = args.filter((a) => a.startsWith('--') && !OWN_FLAGS.includes(a))
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

const durationsFile = join('scripts', 'test-durations.json')
const durations = existsSync(durationsFile) ? JSON.parse(readFileSync(durationsFile, 'utf8')) : {}
const known = Object.values(durations).sort((a, b) => a - b)
const median = known.length ? known[Math.floor(known.length / 2)] : 0
const expected = (p) => durations[p.split(sep).join('/')] ?? median

const sources = [...new Set(roots.flatMap(testFiles))]
  .map((p) => relative(root, join(root, p)))
  .filter((p) => !unit || !p.startsWith(join('test', 'e2e')))
  .sort()
  // Stable: equal expectations keep the name order.
  .sort((a, b) => expected(b) - expected(a))

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

const compiledPath = (source) => join('build-test', source.replace(/\.tsx?$/, '.js'))

// Skip the compile when no input changed since the last successful one. Any difference counts (a
// checkout or copy can give a file an older time), so this never runs stale code.
const signatureFile = join('build-test', '.inputs')
const bundledFile = join('build-test', '.bundled')
const signature = ['src', 'test', 'tsconfig.json', join('scripts', 'test.js')]
  .flatMap(inputs)
  .join('\n')
const upToDate = existsSync(signatureFile) && readFileSync(signatureFile, 'utf8') === signature
const { build } = upToDate && process.env.TEST_BUNDLE === '0' ? {} : await import('esbuild')
if (!upToDate) {
  const started = Date.now()
  rmSync(bundledFile, { force: true })
  // esbuild transpiles each file on its own, as `tsc --noCheck` did (type errors are
  // `npm run lint`'s job), in ~1 s where tsc took 25 s of CPU on a clean clone; it reads the JSX
  // settings from tsconfig.json.
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

/**
 * In a bundle every module's `import.meta.url` would be its chunk's: this gives each of the
 * repository's modules the URL of its own compiled file in build-test/ instead (which exists, so
 * paths and `new URL(…, import.meta.url)` mean what they mean unbundled).
 */
const compiledImportMetaUrl = {
  name: 'compiled-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (a) => {
      if (a.path.includes(`${sep}node_modules${sep}`)) return undefined
      const text = await readFile(a.path, 'utf8')
      if (!/\bimport\.meta\.url\b/.test(text)) return undefined
      const url = pathToFileURL(join(root, compiledPath(relative(root, a.path)))).href
      return {
        contents: text.replace(/\bimport\.meta\.url\b/g, JSON.stringify(url)),
        loader: a.path.endsWith('.tsx') ? 'tsx' : 'ts',
      }
    })
  },
}

/** Packages left to node_modules: native add-ons, tools that read their own files at run time, and
 * the S3 client (imported lazily by src/objects; bundled, its named exports went missing). */
const UNBUNDLED = [
  '@aws-sdk/client-s3',
  'better-sqlite3',
  '@node-rs/argon2',
  'pg-native',
  'playwright-core',
  'esbuild',
  'tsx',
  'typescript',
  's3rver',
  'autocannon',
]

/** Modules the tests start as processes of their own (`nodeArgsFor`): bundled too, as they load
 * the whole app each time (a module missing here still runs, compiled one by one). */
const PROCESS_ENTRIES = [
  join('src', 'cli', 'main-entry.ts'),
  join('test', 'alerts', 'two-processes-worker.ts'),
]

// Bundle the test files of this run (and those bundled before, whose outputs share the chunks),
// unless all of them already are.
if (process.env.TEST_BUNDLE !== '0') {
  const before = existsSync(bundledFile) ? JSON.parse(readFileSync(bundledFile, 'utf8')) : []
  if (!sources.every((s) => before.includes(s))) {
    const started = Date.now()
    const entries = [...new Set([...before, ...sources, ...PROCESS_ENTRIES])]
      .filter((s) => existsSync(s))
      .sort()
    rmSync(join('build-test', 'chunks'), { recursive: true, force: true })
    rmSync(bundledFile, { force: true })
    try {
      await build({
        entryPoints: entries,
        outdir: 'build-test',
        outbase: '.',
        bundle: true,
        splitting: true,
        chunkNames: 'chunks/[name]-[hash]',
        format: 'esm',
        platform: 'node',
        target: 'node20',
        // The maps only need positions: without the sources' text they load in half the time.
        sourcemap: true,
        sourcesContent: false,
        tsconfig: 'tsconfig.json',
        logLevel: 'warning',
        external: UNBUNDLED,
        plugins: [compiledImportMetaUrl],
        // Bundled CommonJS packages require() node's own modules and the packages left out.
        banner: {
          js: "import { createRequire as __testCreateRequire } from 'node:module'; const require = __testCreateRequire(import.meta.url);",
        },
      })
    } catch {
      console.error(
        'test: bundling the tests failed (see above); TEST_BUNDLE=0 runs them unbundled',
      )
      process.exit(1)
    }
    writeFileSync(bundledFile, JSON.stringify(entries))
    console.log(
      `test: bundled ${entries.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
  }
}

if (args.includes('--build-only')) process.exit(0)

/**
 * Whether a test file may share a process with others: no hook on the file's root that would
 * then run around every test of the process (a top-level beforeEach/afterEach), nor a top-level
 * change to the process (env, listeners, mocks) the other files would see.
 */
function groupable(source) {
  const text = readFileSync(source, 'utf8')
  return !/^(beforeEach|afterEach)\(|^process\.|^mock\.|^globalThis\./m.test(text)
}

/**
 * The processes to run: each long or ungroupable file alone, the others packed (longest first)
 * into groups of about GROUP_SECONDS of expected time, each group a generated entry that imports
 * its files' compiled modules, so they load the app, the database template and the helpers once.
 * A gate module holds every test of a group back until all its files are imported (a root
 * before() hook that waits): node:test runs the root's after() hooks once, the first time no test
 * is left, and a file still being imported (a top-level await) would register its tests later.
 */
function processes() {
  const solo = []
  const bins = []
  for (const s of sources) {
    if (GROUP_SECONDS <= 0 || expected(s) >= GROUP_SECONDS / 2 || !groupable(s)) {
      solo.push({ file: compiledPath(s), seconds: expected(s) })
      continue
    }
    const bin = bins.find((b) => b.seconds + expected(s) <= GROUP_SECONDS)
    if (bin) {
      bin.sources.push(s)
      bin.seconds += expected(s)
    } else bins.push({ sources: [s], seconds: expected(s) })
  }
  const dir = join('build-test', 'groups')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'gate.js'),
    [
      "import { before } from 'node:test'",
      'let open',
      'const loaded = new Promise((resolve) => { open = resolve })',
      'before(() => loaded)',
      'export function allImported() { open() }',
      '',
    ].join('\n'),
  )
  const groups = bins.map((b, i) => {
    if (b.sources.length === 1) return { file: compiledPath(b.sources[0]), seconds: b.seconds }
    const file = join(dir, `group-${String(i + 1).padStart(2, '0')}.test.js`)
    const imports = b.sources.map(
      (s) => `import '../${compiledPath(s).split(sep).slice(1).join('/')}'`,
    )
    writeFileSync(
      file,
      [
        `// ${b.sources.join(', ')}`,
        "import { allImported } from './gate.js'",
        ...imports,
        'allImported()',
        '',
      ].join('\n'),
    )
    return { file, seconds: b.seconds }
  })
  return [...solo, ...groups].sort((a, b) => b.seconds - a.seconds).map((p) => p.file)
}

// TEST_GROUP_SECONDS (default 40): how much expected time of small files one process runs; 0 runs
// every file in a process of its own (as --record-durations does, to time each file).
const GROUP_SECONDS = recordDurations ? 0 : Number(process.env.TEST_GROUP_SECONDS ?? '40')
const compiled = processes()
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const concurrency = process.env.TEST_CONCURRENCY ?? '4'
const timings = join('build-test', `.timings-${process.pid}`)
rmSync(timings, { force: true })
const preload = pathToFileURL(join(root, 'scripts', 'test-timing.js')).href
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
      VIGIL_TEST_TIMINGS: join(root, timings),
      // Asked once here rather than by each test process (test/helpers/databases.ts).
      VIGIL_TEST_PG_PROBLEM: (await postgresProblem(PG_URL)) ?? '',
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --enable-source-maps --import=${preload}`.trim(),
    },
  },
)
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0)
  report()
})

/**
 * How many test files ran at once over the run, from their processes' start and end: seconds
 * with all `slots` busy, seconds with fewer, and the tail (from the last moment all were busy
 * to the end), where cores may idle while the last files finish.
 */
function occupancy(rows, slots) {
  const events = rows
    .filter((r) => r.start > 0 && r.end >= r.start)
    .flatMap((r) => [
      [r.start, 1],
      [r.end, -1],
    ])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
  if (events.length === 0) return null
  let running = 0
  let prev = events[0][0]
  let full = 0
  let lastFull = null
  for (const [t, d] of events) {
    if (running >= slots) full += t - prev
    const was = running
    running += d
    if (was >= slots && running < slots) lastFull = t
    prev = t
  }
  const span = events.at(-1)[0] - events[0][0]
  const tail = lastFull === null ? span : events.at(-1)[0] - lastFull
  return { span: span / 1000, full: full / 1000, tail: tail / 1000 }
}

/** One line on the CPU the test files used and how full the slots were; with --record-durations,
 * their times for the order. */
function report() {
  if (!existsSync(timings)) return
  const rows = readFileSync(timings, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .map(([file, cpu, wall, start, end, children]) => ({
      file,
      cpu: Number(cpu),
      wall: Number(wall),
      start: Number(start ?? 0),
      end: Number(end ?? 0),
      children: Number(children ?? 0),
    }))
  rmSync(timings, { force: true })
  const cpu = rows.reduce((s, r) => s + r.cpu, 0)
  const children = rows.reduce((s, r) => s + r.children, 0)
  console.log(
    `test: ${sources.length} test files in ${rows.length} processes used ${cpu.toFixed(1)} s of CPU, ` +
      `the processes they started (vigil, Chromium, …) ${children.toFixed(1)} s`,
  )
  const heaviest = rows
    .sort((a, b) => b.cpu + b.children - (a.cpu + a.children))
    .slice(0, 8)
    .map((r) => `${relative(join(root, 'build-test'), r.file)} ${(r.cpu + r.children).toFixed(1)}`)
  console.log(`test: the most CPU (own + started, s): ${heaviest.join(', ')}`)
  const slots = Number(concurrency)
  const o = rows.length > 1 && slots > 0 ? occupancy(rows, slots) : null
  if (o)
    console.log(
      `test: they ran over ${o.span.toFixed(1)} s, ${slots} processes at once for ${o.full.toFixed(1)} s; ` +
        `the tail with fewer ran ${o.tail.toFixed(1)} s; ` +
        `their CPU averaged ${(cpu / Math.max(o.span, 0.001)).toFixed(2)} cores`,
    )
  if (!recordDurations) return
  const byCompiled = new Map(sources.map((s) => [join(root, compiledPath(s)), s]))
  const next = { ...durations }
  for (const r of rows) {
    const source = byCompiled.get(r.file)
    if (source) next[source.split(sep).join('/')] = Math.round(r.wall * 10) / 10
  }
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)))
  writeFileSync(durationsFile, `${JSON.stringify(sorted, null, 2)}\n`)
  console.log(`test: recorded ${rows.length} durations in ${durationsFile}`)
}
