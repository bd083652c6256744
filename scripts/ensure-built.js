// Builds dist/ with tsc when it is missing or older than any file in src/, so `npm start` and
// `npx vigil` work straight after `npm install` on a fresh clone.
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

export function ensureBuilt(root) {
  const stamp = join(root, 'dist', '.build-stamp')
  const src = join(root, 'src')
  if (!existsSync(src)) return
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newestMtime(src)) return
  process.stderr.write('vigil: compiling TypeScript (first run or sources changed)…\n')
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')],
    {
      stdio: 'inherit',
      cwd: root,
    },
  )
  execFileSync(process.execPath, [join(root, 'scripts', 'write-build-stamp.js')], { cwd: root })
}
