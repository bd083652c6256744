/**
 * Public status pages as other features see them (src/web/ reaches them only through here).
 */
export { loadStatusView, type StatusView, type StatusViewCheck } from './load-status-view.js'
export { addNote, addNoteUpdate, deleteNote, NOTE_LIMITS, type NoteError } from './notes.js'
export { type OpenStatusPageError, openStatusPage } from './open-status-page.js'
export {
  findProjectStatusPage,
  findStatusPageBySlug,
  type ListedCheck,
  type Note,
  projectStatusPages,
  statusPageChecks,
  statusPageNotes,
} from './queries.js'
export {
  BAR,
  type DayState,
  formatUptime,
  NOTE_STATE_LABEL,
  NOTE_STATES,
  type NoteState,
  PAGE_STATE_LABEL,
  type PageState,
  PUBLIC_STATE_LABEL,
  type PublicState,
  STRIP_WIDTH,
  stripBars,
  stripPaths,
} from './rules.js'
export {
  createStatusPage,
  deleteStatusPage,
  renewStatusPageToken,
  type SaveStatusPageError,
  updateStatusPage,
} from './save-status-page.js'
export { statusAtom, statusJson } from './status-feed.js'
export { LIMITS as STATUS_PAGE_LIMITS, type StatusPageInput } from './status-page-input.js'
export { TtlCache } from './ttl-cache.js'
