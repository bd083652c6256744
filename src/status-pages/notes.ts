/**
 * Manual incident notes on a status page, written by project members: a note has a title and
 * one or more updates (a state and a text); its state is its newest update's. Deleting a note
 * removes its updates with it.
 */
import type { Ctx } from '../context.js'
import { type StatusPage, withTransaction } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { isNoteState } from './rules.js'

export const NOTE_LIMITS = { title: 200, body: 5000 }

export type NoteError = { kind: 'note-invalid'; message: string } | { kind: 'note-not-found' }

function checkUpdate(state: string, body: string): NoteError | null {
  if (!isNoteState(state))
    return {
      kind: 'note-invalid',
      message: 'Choose investigating, identified, monitoring or resolved.',
    }
  if (body.trim().length < 1 || body.length > NOTE_LIMITS.body)
    return {
      kind: 'note-invalid',
      message: `Write an update of 1 to ${NOTE_LIMITS.body} characters.`,
    }
  return null
}

export async function addNote(
  ctx: Ctx,
  input: { page: StatusPage; userId: number; title: string; state: string; body: string },
): Promise<Result<number, NoteError>> {
  const title = input.title.trim()
  if (title.length < 1 || title.length > NOTE_LIMITS.title)
    return err({
      kind: 'note-invalid',
      message: `Give the note a title of 1 to ${NOTE_LIMITS.title} characters.`,
    })
  const invalid = checkUpdate(input.state, input.body)
  if (invalid) return err(invalid)
  const now = ctx.clock.now()
  const id = await withTransaction(ctx, async (_t, trx) => {
    const note = await trx
      .insertInto('status_page_notes')
      .values({ page_id: input.page.id, title, created: now, created_by: input.userId })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('status_page_note_updates')
      .values({ note_id: note.id, state: input.state, body: input.body.trim(), created: now })
      .execute()
    return note.id
  })
  return ok(id)
}

async function noteOf(ctx: Ctx, page: StatusPage, noteId: number): Promise<boolean> {
  if (!Number.isSafeInteger(noteId) || noteId <= 0) return false
  const row = await ctx.db.kysely
    .selectFrom('status_page_notes')
    .select('id')
    .where('id', '=', noteId)
    .where('page_id', '=', page.id)
    .executeTakeFirst()
  return row !== undefined
}

export async function addNoteUpdate(
  ctx: Ctx,
  input: { page: StatusPage; noteId: number; state: string; body: string },
): Promise<Result<void, NoteError>> {
  if (!(await noteOf(ctx, input.page, input.noteId))) return err({ kind: 'note-not-found' })
  const invalid = checkUpdate(input.state, input.body)
  if (invalid) return err(invalid)
  await ctx.db.kysely
    .insertInto('status_page_note_updates')
    .values({
      note_id: input.noteId,
      state: input.state,
      body: input.body.trim(),
      created: ctx.clock.now(),
    })
    .execute()
  return ok(undefined)
}

export async function deleteNote(
  ctx: Ctx,
  input: { page: StatusPage; noteId: number },
): Promise<Result<void, NoteError>> {
  if (!(await noteOf(ctx, input.page, input.noteId))) return err({ kind: 'note-not-found' })
  await ctx.db.kysely.deleteFrom('status_page_notes').where('id', '=', input.noteId).execute()
  return ok(undefined)
}
