/**
 * The status-page management routes under a project (page.tsx): the list, the new-page form,
 * one page's form, its notes, a new private link and deletion. The access guard lets read-only
 * members look and only members and up post (creating a page is a project write); a page of
 * another project answers 404 as a missing one does. Each action: parse → use case → page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { projectChecks } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { StatusPage } from '../../db/index.js'
import {
  addNote,
  addNoteUpdate,
  createStatusPage,
  deleteNote,
  deleteStatusPage,
  findProjectStatusPage,
  type NoteError,
  projectStatusPages,
  renewStatusPageToken,
  type SaveStatusPageError,
  type StatusPageInput,
  statusPageChecks,
  statusPageNotes,
  updateStatusPage,
} from '../../status-pages/index.js'
import { accessOf, PROJECT, PROJECT_FORM } from '../access-guard.js'
import { sendMonitoringPage, sendNotFound } from '../monitoring-page.js'
import { formField } from '../render.js'
import {
  type EditProps,
  EMPTY_FORM,
  type FormValues,
  formValuesOf,
  managePath,
  StatusPageEdit,
  StatusPagesList,
} from './page.js'
import { registerPublicStatusRoutes, StatusPageCaches } from './public-routes.js'

type Params = { Params: { project: string; page: string; note?: string } }

/** What a change says on the page it returns to (`?done=`). */
const NOTICES = {
  created: 'The status page was created.',
  saved: 'The status page was saved.',
  token: 'The page has a new private link.',
  note: 'The note was posted.',
  update: 'The update was posted.',
  'note-deleted': 'The note was deleted.',
} as const

function noticeOf(query: unknown): string | undefined {
  const done = (query as Record<string, unknown> | null)?.done
  return typeof done === 'string' && Object.hasOwn(NOTICES, done)
    ? NOTICES[done as keyof typeof NOTICES]
    : undefined
}

const SAVE_ERRORS: Record<SaveStatusPageError['kind'], (e: SaveStatusPageError) => string> = {
  'status-page-invalid': (e) => ('message' in e ? e.message : ''),
  'slug-taken': () => 'Another status page has this address. Choose another one.',
  'status-page-not-found': () => 'This status page no longer exists.',
}

/** The posted form as use-case input, and as the form's values to show it again. */
function parseForm(body: unknown): { input: StatusPageInput; values: FormValues } {
  const raw = (body as Record<string, unknown> | null)?.check
  const codes = (Array.isArray(raw) ? raw : [raw]).filter((c): c is string => typeof c === 'string')
  const checks = codes.map((code) => ({
    code,
    publicName: formField(body, `public_name_${code}`),
  }))
  const input: StatusPageInput = {
    slug: formField(body, 'slug'),
    title: formField(body, 'title'),
    description: formField(body, 'description'),
    tags: formField(body, 'tags'),
    checks,
    private: formField(body, 'visibility') === 'private',
  }
  const chosen = new Map(checks.map((c) => [c.code, c.publicName]))
  return { input, values: { ...input, chosen } }
}

