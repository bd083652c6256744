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
  KEY_FAILED_TEXT,
  KEY_NAME_MAX,
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
import { CSRF_FIELD } from '../csrf.js'
import { formField } from '../render.js'
import {
  ErrorText,
  factorRemovedNotice,
  Notice,
  requestMeta,
  sendAccountPage,
} from './account-page.js'
import { KEY_SCRIPTS } from './account-scripts.js'
import { sendRecoveryCodesPage } from './recovery-codes-page.js'
import { requireSudo } from './require-sudo.js'

export const KEY_TEXT = {
  disabled: "Security keys can't be used on this server right now.",
  registerFailed: KEY_FAILED_TEXT,
  badName: `Give the key a name of 1 to ${KEY_NAME_MAX} characters.`,
  expired: 'The request took too long. Try again.',
  duplicate: 'That security key is already registered.',
  passkeyDisabled: "Passkey sign-in isn't available on this server.",
  notAPasskey:
    "That key didn't create a passkey: it has to store the credential and check your PIN, fingerprint or face. Try another key, or add this one as a security key.",
} as const

/** The wording of each kind's pages. */
const KIND_TEXT = {
  key: {
    path: '/account/keys',
    title: 'Add security key',
    label: 'Name of the key',
    placeholder: 'e.g. YubiKey on my keyring',
    added: 'Security key added',
    addedNotice: 'You will be asked for a security key when you log in.',
  },
  passkey: {
    path: '/account/passkeys',
    title: 'Add a passkey',
    label: 'Name of the passkey',
    placeholder: 'e.g. Laptop fingerprint',
    added: 'Passkey added',
    addedNotice:
      'You can now sign in with it alone ("Sign in with a passkey"). It also works as a security key after your password.',
  },
} as const

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
    (csrf) => (
      <div class="card">
        <h1>{text.title}</h1>
        {error && <ErrorText>{error}</ErrorText>}
        {options.ok ? (
          <form
            method="post"
            action={text.path}
            data-webauthn="register"
            data-options={JSON.stringify(options.value)}
          >
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <input type="hidden" name="response" value="" />
            {kind === 'passkey' && (
              <p class="hint">
                A passkey lets you sign in without your email and password. Your browser or key will
                ask for your PIN, fingerprint or face.
              </p>
            )}
            <label for="name">{text.label}</label>
            <input
              id="name"
              name="name"
              type="text"
              maxLength={KEY_NAME_MAX}
              value={name}
              placeholder={text.placeholder}
              required
            />
            <p class="error" role="alert" data-webauthn-error hidden />
            <div class="actions">
              <button type="submit">{text.title}</button>
            </div>
          </form>
        ) : (
          <p data-webauthn-disabled>
            {kind === 'passkey' ? KEY_TEXT.passkeyDisabled : KEY_TEXT.disabled}
          </p>
        )}
      </div>
    ),
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
    (csrf) => (
      <div class="card">
        <h1>Security keys</h1>
        {message && <Notice>{message}</Notice>}
        {keys.length === 0 && <p>No security keys.</p>}
        {lastFactor && (
          <p class="error">
            This is your last second factor: removing it turns two-factor authentication off and
            deletes your recovery codes.
          </p>
        )}
        {keys.map((k) => (
          <div key={k.id} class="key-row" data-key-name={k.name}>
            <form method="post" action="/account/keys/rename">
              <input type="hidden" name={CSRF_FIELD} value={csrf} />
              <input type="hidden" name="key" value={String(k.id)} />
              <label for={`name-${k.id}`}>Name</label>
              <input
                id={`name-${k.id}`}
                name="name"
                type="text"
                maxLength={KEY_NAME_MAX}
                value={k.name}
                required
              />
              <button type="submit" class="secondary">
                Rename
              </button>
            </form>
            <form method="post" action="/account/keys/remove">
              <input type="hidden" name={CSRF_FIELD} value={csrf} />
              <input type="hidden" name="key" value={String(k.id)} />
              <button type="submit">Remove {k.name}</button>
            </form>
          </div>
        ))}
        <p>
          <a href="/account/security">Back to account security</a>
        </p>
      </div>
    ),
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
    <div class="card">
      <h1>Security keys</h1>
      <ErrorText>{KEY_TEXT.badName}</ErrorText>
      <p>
        <a href={back}>Back</a>
      </p>
    </div>
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
