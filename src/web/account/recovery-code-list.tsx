/**
 * The once-only display of new recovery codes (spec RC-2): the codes, Copy, Download
 * (`<site>-recovery-codes.txt`) and Print buttons, and a "Done" button that stays unusable until
 * "I have saved my recovery codes" is ticked (a required checkbox, so it works without scripts)
 * and, with the page's script, until the codes were copied, downloaded or printed. The download
 * posts the codes back to us and gets them as an attachment: nothing is stored.
 */
import { CSRF_FIELD } from '../csrf.js'

/** Codes as shown (RC-1): XXXX-XXXX-XXXX in Crockford base32. */
const CODE_RE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/

/** The codes of a posted form, when they look like a set we issued; else null (no reflection). */
export function postedCodes(raw: string): string[] | null {
  const codes = raw.split(/\s+/).filter(Boolean)
  return codes.length > 0 && codes.length <= 10 && codes.every((c) => CODE_RE.test(c))
    ? codes
    : null
}

export function recoveryCodesFileName(siteName: string): string {
  const slug =
    siteName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'vigil'
  return `${slug}-recovery-codes.txt`
}

export function recoveryCodesFile(siteName: string, email: string, codes: string[]): string {
  return [
    `${siteName} recovery codes for ${email}`,
    'Each code signs you in once if you lose your second factor.',
    '',
    ...codes,
    '',
  ].join('\n')
}

export function RecoveryCodeList(p: {
  codes: string[]
  siteName: string
  csrf: string
  error?: string
}) {
  const joined = p.codes.join('\n')
  return (
    <div class="card" data-recovery-codes>
      <h2>Your recovery codes</h2>
      <p>
        Keep these somewhere safe. Each code signs you in once if you lose your authenticator app or
        security key. They are shown only now.
      </p>
      <pre>
        <code id="recovery-codes">{joined}</code>
      </pre>
      <div class="actions">
        <button type="button" class="secondary" data-copy="recovery-codes" hidden>
          Copy
        </button>
        <button type="button" class="secondary" data-print hidden>
          Print
        </button>
        <form method="post" action="/account/recovery-codes/download" data-download>
          <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
          <input type="hidden" name="codes" value={joined} />
          <button type="submit" class="secondary">
            Download {recoveryCodesFileName(p.siteName)}
          </button>
        </form>
      </div>
      <form method="post" action="/account/recovery-codes/saved">
        <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
        <input type="hidden" name="codes" value={joined} />
        {p.error && (
          <p class="error" role="alert">
            {p.error}
          </p>
        )}
        <label class="checkbox">
          <input type="checkbox" name="saved" value="1" required /> I have saved my recovery codes
        </label>
        <p class="hint" data-recovery-done-hint hidden>
          Copy, download or print the codes first.
        </p>
        <div class="actions">
          <button type="submit" data-recovery-done>
            Done
          </button>
        </div>
      </form>
    </div>
  )
}
