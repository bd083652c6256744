/**
 * Paths for tests that read or run files of the repository. `npm test` runs the tests compiled
 * into build-test/ (scripts/test.js), a single file can run from source through tsx: these work
 * both ways.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const compiled = import.meta.url.endsWith('.js')

/** The repository's root folder (where README.md and package.json are). */
export const REPO_ROOT = join(
  dirname(fileURLToPath(import.meta.url)),
  compiled ? '../../..' : '../..',
)

/**
 * `node` arguments that run the module at `relative` (from `from`, an import.meta.url; no
 * extension): its compiled .js when the tests run compiled, else its .ts through tsx.
 */
export function nodeArgsFor(from: string, relative: string): string[] {
  const fromCompiled = from.endsWith('.js')
  const file = fileURLToPath(new URL(`${relative}.${fromCompiled ? 'js' : 'ts'}`, from))
  return fromCompiled
    ? ['--enable-source-maps', file]
    : ['--import', import.meta.resolve('tsx'), file]
}
