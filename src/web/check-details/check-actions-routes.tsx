/**
 * The danger-zone actions of a check (Healthchecks' clear_events, copy and transfer views), all
 * for read-write roles only: GET/POST /checks/<c>/clear_events/ (a confirmation page, then the
 * clearing), POST /checks/<c>/copy/, and GET/POST /checks/<c>/transfer/ (a page listing the
 * user's other read-write projects, then the move). Each POST redirects to the details page with
 * a notice; bad input is a 4xx page.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { clearCheckEvents, copyCheck, transferCheck } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { Project } from '../../db/index.js'
import { blockedByTwoFactorPolicy, projectAccess } from '../../projects/index.js'
import { CHECK, CHECK_FORM, checkAccessOf, sendTwoFactorRequired } from '../access-guard.js'
import {
  sendBadRequest,
  sendMonitoringPage,
  sendNotFound,
  sendReadOnly,
} from '../monitoring-page.js'
import { canWrite, findUserProject, isUuid, listUserProjects } from '../project-access.js'
import { formField } from '../render.js'
import type { WebAuth } from '../web-auth.js'
import { sendWebError, type WebMessages } from '../web-errors.js'

import { ClearEventsPage, TransferCheckPage } from './check-actions-page.js'

type CheckParams = { Params: { code: string } }

const TRANSFER_MESSAGES: WebMessages = {
  'check-limit':
    'The owner of that project has reached their check limit; remove a check there first.',
}

/**
 * The user's projects other than `except` in which they may change checks, leaving out those
 * whose 2FA policy this session does not meet (TEAM-3).
 */
async function writableProjects(ctx: Ctx, auth: WebAuth, except: number): Promise<Project[]> {
  const out: Project[] = []
  for (const p of await listUserProjects(ctx, auth.user)) {
    if (p.id === except || blockedByTwoFactorPolicy(p, auth.session)) continue
    if (canWrite(await projectAccess(ctx, auth.user.id, p.code))) out.push(p)
  }
  return out
}

export function registerCheckActionRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get<CheckParams>('/checks/:code/clear_events/', CHECK_FORM, async (req, reply) => {
    const found = checkAccessOf(req)
    const { check } = found
    return sendMonitoringPage(ctx, req, reply, { title: 'Clear events' }, (csrf) => (
      <ClearEventsPage check={check} csrf={csrf} />
    ))
  })

  app.post<CheckParams>('/checks/:code/clear_events/', CHECK, async (req, reply) => {
    const found = checkAccessOf(req)
    const r = await clearCheckEvents(ctx, { projectId: found.project.id, code: found.check.code })
    if (!r.ok) return sendNotFound(ctx, reply)
    return reply.redirect(`/checks/${found.check.code}/details/?cleared=1`, 303)
  })

  app.post('/checks/:code/copy/', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const found = checkAccessOf(req)
    const r = await copyCheck(ctx, { check: found.check, project: found.project })
    if (!r.ok) return sendWebError(ctx, reply, r.error)
    return reply.redirect(`/checks/${r.value.code}/details/?copied=1`, 303)
  })

  app.get<CheckParams>('/checks/:code/transfer/', CHECK_FORM, async (req, reply) => {
    const found = checkAccessOf(req)
    const { check, project } = found
    const targets = await writableProjects(ctx, found.auth, project.id)
    return sendMonitoringPage(ctx, req, reply, { title: 'Transfer check' }, (csrf) => (
      <TransferCheckPage check={check} project={project} targets={targets} csrf={csrf} />
    ))
  })

  app.post('/checks/:code/transfer/', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const { check, project: from, user, auth } = checkAccessOf(req)
    const code = formField(req.body, 'project')
    if (!isUuid(code)) return sendBadRequest(ctx, reply, 'Choose the project to move the check to.')
    const target = await findUserProject(ctx, user, code)
    // The target comes from the form, not the path: the guard's rules, applied to it here.
    if (!target) return sendNotFound(ctx, reply)
    if (blockedByTwoFactorPolicy(target.project, auth.session))
      return sendTwoFactorRequired(ctx, reply)
    if (!canWrite(target.role)) return sendReadOnly(ctx, reply)
    const r = await transferCheck(ctx, { check, from, to: target.project })
    if (!r.ok) return sendWebError(ctx, reply, r.error, TRANSFER_MESSAGES)
    return reply.redirect(`/checks/${r.value.code}/details/?transferred=1`, 303)
  })
}
