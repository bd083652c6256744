// npm's `prepare` hook (runs on `npm install` and `npm ci` in this folder): builds dist/ once at
// install time so the first `npm start` is up in seconds. Skipped, with one line, when esbuild
// is not installed (`npm ci --omit=dev`, as in the Dockerfile, whose dist/ comes from its build
// stage) or when there is no src/ (an installed package): it must never fail an install.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compilerPath, ensureBuilt } from './ensure-built.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
if (!existsSync(join(root, 'src'))) process.exit(0)
if (!existsSync(compilerPath(root))) {
  process.stderr.write(
    'vigil: esbuild (a dev dependency) is not installed (npm ci --omit=dev?): not building dist/ now; ' +
      'run `npm run build` where dev dependencies are installed.\n',
  )
  process.exit(0)
}
ensureBuilt(root, 'installing')
