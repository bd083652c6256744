/**
 * The page shown while the database cannot be reached (503 with Retry-After): what is wrong, that
 * it is temporary, and what the administrator checks. It reads nothing from the database.
 */
import type { FastifyReply } from 'fastify'
import type { Config } from '../config/index.js'
import { RETRY_AFTER_SECONDS } from '../database-unavailable.js'
import { Layout } from './layout.js'
import { sendPage } from './render.js'

export function DatabaseUnavailablePage({ siteName }: { siteName: string }) {
  return (
    <Layout siteName={siteName} title="Database unavailable" narrow>
      <div class="card">
        <h1>Database unavailable</h1>
        <p>{siteName} cannot reach its database right now, so this page cannot be shown.</p>
        <p>This is usually temporary: try again in a minute.</p>
        <p>
          Administrators: check that the database server is running and reachable from this host
          (DB_HOST, DB_PORT or DATABASE_URL), and run <code>vigil doctor</code>.
        </p>
        <p>
          <a href="/">Go to the home page</a>
        </p>
      </div>
    </Layout>
  )
}

/** Answers a page request with 503, Retry-After and the page above. */
export function sendDatabaseUnavailablePage(
  reply: FastifyReply,
  config: Pick<Config, 'siteName'>,
): FastifyReply {
  reply.header('retry-after', String(RETRY_AFTER_SECONDS))
  return sendPage(reply, 503, <DatabaseUnavailablePage siteName={config.siteName} />)
}
