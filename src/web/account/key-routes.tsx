/**
 * /account/keys: adding a security key (WA-2, sudo), /account/passkeys: adding one as a passkey
 * (WA-7, sudo, only with PASSKEY_LOGIN), and /account/keys/remove: renaming and removing keys
 * (WA-6, class D). The ceremony runs in the browser (account-scripts.ts); the forms post its
 * JSON answer. Without WebAuthn (or passkey sign-in) here the pages say so instead of 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  finishKeyRegistration,
  hasSecondFactor,
  type KeyKind,
  listSecurityKeys,
  loadFactors,
  type RegisterKeyError,
  removeSecurityKey,
  renameSecurityKey,
  startKeyRegistration,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { LOGGED_IN, userOf } from '../access-guard.js'
import { formField } from '../render.js'
import { factorRemovedNotice, requestMeta, sendAccountPage } from './account-page.js'
import { KEY_SCRIPTS } from './account-scripts.js'
import { AddKeyPage, BadKeyNamePage, KEY_TEXT, KeyListPage, KIND_TEXT } from './key-page.js'
import { sendRecoveryCodesPage } from './recovery-codes-page.js'
import { requireSudo } from './require-sudo.js'

function registerErrorText(e: RegisterKeyError, kind: KeyKind): string {
  switch (e.kind) {
    case 'webauthn-disabled':
      return kind === 'passkey' ? KEY_TEXT.passkeyDisabled : KEY_TEXT.disabled
    case 'not-a-passkey':
      return KEY_TEXT.notAPasskey
    case 'bad-name':
      return KEY_TEXT.badName
    case 'challenge-expired':
      return KEY_TEXT.expired
    case 'already-registered':
      return KEY_TEXT.duplicate
    case 'key-failed':
      return KEY_TEXT.registerFailed
  }
}

async function addKeyPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error?: string,
  name = '',
  kind: KeyKind = 'key',
) {
  const auth = userOf(req)
  const text = KIND_TEXT[kind]
  const options = await startKeyRegistration(ctx, auth.user, auth.session, kind)
  return sendAccountPage(
    ctx,
    req,
    reply,
    options.ok ? status : 200,
    text.title,
    (csrf) => <AddKeyPage csrf={csrf} kind={kind} error={error} name={name} options={options} />,
    { narrow: true, scripts: KEY_SCRIPTS },
  )
}

async function keyListPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message?: string,
) {
  const auth = userOf(req)
  const keys = await listSecurityKeys(ctx, auth.user.id)
  const factors = await loadFactors(ctx, auth.user)
  // WA-6: warn before removing the last second factor.
  const lastFactor = !factors.totp && keys.length === 1
  return sendAccountPage(
    ctx,
    req,
    reply,
    status,
    'Security keys',
    (csrf) => <KeyListPage csrf={csrf} keys={keys} lastFactor={lastFactor} message={message} />,
    { narrow: true },
  )
}

/** A name that is empty or too long: say so, and go back where the keys are listed. */
async function sendBadKeyName(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const f = await loadFactors(ctx, userOf(req).user)
  const back = hasSecondFactor(f) ? '/account/keys/remove' : '/account/security'
  return sendAccountPage(ctx, req, reply, 400, 'Security keys', () => (
    <BadKeyNamePage back={back} />
  ))
}

function keyId(body: unknown): number {
  const raw = formField(body, 'key')
  return /^\d{1,15}$/.test(raw) ? Number(raw) : -1
}

export function registerKeyRoutes(app: FastifyInstance, ctx: Ctx): void {
  for (const kind of ['key', 'passkey'] as const) {
    const text = KIND_TEXT[kind]
    app.get(text.path, LOGGED_IN, async (req, reply) => {
      if (!(await requireSudo(ctx, req, reply, text.path))) return reply
      return addKeyPage(ctx, req, reply, 200, undefined, '', kind)
    })

    app.post(text.path, LOGGED_IN, async (req, reply) => {
      if (!(await requireSudo(ctx, req, reply, text.path))) return reply
      const { user, session } = userOf(req)
      const name = formField(req.body, 'name')
      const response = formField(req.body, 'response')
      const meta = requestMeta(req)
      const r = await finishKeyRegistration(ctx, { user, session, name, response, meta, kind })
      if (!r.ok)
        return addKeyPage(ctx, req, reply, 400, registerErrorText(r.error, kind), name, kind)
      const { recoveryCodes: codes, notified, credential } = r.value
      const notices = [`"${credential.name}" is set up. ${text.addedNotice}`]
      return sendRecoveryCodesPage(ctx, req, reply, { title: text.added, notices, notified, codes })
    })
  }

  app.get('/account/keys/remove', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/keys/remove'))) return reply
    return keyListPage(ctx, req, reply, 200)
  })

  app.post('/account/keys/remove', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/keys/remove'))) return reply
    const { user, session } = userOf(req)
    const meta = requestMeta(req)
    const r = await removeSecurityKey(ctx, { user, session, keyId: keyId(req.body), meta })
    if (!r.ok) return keyListPage(ctx, req, reply, 404, 'That key was already removed.')
    const notice = factorRemovedNotice(r.value, 'The security key was removed.')
    return keyListPage(ctx, req, reply, 200, notice)
  })

  app.post('/account/keys/rename', LOGGED_IN, async (req, reply) => {
    const name = formField(req.body, 'name')
    const done = await renameSecurityKey(ctx, userOf(req).user, keyId(req.body), name)
    if (!done) return sendBadKeyName(ctx, req, reply)
    return reply.redirect('/account/security', 303)
  })
}
