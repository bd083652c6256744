/**
 * Feature boundaries (engineering issue 16, section 3). A feature is a folder directly under src/.
 * Outside a feature, code imports it only through its index.ts; inside, modules import each other
 * relatively and directly. And no two features import each other, however indirectly.
 *
 * A test rather than Biome's noRestrictedImports: Biome matches the specifier text, not the
 * module it resolves to, so '../checks/x.js' is a deep import from src/alerts/ but an import
 * inside the web feature from src/web/admin/ (web has badges/, integrations/ and projects/
 * sub-folders). This resolves every relative specifier against its file and names each offender.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { test } from 'node:test'
import { REPO_ROOT } from '../helpers/paths.js'

const SRC = join(REPO_ROOT, 'src')
/** Entry points that nothing in src/ imports (bin/vigil.js loads src/cli/main-entry). */
const NO_INDEX_NEEDED = new Set(['cli'])

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

/** The feature a path lies in, or null for the files directly in src/ (app.ts, context.ts …). */
function featureOf(path: string): string | null {
  const parts = relative(SRC, path).split(sep)
  return parts.length > 1 ? parts[0] : null
}

interface CrossImport {
  file: string
  specifier: string
  from: string | null
  to: string
  deep: boolean
}

function crossFeatureImports(): CrossImport[] {
  const found: CrossImport[] = []
  for (const file of sourceFiles(SRC)) {
    const source = readFileSync(file, 'utf8')
    // import … from '…', export … from '…', import '…', import('…')
    for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*)\1/g)) {
      const specifier = m[2]
      const target = resolve(dirname(file), specifier)
      const from = featureOf(file)
      const to = featureOf(target)
      if (to === null || to === from) continue
      const deep = relative(join(SRC, to), target) !== 'index.js'
      found.push({ file: relative(REPO_ROOT, file), specifier, from, to, deep })
    }
  }
  return found
}

test('other features import a feature only through its index.ts', () => {
  const imports = crossFeatureImports()
  assert.ok(imports.length > 100, `found only ${imports.length} cross-feature imports`)
  const deep = imports.filter((i) => i.deep).map((i) => `${i.file}: '${i.specifier}'`)
  assert.deepEqual(deep, [], `import these through the feature's index.js:\n${deep.join('\n')}`)
})

test('every feature folder has an index.ts', () => {
  const features = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory())
  const missing = features.filter(
    (f) => !NO_INDEX_NEEDED.has(f) && !readdirSync(join(SRC, f)).includes('index.ts'),
  )
  assert.deepEqual(missing, [])
})

test('no import cycles between features', () => {
  const edges = new Map<string, Set<string>>()
  for (const { from, to } of crossFeatureImports()) {
    if (from === null) continue
    if (!edges.has(from)) edges.set(from, new Set())
    edges.get(from)!.add(to)
  }
  const cycles: string[] = []
  const done = new Set<string>()
  const visit = (feature: string, path: string[]) => {
    const at = path.indexOf(feature)
    if (at >= 0) {
      cycles.push([...path.slice(at), feature].join(' → '))
      return
    }
    if (done.has(feature)) return
    for (const next of edges.get(feature) ?? []) visit(next, [...path, feature])
    done.add(feature)
  }
  for (const feature of edges.keys()) visit(feature, [])
  assert.deepEqual(cycles, [], `move the shared module to the feature that owns it`)
})

test('the web edge runs no queries: every table is read and written by its feature', () => {
  const offenders = sourceFiles(join(SRC, 'web')).flatMap((file) => {
    const source = readFileSync(file, 'utf8')
    return [
      ...source.matchAll(/\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(/g),
    ].map((m) => `${relative(REPO_ROOT, file)}: ${m[1]}`)
  })
  assert.deepEqual(offenders, [], 'move the query into the feature folder that owns the table')
})
