/**
 * /account/profile: the user's time zone, "still down" reminders and e-mail reports (issue 5;
 * Healthchecks' account notifications form). The handler only reads the form and shows what
 * accounts/update-profile.ts decides; a refused value shows the form again with 400.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type ProfileError, updateProfile } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { LOGGED_IN, PUBLIC, userOf } from '../access-guard.js'
import { formField } from '../render.js'
import { sendAccountPage } from './account-page.js'
import { ProfilePage, type ProfileValues } from './profile-page.js'

export const PROFILE_ERRORS: Record<ProfileError['kind'], string> = {
  'invalid-tz': 'Choose a time zone from the list, such as Europe/Berlin or UTC.',
  'invalid-nag-period': 'Choose how often to be reminded: off, hourly or daily.',
  'invalid-reports': 'Choose a report frequency: off, daily, weekly or monthly.',
  'user-not-found': 'Your account no longer exists.',
}

function profilePage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  values: ProfileValues,
  message: { error?: string; notice?: string } = {},
) {
  return sendAccountPage(
    ctx,
    req,
    reply,
    status,
    'Profile',
    (csrf) => <ProfilePage csrf={csrf} values={values} message={message} />,
    { narrow: true },
  )
}

/** The profile form as posted. */
function profileValues(body: unknown): ProfileValues {
  return {
    tz: formField(body, 'tz').trim(),
    nagPeriod: formField(body, 'nag_period').trim(),
    reports: formField(body, 'reports'),
  }
}

/** A user's stored profile as the form shows it. */
function storedValues(user: { tz: string; nag_period: number; reports: string }): ProfileValues {
  return { tz: user.tz, nagPeriod: String(user.nag_period), reports: user.reports }
}

/** The nag period field as a number; anything but plain digits (including "") is NaN, refused by the use case. */
function nagPeriodOf(values: ProfileValues): number {
  return /^\d+$/.test(values.nagPeriod) ? Number(values.nagPeriod) : Number.NaN
}

export function registerProfileRoutes(app: FastifyInstance, ctx: Ctx): void {
  // Healthchecks' address of the same settings, linked from reports it mailed.
  app.get('/accounts/profile/notifications/', PUBLIC, (_req, reply) =>
    reply.redirect('/account/profile', 301),
  )

  app.get('/account/profile', LOGGED_IN, async (req, reply) => {
    return profilePage(ctx, req, reply, 200, storedValues(userOf(req).user))
  })

  app.post('/account/profile', LOGGED_IN, async (req, reply) => {
    const values = profileValues(req.body)
    const r = await updateProfile(ctx, {
      userId: userOf(req).user.id,
      tz: values.tz,
      nagPeriod: nagPeriodOf(values),
      reports: values.reports,
    })
    if (!r.ok)
      return profilePage(ctx, req, reply, 400, values, { error: PROFILE_ERRORS[r.error.kind] })
    const saved = storedValues(r.value)
    return profilePage(ctx, req, reply, 200, saved, { notice: 'Your profile was saved.' })
  })
}
