/**
 * The colour theme a visitor chose: light, dark, or (no cookie) whatever the system prefers.
 * The choice lives in the `vigil_theme` cookie (not secret, not per account) and reaches the
 * layout through a preact context that `sendPage` fills from the request, so no page has to pass
 * it along. The stylesheet honours `data-theme` on <html> before `prefers-color-scheme`.
 */
import { createContext } from 'preact'

export const THEME_COOKIE = 'vigil_theme'
export type Theme = 'light' | 'dark' | 'system'
export const THEMES: readonly Theme[] = ['light', 'dark', 'system']

/** The theme a cookie value names; anything else means "follow the system". */
export function themeFrom(cookie: string | undefined): Theme {
  return cookie === 'light' || cookie === 'dark' ? cookie : 'system'
}

export const ThemeContext = createContext<Theme>('system')
