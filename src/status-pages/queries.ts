/**
 * The status-page tables' queries, shared by the use cases of this folder: a project's pages, a
 * page by code or slug, the checks a page lists (chosen by hand, then by tag) and their flips,
 * and a page's notes with their updates. Parameterised Kysely, the same on both databases.
 */
import type { Kysely } from 'kysely'
import { tagsList } from '../checks/index.js'
import type { Check, Database, StatusPage, StoredStatus } from '../db/index.js'
import { isValidSlug } from './rules.js'

/** A page code as newUuid() makes them (any case): anything else names no page. */
const PAGE_CODE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function projectStatusPages(db: Kysely<Database>, projectId: number): Promise<StatusPage[]> {
  return db
    .selectFrom('status_pages')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('title')
    .orderBy('id')
    .execute()
}

export async function findProjectStatusPage(
  db: Kysely<Database>,
  projectId: number,
  code: string,
): Promise<StatusPage | null> {
  // Checked before the query: PostgreSQL refuses some strings (a NUL byte) with an error.
  if (!PAGE_CODE.test(code)) return null
  const row = await db
    .selectFrom('status_pages')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('code', '=', code.toLowerCase())
    .executeTakeFirst()
  return row ?? null
}

export async function findStatusPageBySlug(
  db: Kysely<Database>,
  slug: string,
): Promise<StatusPage | null> {
  if (!isValidSlug(slug)) return null
  const row = await db
    .selectFrom('status_pages')
    .selectAll()
    .where('slug', '=', slug)
    .executeTakeFirst()
  return row ?? null
}

export async function isSlugTaken(
  db: Kysely<Database>,
  slug: string,
  exceptPageId: number | null,
): Promise<boolean> {
  let q = db.selectFrom('status_pages').select('id').where('slug', '=', slug)
  if (exceptPageId !== null) q = q.where('id', '!=', exceptPageId)
  return (await q.executeTakeFirst()) !== undefined
}

/** A check as a page lists it: the row and the name visitors see. */
export interface ListedCheck {
  check: Check
  publicName: string
  /** Chosen by hand (false: listed through one of the page's tags). */
  chosen: boolean
}

/** The name a check listed through a tag shows: its own name, else its slug. */
function tagCheckName(check: Check): string {
  return check.name || check.slug || 'Unnamed check'
}

/** The checks `page` lists: those chosen by hand in their order, then its tags' checks by name. */
export async function statusPageChecks(
  db: Kysely<Database>,
  page: StatusPage,
): Promise<ListedCheck[]> {
  const chosen = await db
    .selectFrom('status_page_checks as s')
    .innerJoin('checks as c', 'c.id', 's.check_id')
    .selectAll('c')
    .select(['s.public_name as public_name', 's.position as position'])
    .where('s.page_id', '=', page.id)
    .where('c.project_id', '=', page.project_id)
    .orderBy('s.position')
    .execute()
  const out: ListedCheck[] = chosen.map(({ public_name, position: _, ...check }) => ({
    check,
    publicName: public_name,
    chosen: true,
  }))
  const tags = tagsList(page.tags)
  if (tags.length === 0) return out
  const seen = new Set(out.map((c) => c.check.id))
  const all = await db
    .selectFrom('checks')
    .selectAll()
    .where('project_id', '=', page.project_id)
    .orderBy('name')
    .orderBy('id')
    .execute()
  for (const check of all) {
    if (seen.has(check.id) || !tagsList(check.tags).some((t) => tags.includes(t))) continue
    out.push({ check, publicName: tagCheckName(check), chosen: false })
  }
  return out
}

export interface FlipRow {
  check_id: number
  created: number
  old_status: StoredStatus
  new_status: StoredStatus
}

/** Flips of `checkIds` since `since` (the strip's window), oldest first. */
export async function flipsSince(
  db: Kysely<Database>,
  checkIds: number[],
  since: number,
): Promise<FlipRow[]> {
  if (checkIds.length === 0) return []
  return db
    .selectFrom('flips')
    .select(['check_id', 'created', 'old_status', 'new_status'])
    .where('check_id', 'in', checkIds)
    .where('created', '>=', since)
    .orderBy('created')
    .orderBy('id')
    .execute()
}

export interface NoteUpdate {
  id: number
  state: string
  body: string
  created: number
}

export interface Note {
  id: number
  title: string
  created: number
  /** Oldest first; the last one's state is the note's state. */
  updates: NoteUpdate[]
}

/** The page's notes, newest first, at most `limit`. */
export async function statusPageNotes(
  db: Kysely<Database>,
  pageId: number,
  limit: number,
): Promise<Note[]> {
  const notes = await db
    .selectFrom('status_page_notes')
    .select(['id', 'title', 'created'])
    .where('page_id', '=', pageId)
    .orderBy('created', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  if (notes.length === 0) return []
  const updates = await db
    .selectFrom('status_page_note_updates')
    .select(['id', 'note_id', 'state', 'body', 'created'])
    .where(
      'note_id',
      'in',
      notes.map((n) => n.id),
    )
    .orderBy('created')
    .orderBy('id')
    .execute()
  return notes.map((n) => ({
    ...n,
    updates: updates.filter((u) => u.note_id === n.id).map(({ note_id: _, ...u }) => u),
  }))
}
