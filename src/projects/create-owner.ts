/**
 * Use case: the first-run set-up. Creates the owner (a superuser) and a first project for them,
 * but only while the instance has no user at all. Two set-ups racing each other cannot both win:
 * the count and the insert share a transaction, serialised by an advisory lock on PostgreSQL and
 * by the single write connection on SQLite. Healthchecks' equivalent is `manage.py createsuperuser`.
 */
import { sql } from 'kysely'
import { type CreateUserError, countUsers, createUser } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import { type Project, type User, withTransaction } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { createProject } from './create-project.js'

export interface CreateOwnerInput {
  email: string
  password: string
  /** Name of the first project. */
  projectName?: string
}

export type CreateOwnerError = CreateUserError | { kind: 'already-set-up' }

/** Any constant shared by all Vigil processes: the advisory lock of the first-run set-up. */
const FIRST_RUN_LOCK = 0x76_69_67_69

export async function createOwner(
  ctx: Ctx,
  input: CreateOwnerInput,
): Promise<Result<{ user: User; project: Project }, CreateOwnerError>> {
  const created = await withTransaction(ctx, async (trxCtx, trx) => {
    if (ctx.db.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(${FIRST_RUN_LOCK})`.execute(trx)
    if ((await countUsers(trxCtx)) > 0) return err({ kind: 'already-set-up' as const })
    return createUser(trxCtx, { email: input.email, password: input.password, superuser: true })
  })
  if (!created.ok) return created
  const user = created.value
  // createProject runs its own transaction, so it follows the commit; the owner exists by then.
  const project = await createProject(ctx, {
    ownerEmail: user.email,
    name: input.projectName ?? 'My Project',
  })
  if (!project.ok) throw new Error(`first project for the owner: ${project.error.kind}`)
  return ok({ user, project: project.value.project })
}
