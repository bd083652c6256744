/**
 * The frame every page shares: head (title, stylesheet, icon), a header with the site name and,
 * when someone is logged in, their address and a log-out button (a CSRF-protected POST form).
 */
import type { ComponentChildren } from 'preact'
import { CSRF_FIELD } from './csrf.js'
import { STYLESHEET_PATH } from './stylesheet.js'

export interface LayoutProps {
  siteName: string
  title: string
  /** The logged-in user's address and the CSRF token for the log-out form. */
  account?: { email: string; csrf: string }
  /** A narrow column, for small forms. */
  narrow?: boolean
  children: ComponentChildren
}

export function Layout({ siteName, title, account, narrow, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${siteName}`}</title>
        <link rel="stylesheet" href={STYLESHEET_PATH} />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">
            {siteName}
          </a>
          {account && (
            <nav aria-label="Account">
              <span>{account.email}</span>
              <form method="post" action="/logout">
                <input type="hidden" name={CSRF_FIELD} value={account.csrf} />
                <button type="submit" class="secondary">
                  Log out
                </button>
              </form>
            </nav>
          )}
        </header>
        <main class={narrow ? 'narrow' : undefined}>{children}</main>
      </body>
    </html>
  )
}
