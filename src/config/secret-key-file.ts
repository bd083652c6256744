/**
 * The generated SECRET_KEY of a development instance: with SECRET_KEY (and SECRET_KEY_FILE) unset
 * and outside production, the key lives in `<data folder>/secret_key` (mode 0600), created on the
 * first start, so `npm start` then `vigil doctor` need no set-up and every command shares the key.
 * An explicit SECRET_KEY wins; production (NODE_ENV=production, DEBUG=False) never generates one
 * and keeps SEC-001. Healthchecks has no such file: its settings fall back to a public `---`.
 */
import { randomBytes } from 'node:crypto'
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { type Config, type Env, loadConfig } from './config.js'

/** File name of the generated key inside the data folder. */
export const SECRET_KEY_FILE_NAME = 'secret_key'

/** What happened to the secret key while loading: for the one start-up log line. */
export interface StoredSecretKey {
  /** Path of the key file, as used (relative paths stay relative to the working directory). */
  file: string
  /** True when this process generated the key (first start). */
  created: boolean
}

/**
 * Where Vigil keeps its files: the folder of the SQLite database (default `./data`), or `./data`
 * on PostgreSQL; null for an in-memory SQLite database (nothing to keep).
 */
export function dataFolder(config: Config): string | null {
  if (config.db.kind === 'sqlite')
    return config.db.file === ':memory:' ? null : dirname(config.db.file)
  return './data'
}

function given(env: Env, name: string): boolean {
  return (env[name] ?? '').trim() !== ''
}

/** Reads the key file, or creates it atomically (two processes starting at once agree on one key). */
function readOrCreate(file: string): StoredSecretKey & { key: string } {
  try {
    const key = readFileSync(file, 'utf8').trim()
    if (key !== '') return { file, key, created: false }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  mkdirSync(dirname(file), { recursive: true })
  const key = randomBytes(48).toString('base64url')
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(tmp, `${key}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(tmp, 0o600) // the umask may have narrowed it; never wider than 0600 anyway
  try {
    linkSync(tmp, file) // fails with EEXIST if another process got there first
    return { file, key, created: true }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    return { file, key: readFileSync(file, 'utf8').trim(), created: false }
  } finally {
    unlinkSync(tmp)
  }
}

/**
 * The configuration of a process started from the command line: loadConfig, plus the stored
 * (or newly generated) secret key when SECRET_KEY is unset outside production. A folder that
 * cannot be written leaves the key unset, so SEC-001 still reports it. Throws ConfigError as
 * loadConfig does.
 */
export function loadConfigWithStoredKey(env: Env): {
  config: Config
  storedKey: StoredSecretKey | null
} {
  const config = loadConfig(env)
  if (given(env, 'SECRET_KEY') || given(env, 'SECRET_KEY_FILE') || config.deployment.production)
    return { config, storedKey: null }
  const folder = dataFolder(config)
  if (folder === null) return { config, storedKey: null }
  let stored: StoredSecretKey & { key: string }
  try {
    stored = readOrCreate(join(folder, SECRET_KEY_FILE_NAME))
  } catch {
    return { config, storedKey: null }
  }
  const withKey = loadConfig({ ...env, SECRET_KEY: stored.key })
  return { config: withKey, storedKey: { file: stored.file, created: stored.created } }
}
