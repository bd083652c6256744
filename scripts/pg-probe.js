// Whether the tests' PostgreSQL answers: `postgresProblem(url)` gives null when it does, else the
// reason it does not. scripts/test.js asks once per run and passes the answer to the test processes
// (VIGIL_TEST_PG_PROBLEM); a test file run on its own runs this file as a process
// (`node scripts/pg-probe.js URL` prints the reason, or nothing) to have the answer synchronously.
// A stopped server refuses at once; the long timeout only rides out a machine so loaded that
// connecting takes seconds (seen at load 14).
import { fileURLToPath } from 'node:url'
import pg from 'pg'

export async function postgresProblem(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 })
  try {
    await client.connect()
    await client.query('select 1')
    return null
  } catch (e) {
    return e.message
  } finally {
    await client.end().catch(() => {})
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write((await postgresProblem(process.argv[2])) ?? '')
}
