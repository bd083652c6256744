#!/usr/bin/env node
// Entry point of the `vigil` command: runs the compiled CLI, building it first when dist/ is missing or stale.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBuilt } from '../scripts/ensure-built.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
ensureBuilt(root)
const entry = join(root, 'dist', 'cli', 'main.js')
if (!existsSync(entry)) {
  console.error(
    'vigil: the build did not produce dist/cli/main.js; run `npm run build` and read its errors',
  )
  process.exit(1)
}
const { main } = await import(entry)
process.exitCode = await main(process.argv.slice(2))
