/**
 * A tiny browser for `app.inject`: keeps cookies between requests and fills a form's hidden CSRF
 * field from the page it came from, so tests read like a user clicking through the pages.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

export class FormClient {
  readonly cookies = new Map<string, string>()

  /** `clock` judges cookie expiry: the server's (fake) clock, as a browser's would agree with it. */
  constructor(
    private readonly app: FastifyInstance,
    private readonly clock: { now(): number },
  ) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const r = await this.app.inject({
      method: 'GET',
      url,
      headers,
      cookies: Object.fromEntries(this.cookies),
    })
    this.keepCookies(r)
    return r
  }

  async post(
    url: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const r = await this.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      cookies: Object.fromEntries(this.cookies),
      payload: new URLSearchParams(fields).toString(),
    })
    this.keepCookies(r)
    return r
  }

  /** Opens `pageUrl`, then posts `fields` plus the page's CSRF token to `action`. */
  async submit(
    pageUrl: string,
    action: string,
    fields: Record<string, string>,
  ): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl)
    return this.post(action, { ...fields, csrf: csrfFrom(page.body) })
  }

  private keepCookies(r: LightMyRequestResponse): void {
    for (const c of r.cookies as { name: string; value: string; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() <= this.clock.now()))
        this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
  }
}

/** The value of the first hidden `csrf` field of a page. */
export function csrfFrom(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html)
  if (!m) throw new Error(`no CSRF field in the page: ${html.slice(0, 200)}`)
  return m[1]
}
