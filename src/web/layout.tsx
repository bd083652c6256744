/**
 * The frame every page shares: head (title, stylesheet, icon, the page's own scripts), a header
 * with the site name and, when someone is logged in, links to their projects and account, their
 * address, a log-out button (a CSRF-protected POST form) and the light/dark/system theme switch.
 * Superusers also get an "Admin" link and, while the doctor reports errors, a banner (DOC-3).
 */
import type { ComponentChildren } from 'preact'
import { useContext } from 'preact/hooks'
import { AdminBanner, AdminNoticeContext } from './admin/admin-notice.js'
import { CSRF_FIELD } from './csrf.js'
import { STYLESHEET_PATH } from './stylesheet.js'
import { THEMES, ThemeContext } from './theme.js'

export interface LayoutProps {
  siteName: string
  title: string
  /** The logged-in user's address and the CSRF token for the log-out form. */
  account?: { email: string; csrf: string }
  /** A narrow column, for small forms. */
  narrow?: boolean
  /** Script URLs served by Vigil (CSP allows no inline scripts); loaded with `defer`. */
  scripts?: string[]
  children: ComponentChildren
}

const THEME_LABEL = { light: 'Light', dark: 'Dark', system: 'System' } as const

export function Layout({ siteName, title, account, narrow, scripts, children }: LayoutProps) {
  const theme = useContext(ThemeContext)
  const notice = useContext(AdminNoticeContext)
  const admin = account ? notice : null
  return (
    <html lang="en" data-theme={theme === 'system' ? undefined : theme}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${siteName}`}</title>
        <link rel="stylesheet" href={STYLESHEET_PATH} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        {scripts?.map((src) => (
          <script key={src} src={src} defer />
        ))}
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">
            {siteName}
          </a>
          {account && (
            <nav aria-label="Account">
              <a href="/projects/">Projects</a>
              <span class="account-email">{account.email}</span>
              <a href="/account/security">Account</a>
              {admin && <a href="/admin/system">Admin</a>}
              <form method="post" action="/logout">
                <input type="hidden" name={CSRF_FIELD} value={account.csrf} />
                <button type="submit" class="secondary">
                  Log out
                </button>
              </form>
            </nav>
          )}
        </header>
        <main class={narrow ? 'narrow' : undefined}>
          {admin && <AdminBanner notice={admin} />}
          {children}
        </main>
        {account && (
          <footer class="site-footer">
            <form method="post" action="/theme" class="theme-switch">
              <input type="hidden" name={CSRF_FIELD} value={account.csrf} />
              <span id="theme-label">Theme:</span>{' '}
              {THEMES.map((t) => (
                <button
                  key={t}
                  type="submit"
                  name="theme"
                  value={t}
                  class="secondary"
                  aria-pressed={t === theme ? 'true' : 'false'}
                  aria-describedby="theme-label"
                >
                  {THEME_LABEL[t]}
                </button>
              ))}
            </form>
          </footer>
        )}
      </body>
    </html>
  )
}