export function registerStatusPageRoutes(
  app: FastifyInstance,
  ctx: Ctx,
  caches: StatusPageCaches,
): void {
  const siteRoot = ctx.config.siteRoot

  /** The page of the URL, in the guard's project; null (and 404 sent) when there is none. */
  async function pageOf(req: FastifyRequest<Params>, reply: FastifyReply) {
    const page = await findProjectStatusPage(
      ctx.db.kysely,
      accessOf(req).project.id,
      req.params.page,
    )
    if (!page) sendNotFound(ctx, reply)
    return page
  }

  async function showEdit(
    req: FastifyRequest,
    reply: FastifyReply,
    page: StatusPage | null,
    shown: Partial<EditProps> = {},
    status = 200,
  ): Promise<FastifyReply> {
    const { project, role } = accessOf(req)
    const checks = await projectChecks(ctx.db.kysely, project.id)
    const listed = page ? await statusPageChecks(ctx.db.kysely, page) : []
    const notes = page ? await statusPageNotes(ctx.db.kysely, page.id, 100) : []
    const values = shown.values ?? (page ? formValuesOf(page, listed) : EMPTY_FORM)
    const title = `${page ? page.title : 'New status page'} – ${project.name}`
    return sendMonitoringPage(ctx, req, reply, { title, status }, (csrf) =>
      StatusPageEdit({ project, role, csrf, siteRoot, page, checks, notes, ...shown, values }),
    )
  }

  /**
   * After a change: its public output refreshed in this process, then the page again. A new
   * token is shown in the answer itself (once, never in a URL); otherwise the browser is sent
   * to the page (POST, redirect, GET) with the notice's key.
   */
  function changed(
    req: FastifyRequest,
    reply: FastifyReply,
    page: StatusPage,
    done: keyof typeof NOTICES,
    token?: string | null,
  ) {
    caches.forget(page)
    if (token) return showEdit(req, reply, page, { notice: NOTICES[done], token })
    return reply.redirect(`${managePath(accessOf(req).project, page)}?done=${done}`, 303)
  }

  function noteFailed(req: FastifyRequest, reply: FastifyReply, page: StatusPage, e: NoteError) {
    if (e.kind === 'note-not-found') return sendNotFound(ctx, reply)
    return showEdit(req, reply, page, { error: e.message }, 400)
  }

  app.get<Params>('/projects/:project/status-pages/', PROJECT, async (req, reply) => {
    const { project, role } = accessOf(req)
    const pages = await projectStatusPages(ctx.db.kysely, project.id)
    const title = `Status pages – ${project.name}`
    return sendMonitoringPage(ctx, req, reply, { title }, () =>
      StatusPagesList({ project, role, pages, siteRoot }),
    )
  })

  app.get<Params>('/projects/:project/status-pages/new', PROJECT_FORM, async (req, reply) =>
    showEdit(req, reply, null),
  )

  app.post<Params>('/projects/:project/status-pages/new', PROJECT, async (req, reply) => {
    const { input, values } = parseForm(req.body)
    const r = await createStatusPage(ctx, { project: accessOf(req).project, page: input })
    if (!r.ok)
      return showEdit(req, reply, null, { values, error: SAVE_ERRORS[r.error.kind](r.error) }, 400)
    return changed(req, reply, r.value.page, 'created', r.value.token)
  })

  app.get<Params>('/projects/:project/status-pages/:page/', PROJECT, async (req, reply) => {
    const page = await pageOf(req, reply)
    return page ? showEdit(req, reply, page, { notice: noticeOf(req.query) }) : reply
  })

  app.post<Params>('/projects/:project/status-pages/:page/', PROJECT, async (req, reply) => {
    const page = await pageOf(req, reply)
    if (!page) return reply
    const { input, values } = parseForm(req.body)
    const r = await updateStatusPage(ctx, { page, changes: input })
    if (!r.ok)
      return showEdit(req, reply, page, { values, error: SAVE_ERRORS[r.error.kind](r.error) }, 400)
    caches.forget(page)
    return changed(req, reply, r.value.page, 'saved', r.value.token)
  })

  app.post<Params>('/projects/:project/status-pages/:page/token', PROJECT, async (req, reply) => {
    const page = await pageOf(req, reply)
    if (!page) return reply
    const r = await renewStatusPageToken(ctx, page)
    return changed(req, reply, r.page, 'token', r.token)
  })

  app.post<Params>('/projects/:project/status-pages/:page/delete', PROJECT, async (req, reply) => {
    const page = await pageOf(req, reply)
    if (!page) return reply
    await deleteStatusPage(ctx, page)
    caches.forget(page)
    return reply.redirect(managePath(accessOf(req).project), 303)
  })

  app.post<Params>('/projects/:project/status-pages/:page/notes', PROJECT, async (req, reply) => {
    const page = await pageOf(req, reply)
    if (!page) return reply
    const [title, state, body] = ['title', 'state', 'body'].map((f) => formField(req.body, f))
    const r = await addNote(ctx, { page, userId: accessOf(req).user.id, title, state, body })
    if (!r.ok) return noteFailed(req, reply, page, r.error)
    return changed(req, reply, page, 'note')
  })

  app.post<Params>(
    '/projects/:project/status-pages/:page/notes/:note',
    PROJECT,
    async (req, reply) => {
      const page = await pageOf(req, reply)
      if (!page) return reply
      const noteId = Number(req.params.note)
      const [state, body] = ['state', 'body'].map((f) => formField(req.body, f))
      const r = await addNoteUpdate(ctx, { page, noteId, state, body })
      if (!r.ok) return noteFailed(req, reply, page, r.error)
      return changed(req, reply, page, 'update')
    },
  )

  app.post<Params>(
    '/projects/:project/status-pages/:page/notes/:note/delete',
    PROJECT,
    async (req, reply) => {
      const page = await pageOf(req, reply)
      if (!page) return reply
      const r = await deleteNote(ctx, { page, noteId: Number(req.params.note) })
      if (!r.ok) return noteFailed(req, reply, page, r.error)
      return changed(req, reply, page, 'note-deleted')
    },
  )
}

/** The management routes and the public ones, sharing one set of caches. */
export function registerStatusPages(app: FastifyInstance, ctx: Ctx): void {
  const caches = new StatusPageCaches()
  registerStatusPageRoutes(app, ctx, caches)
  registerPublicStatusRoutes(app, ctx, caches)
}
