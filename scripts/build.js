// `npm run build`: compiles src/ into dist/ with esbuild (each file on its own, ES2022 modules and
// source maps; about a second, where tsc took up to a minute on a small machine) and stamps
// the build. Type errors are `npm run lint`'s job (tsc -p tsconfig.test.json).
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Every .ts/.tsx file under `path` (declaration files aside). */
function typeScriptFiles(path) {
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => {
    const p = join(path, e.name)
    if (e.isDirectory()) return typeScriptFiles(p)
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : []
  })
}

try {
  await build({
    entryPoints: typeScriptFiles(join(root, 'src')),
    outdir: join(root, 'dist'),
    outbase: join(root, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  })
} catch {
  console.error('build: compiling src/ failed (see above)')
  process.exit(1)
}
await import('./write-build-stamp.js')
