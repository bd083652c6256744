/**
 * What the layout shows superusers on every page (DOC-3): an "Admin" link and, while the doctor
 * has `error`/`fatal` findings, the "Configuration problems: {n}" banner. A preHandler fills
 * `req.adminNotice` from the cached count (doctor/problem-count.ts); render.ts hands it down.
 */
import type { FastifyInstance } from 'fastify'
import { createContext } from 'preact'
import type { Ctx } from '../../context.js'
import { problemCount } from '../../doctor/index.js'

export interface AdminNotice {
  /** Findings of severity error or fatal. */
  problems: number
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for superusers only. */
    adminNotice: AdminNotice | null
  }
}

export const AdminNoticeContext = createContext<AdminNotice | null>(null)

export function registerAdminNotice(app: FastifyInstance, ctx: Ctx): void {
  app.decorateRequest('adminNotice', null)
  app.addHook('preHandler', async (req) => {
    if (req.webAuth?.user.is_superuser !== 1) return
    req.adminNotice = { problems: await problemCount(ctx) }
  })
}

/** The banner, shown while problems exist. */
export function AdminBanner({ notice }: { notice: AdminNotice }) {
  if (notice.problems === 0) return null
  return (
    <p class="notice admin-banner" role="alert">
      Configuration problems: {notice.problems}. <a href="/admin/system">View details</a>
    </p>
  )
}
