/**
 * Resolves Healthchecks' `channels` field: "*" = every channel of the project, "" = none, else
 * comma-separated channel UUIDs or names (exact, whitespace-significant), each matching exactly
 * one channel of this project. Errors carry Healthchecks' messages.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../db/index.js'
import { err, ok, type Result } from '../result.js'

export type ChannelRefError =
  | { kind: 'empty-channel-identifier' }
  | { kind: 'invalid-channel-identifier'; ref: string }
  | { kind: 'non-unique-channel-identifier'; ref: string }

export function channelRefMessage(e: ChannelRefError): string {
  switch (e.kind) {
    case 'empty-channel-identifier':
      return 'empty channel identifier'
    case 'invalid-channel-identifier':
      return `invalid channel identifier: ${e.ref}`
    case 'non-unique-channel-identifier':
      return `non-unique channel identifier: ${e.ref}`
  }
}

/** Channel ids (internal) for a `channels` value, validated against the project. */
export async function resolveChannelRefs(
  db: Kysely<Database>,
  projectId: number,
  spec: string,
): Promise<Result<number[], ChannelRefError>> {
  const channels = await db
    .selectFrom('channels')
    .select(['id', 'code', 'name'])
    .where('project_id', '=', projectId)
    .execute()
  if (spec === '*') return ok(channels.map((c) => c.id))
  if (spec === '') return ok([])
  const ids: number[] = []
  for (const ref of spec.split(',')) {
    if (ref === '') return err({ kind: 'empty-channel-identifier' })
    const matches = channels.filter((c) => c.code === ref || c.name === ref)
    if (matches.length === 0) return err({ kind: 'invalid-channel-identifier', ref })
    if (matches.length > 1) return err({ kind: 'non-unique-channel-identifier', ref })
    if (!ids.includes(matches[0].id)) ids.push(matches[0].id)
  }
  return ok(ids)
}
