import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { envWithRecordedSiteRoot, loadConfig, siteRootOf } from '../../src/config/index.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js'
import { nodeArgsFor } from '../helpers/paths.js'

// Issue 13 §3: `PORT=18000 npm start`, then `npx vigil check create …` from another shell printed
// ping URLs on localhost:8000.

test('server and CLI share one site-root rule: SITE_ROOT, else http://localhost:PORT', () => {
  for (const env of [{}, { PORT: '18000' }, { SITE_ROOT: 'https://hc.example.com/' }]) {
    assert.equal(siteRootOf(env), loadConfig(env).siteRoot)
  }
  assert.equal(siteRootOf({ PORT: '18000' }), 'http://localhost:18000')
})

test('the recorded site root applies only when the command names neither SITE_ROOT nor PORT', () => {
  const rec = 'http://localhost:18000'
  assert.equal(envWithRecordedSiteRoot({}, rec).SITE_ROOT, rec)
  assert.equal(envWithRecordedSiteRoot({ PORT: '9000' }, rec).SITE_ROOT, undefined)
  assert.equal(
    envWithRecordedSiteRoot({ SITE_ROOT: 'https://x.example' }, rec).SITE_ROOT,
    'https://x.example',
  )
  assert.equal(envWithRecordedSiteRoot({}, null).SITE_ROOT, undefined)
})

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return port
}

async function projectIn(env: Record<string, string | undefined>): Promise<string> {
  await runVigil(
    env,
    'user',
    'create',
    '--email',
    'ops@example.com',
    '--password',
    'a long password',
  )
  const p = await runVigil(env, 'project', 'create', '--owner', 'ops@example.com', '--name', 'B')
  assert.equal(p.code, 0, p.err)
  return (JSON.parse(p.out) as { uuid: string }).uuid
}

describeEachDatabase('check create prints the running server’s URLs', (dialect) => {
  test('PORT=<n> vigil serve, then check create without PORT: ping_url on port n', async () => {
    const t = await createTestDatabase(dialect)
    const dir = mkdtempSync(join(tmpdir(), 'vigil-siteroot-'))
    const env = { ...databaseEnv(t.dbConfig), SECRET_KEY: 'k'.repeat(48) }
    const port = await freePort()
    let server: ChildProcess | null = null
    try {
      const project = await projectIn(env)
      server = spawn(
        process.execPath,
        [...nodeArgsFor(import.meta.url, '../../src/cli/main-entry'), 'serve', '--role', 'web'],
        {
          cwd: dir,
          env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let out = ''
      server.stdout?.on('data', (c: Buffer) => {
        out += c.toString()
      })
      const deadline = Date.now() + 30_000
      while (!/is up/.test(out)) {
        assert.ok(Date.now() < deadline && server.exitCode === null, out)
        await new Promise((r) => setTimeout(r, 100))
      }
      const args = ['check', 'create', '--project', project, '--name', 'nightly']
      const r = await runVigil(env, ...args)
      assert.equal(r.code, 0, r.err)
      const json = JSON.parse(r.out) as { ping_url: string }
      assert.match(json.ping_url, new RegExp(`^http://localhost:${port}/ping/`))
      const own = await runVigil({ ...env, PORT: '9000' }, ...args, '--slug', 'own')
      assert.match(
        (JSON.parse(own.out) as { ping_url: string }).ping_url,
        /^http:\/\/localhost:9000\//,
      )
    } finally {
      if (server && server.exitCode === null) {
        const exited = new Promise((r) => server?.on('exit', r))
        server.kill('SIGTERM')
        await exited
      }
      rmSync(dir, { recursive: true, force: true })
      await t.drop()
    }
  })
})
