/** The views of the unsubscribe links (unsubscribe-routes.tsx). */
import { AUTOSUBMIT_SCRIPT } from '../assets/client-scripts.js'
import { Layout } from '../layout.js'

export function Confirm({
  siteName,
  question,
  autosubmit,
}: {
  siteName: string
  question: string
  autosubmit: boolean
}) {
  return (
    <Layout
      siteName={siteName}
      title="Unsubscribe"
      narrow
      scripts={autosubmit ? [AUTOSUBMIT_SCRIPT.path] : undefined}
    >
      <div class="card">
        <h1>Unsubscribe</h1>
        <p>{question}</p>
        {/* No action: the form posts back to this same signed URL. */}
        <form method="post" data-autosubmit={autosubmit ? '' : undefined}>
          <input type="hidden" name="List-Unsubscribe" value="One-Click" />
          <button type="submit">Unsubscribe</button>
        </form>
      </div>
    </Layout>
  )
}

export function Done({ siteName, message }: { siteName: string; message: string }) {
  return (
    <Layout siteName={siteName} title="Unsubscribed" narrow>
      <div class="card">
        <h1>Unsubscribed</h1>
        <p>{message}</p>
      </div>
    </Layout>
  )
}
