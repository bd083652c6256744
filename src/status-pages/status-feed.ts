/**
 * A status page as JSON and as an Atom feed (RFC 4287), both pure renderings of the view-model.
 * The JSON names states as words and times as ISO 8601; the feed has one entry per manual note
 * (updated by its newest update) and one per automatic incident, with ids derived from the
 * page's code so they stay stable while never showing a check's UUID.
 */
import { sha256Hex } from '../tokens.js'
import type { StatusView } from './load-status-view.js'
import {
  dayState,
  NOTE_STATE_LABEL,
  type NoteState,
  PAGE_STATE_LABEL,
  PUBLIC_STATE_LABEL,
} from './rules.js'

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

function noteState(note: StatusView['notes'][number]): string {
  return note.updates[note.updates.length - 1]?.state ?? 'investigating'
}

/** The page as `/status/<slug>/status.json` answers it. */
export function statusJson(view: StatusView) {
  return {
    title: view.title,
    description: view.description,
    status: view.state,
    status_text: PAGE_STATE_LABEL[view.state],
    generated_at: iso(view.now),
    checks: view.checks.map((c) => ({
      name: c.name,
      status: c.state,
      status_text: PUBLIC_STATE_LABEL[c.state],
      uptime_90d: c.uptime === null ? null : Math.round(c.uptime * 1000) / 1000,
      days: c.days.map((d) => ({
        date: iso(d.boundary).slice(0, 10),
        status: dayState(d),
        downtime_s: Math.round(d.durationMs / 1000),
      })),
    })),
    incidents: view.incidents.map((i) => ({
      name: i.name,
      started: iso(i.start),
      started_before_window: i.startedBefore,
      ended: i.end === null ? null : iso(i.end),
    })),
    notes: view.notes.map((n) => ({
      title: n.title,
      state: noteState(n),
      created: iso(n.created),
      updates: n.updates.map((u) => ({ state: u.state, text: u.body, created: iso(u.created) })),
    })),
  }
}

/** Control characters other than tab, newline and carriage return: not allowed in XML 1.0. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // Characters XML 1.0 does not allow.
      .replace(XML_INVALID, '')
  )
}

interface Entry {
  id: string
  title: string
  updated: number
  published: number
  text: string
}

/** The page's Atom feed; `pageUrl` and `feedUrl` are absolute (with the token of a private page). */
export function statusAtom(view: StatusView, urls: { pageUrl: string; feedUrl: string }): string {
  const base = `urn:vigil:status-page:${view.code}`
  const entries: Entry[] = [
    ...view.notes.map((n) => {
      const last = n.updates[n.updates.length - 1]
      const state = NOTE_STATE_LABEL[noteState(n) as NoteState] ?? noteState(n)
      return {
        id: `${base}:note:${n.id}`,
        title: `${n.title} (${state})`,
        updated: last?.created ?? n.created,
        published: n.created,
        text: n.updates
          .map(
            (u) =>
              `${iso(u.created)} ${NOTE_STATE_LABEL[u.state as NoteState] ?? u.state}: ${u.body}`,
          )
          .join('\n\n'),
      }
    }),
    ...view.incidents.map((i) => ({
      id: `${base}:incident:${sha256Hex(`${view.code}:${i.key}:${i.start}`).slice(0, 24)}`,
      title: i.end === null ? `${i.name} is down` : `${i.name} was down`,
      updated: i.end ?? i.start,
      published: i.start,
      text:
        i.end === null
          ? `Down since ${iso(i.start)}${i.startedBefore ? ' or earlier' : ''}.`
          : `Down from ${iso(i.start)}${i.startedBefore ? ' or earlier' : ''} to ${iso(i.end)}.`,
    })),
  ].sort((a, b) => b.updated - a.updated)
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(base)}</id>`,
    `  <title>${xml(view.title)}</title>`,
    `  <subtitle>${xml(PAGE_STATE_LABEL[view.state])}</subtitle>`,
    `  <updated>${iso(view.updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(urls.feedUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(urls.pageUrl)}"/>`,
    `  <author><name>${xml(view.title)}</name></author>`,
    ...entries.flatMap((e) => [
      '  <entry>',
      `    <id>${xml(e.id)}</id>`,
      `    <title>${xml(e.title)}</title>`,
      `    <published>${iso(e.published)}</published>`,
      `    <updated>${iso(e.updated)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${xml(urls.pageUrl)}"/>`,
      `    <content type="text">${xml(e.text)}</content>`,
      '  </entry>',
    ]),
    '</feed>',
    '',
  ]
  return lines.join('\n')
}
