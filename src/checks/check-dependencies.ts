/**
 * Queries for check dependencies (issue 14): which checks a check depends on (`depends_on` in
 * API v3 JSON), resolving and validating a new `depends_on` list (checks of the same project
 * only, no self-dependency, no cycle; each refusal names the problem), replacing the set, and
 * the parents and children the details page and dashboard show. Not here: the alert rule
 * (src/alerts/dependency-gate.ts). Healthchecks has no dependencies (healthchecks#316).
 */
import type { Kysely } from 'kysely'
import type { Database, StoredStatus } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import type { InvalidField } from './check-input.js'
import { codesByCheck } from './codes-by-check.js'
import { findDependencyCycle } from './dependency-graph.js'

/** Parent UUIDs per check id (checks without parents are absent from the map). */
export async function dependsOnByCheck(
  db: Kysely<Database>,
  checkIds: number[],
): Promise<Map<number, string[]>> {
  if (checkIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('check_dependencies')
    .innerJoin('checks', 'checks.id', 'check_dependencies.depends_on_id')
    .select(['check_dependencies.check_id as checkId', 'checks.code as code'])
    .where('check_dependencies.check_id', 'in', checkIds)
    .orderBy('checks.code')
    .execute()
  return codesByCheck(rows)
}

/** Parent UUIDs of one check, sorted. */
export async function dependsOnOf(db: Kysely<Database>, checkId: number): Promise<string[]> {
  return (await dependsOnByCheck(db, [checkId])).get(checkId) ?? []
}

const invalid = (problem: string): InvalidField => ({
  kind: 'invalid-field',
  field: 'depends_on',
  problem,
})

/**
 * The parent ids `codes` name for a check of `projectId` (`checkId` null for a check not yet
 * created), or the first problem: an unknown UUID, another project's check, the check itself,
 * or a cycle (given along its names).
 */
export async function resolveDependsOn(
  db: Kysely<Database>,
  projectId: number,
  checkId: number | null,
  codes: readonly string[],
): Promise<Result<number[], InvalidField>> {
  const wanted = [...new Set(codes)]
  if (wanted.length === 0) return ok([])
  const rows = await db
    .selectFrom('checks')
    .select(['id', 'code', 'project_id'])
    .where('code', 'in', wanted)
    .execute()
  const byCode = new Map(rows.map((r) => [r.code, r]))
  for (const code of wanted) {
    const row = byCode.get(code)
    if (!row) return err(invalid(`names no known check: ${code}`))
    if (row.project_id !== projectId)
      return err(invalid(`names a check of another project: ${code}`))
    if (row.id === checkId) return err(invalid('names the check itself'))
  }
  const ids = wanted.map((c) => byCode.get(c)?.id as number)
  if (checkId === null) return ok(ids)
  const cycle = findDependencyCycle(await projectDependencies(db, projectId), checkId, ids)
  if (cycle === null) return ok(ids)
  const names = await db
    .selectFrom('checks')
    .select(['id', 'name', 'code'])
    .where('id', 'in', cycle)
    .execute()
  const label = new Map(names.map((n) => [n.id, n.name || n.code]))
  return err(invalid(`would create a cycle: ${cycle.map((id) => label.get(id)).join(' → ')}`))
}

/** Makes `parentIds` the check's parents exactly. */
export async function setDependsOn(
  db: Kysely<Database>,
  checkId: number,
  parentIds: number[],
): Promise<void> {
  await db.deleteFrom('check_dependencies').where('check_id', '=', checkId).execute()
  if (parentIds.length > 0)
    await db
      .insertInto('check_dependencies')
      .values(parentIds.map((depends_on_id) => ({ check_id: checkId, depends_on_id })))
      .execute()
}

/** Gives the check `copyId` the parents of `checkId` ("Create a copy"). */
export async function copyDependsOn(
  db: Kysely<Database>,
  checkId: number,
  copyId: number,
): Promise<void> {
  const rows = await db
    .selectFrom('check_dependencies')
    .select('depends_on_id')
    .where('check_id', '=', checkId)
    .execute()
  await setDependsOn(
    db,
    copyId,
    rows.map((r) => r.depends_on_id),
  )
}

/** Removes every edge to and from the check (it moves to another project). */
export async function dropDependencies(db: Kysely<Database>, checkId: number): Promise<void> {
  await db
    .deleteFrom('check_dependencies')
    .where((eb) => eb.or([eb('check_id', '=', checkId), eb('depends_on_id', '=', checkId)]))
    .execute()
}

/** A parent or child as pages show it. */
export interface RelatedCheck {
  id: number
  code: string
  name: string
  status: StoredStatus
}

/** Every dependency edge of a project with both ends, for the dashboard's grouping. */
export async function projectDependencies(
  db: Kysely<Database>,
  projectId: number,
): Promise<{ checkId: number; dependsOnId: number }[]> {
  return db
    .selectFrom('check_dependencies')
    .innerJoin('checks', 'checks.id', 'check_dependencies.check_id')
    .select([
      'check_dependencies.check_id as checkId',
      'check_dependencies.depends_on_id as dependsOnId',
    ])
    .where('checks.project_id', '=', projectId)
    .orderBy('check_dependencies.check_id')
    .orderBy('check_dependencies.depends_on_id')
    .execute()
}

/** The checks this one depends on and the checks that depend on it, by name. */
export async function checkRelatives(
  db: Kysely<Database>,
  checkId: number,
): Promise<{ parents: RelatedCheck[]; children: RelatedCheck[] }> {
  return {
    parents: await relatives(db, 'depends_on_id', 'check_id', checkId),
    children: await relatives(db, 'check_id', 'depends_on_id', checkId),
  }
}

/** The checks at the `shown` end of the edges whose `given` end is `checkId`, by name. */
function relatives(
  db: Kysely<Database>,
  shown: 'check_id' | 'depends_on_id',
  given: 'check_id' | 'depends_on_id',
  checkId: number,
): Promise<RelatedCheck[]> {
  return db
    .selectFrom('check_dependencies')
    .innerJoin('checks', 'checks.id', `check_dependencies.${shown}`)
    .select(['checks.id', 'checks.code', 'checks.name', 'checks.status'])
    .where(`check_dependencies.${given}`, '=', checkId)
    .orderBy('checks.name')
    .orderBy('checks.id')
    .execute()
}
