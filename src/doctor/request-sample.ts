/**
 * SITE-003 and SITE-004 from live traffic: each web process keeps the origins of its last 100
 * browser requests (as Fastify sees them, so X-Forwarded-* count only from TRUSTED_PROXY_CIDRS)
 * and writes a summary to `system_status` only when a finding appears or clears, or at most once a
 * minute. The admin page and `vigil doctor` read that summary; nothing here blocks a request.
 */
import type { Ctx } from '../context.js'
import { readStatus, writeStatus } from '../db/index.js'
import type { Finding } from './findings.js'

const KEY = 'site.requests'
/** Requests remembered per process. */
export const SAMPLE_SIZE = 100
/** Requests of the sample that must disagree with SITE_ROOT for a finding. */
export const SAMPLE_THRESHOLD = 5
const REFRESH_MS = 60_000

export interface RequestSummary {
  /** The SITE_ROOT origin the sample was judged against. */
  siteOrigin: string
  size: number
  /** Requests whose scheme://host differed from SITE_ROOT's. */
  foreign: number
  /** The most recent differing origin. */
  observed: string | null
  /** Requests that arrived over http while SITE_ROOT is https. */
  insecure: number
  at: number
}

/** The origin a request was made to, normalised like `URL.origin` (default ports dropped). */
export function requestOrigin(protocol: string, host: string): string {
  try {
    return new URL(`${protocol}://${host}`).origin
  } catch {
    return `${protocol}://${host}`
  }
}

/** Pure ring buffer of the last requests; `observe` says when the summary is worth writing. */
export class RequestSampler {
  private readonly foreign: boolean[] = []
  private readonly insecure: boolean[] = []
  private next = 0
  private observed: string | null = null
  private written: { foreign: boolean; insecure: boolean; at: number } | null = null

  constructor(readonly siteOrigin: string) {}

  /** Records one request; returns the summary to store, or null when nothing needs writing. */
  observe(origin: string, now: number): RequestSummary | null {
    const isForeign = origin !== this.siteOrigin
    const isInsecure = this.siteOrigin.startsWith('https:') && origin.startsWith('http:')
    if (isForeign) this.observed = origin
    this.foreign[this.next] = isForeign
    this.insecure[this.next] = isInsecure
    this.next = (this.next + 1) % SAMPLE_SIZE
    const s = this.summary(now)
    const state = {
      foreign: s.foreign >= SAMPLE_THRESHOLD,
      insecure: s.insecure >= SAMPLE_THRESHOLD,
    }
    const w = this.written
    const changed = !w || w.foreign !== state.foreign || w.insecure !== state.insecure
    if (!changed && now - w.at < REFRESH_MS) return null
    this.written = { ...state, at: now }
    return s
  }

  summary(now: number): RequestSummary {
    return {
      siteOrigin: this.siteOrigin,
      size: this.foreign.length,
      foreign: this.foreign.filter(Boolean).length,
      observed: this.observed,
      insecure: this.insecure.filter(Boolean).length,
      at: now,
    }
  }
}

export async function storeRequestSummary(ctx: Ctx, s: RequestSummary): Promise<void> {
  await writeStatus(ctx, KEY, s, s.at)
}

/** SITE-003 / SITE-004 from the stored sample (ignored once SITE_ROOT has changed). */
export async function requestSampleFindings(ctx: Ctx): Promise<Finding[]> {
  const s = await readStatus<RequestSummary>(ctx, KEY)
  const siteOrigin = new URL(ctx.config.siteRoot).origin
  if (!s || s.siteOrigin !== siteOrigin) return []
  const out: Finding[] = []
  const noProxy = ctx.config.trustedProxyCidrs.length === 0
  if (s.insecure >= SAMPLE_THRESHOLD && noProxy) {
    out.push({
      id: 'SITE-004',
      severity: 'error',
      message: `SITE_ROOT is https, but ${s.insecure} of the last ${s.size} browser requests arrived over plain http and no reverse proxy is trusted.`,
      hint: 'Set TRUSTED_PROXY_CIDRS so secure cookies and origin checks work (the address of the proxy that terminates TLS).',
    })
  }
  if (
    s.foreign >= SAMPLE_THRESHOLD &&
    s.observed &&
    !(noProxy && s.insecure >= SAMPLE_THRESHOLD && sameHost(s.observed, siteOrigin))
  ) {
    out.push({
      id: 'SITE-003',
      severity: 'warning',
      message: `${s.foreign} of the last ${s.size} browser requests were made to ${s.observed}, not to SITE_ROOT (${siteOrigin}): links in emails and ping URLs may point elsewhere than people use.`,
      hint: `Set SITE_ROOT to ${s.observed} if that is the public address, or make the proxy pass the original Host and X-Forwarded-Proto (and list it in TRUSTED_PROXY_CIDRS).`,
    })
  }
  return out
}

function sameHost(a: string, b: string): boolean {
  return new URL(a).host === new URL(b).host
}
