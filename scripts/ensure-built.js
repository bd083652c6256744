// Builds dist/ (scripts/build.js, esbuild) when it is missing or older than any file in src/. `npm install` does it
// once (scripts/prepare.js); `npm start` and `npx vigil` call this again as a fallback, so a
// fresh clone, a `git pull` or an edited source still runs the current code.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

function newestMtime(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs
    if (mtime > newest) newest = mtime
  }
  return newest
}

/** The compiler of this checkout, esbuild (absent after `npm ci --omit=dev`). */
export function compilerPath(root) {
  return join(root, 'node_modules', 'esbuild', 'package.json')
}

/** True when dist/ is missing or older than src/. */
export function isBuildStale(root) {
  const stamp = join(root, 'dist', '.build-stamp')
  const src = join(root, 'src')
  if (!existsSync(src)) return false
  return !existsSync(stamp) || statSync(stamp).mtimeMs < newestMtime(src)
}

/**
 * Compiles src/ into dist/ if stale, saying why and how long it took on stderr. `reason` is
 * 'installing' (npm's prepare) or 'starting' (the fallback in bin/vigil.js).
 */
export function ensureBuilt(root, reason = 'starting') {
  if (!isBuildStale(root)) return
  const why =
    reason === 'installing'
      ? 'building dist/ once, so that `npm start` is up in seconds'
      : existsSync(join(root, 'dist', '.build-stamp'))
        ? 'sources changed since the last build'
        : 'dist/ was never built (`npm install` normally does it)'
  if (!existsSync(compilerPath(root))) {
    process.stderr.write(
      `vigil: dist/ must be rebuilt (${why}), but esbuild (a dev dependency) is not installed: run \`npm install\` then \`npm run build\`.\n`,
    )
    if (existsSync(join(root, 'dist', 'cli', 'main.js'))) return // run the older build anyway
    process.exit(1)
  }
  process.stderr.write(`vigil: compiling TypeScript into dist/ (${why})…\n`)
  const started = Date.now()
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js')], {
    stdio: 'inherit',
    cwd: root,
  })
  process.stderr.write(`vigil: compiled in ${Math.round((Date.now() - started) / 100) / 10} s\n`)
}
