/**
 * The event-log live-refresh script (served by Vigil; the CSP allows no inline scripts): a
 * `tbody[data-events-url]` is polled every 5 s while the tab is visible with `?after=<cursor>`,
 * and the rows the answer holds are prepended, newest on top, without reloading the page — the
 * pattern of the dashboard's live-status script. Rows are built with createElement and
 * textContent from event-rows.ts data, never from HTML, so nothing a ping carries becomes markup.
 */
import { createHash } from 'node:crypto'

const EVENT_LOG = `'use strict'
;(function () {
  var body = document.querySelector('tbody[data-events-url]')
  if (!body) return
  var url = body.getAttribute('data-events-url')
  var busy = false
  function cell(c) {
    var td = document.createElement('td')
    if (c.class) td.className = c.class
    if (c.colSpan) td.colSpan = c.colSpan
    c.parts.forEach(function (p) {
      if (typeof p === 'string') td.appendChild(document.createTextNode(p))
      else if (p.strong !== undefined) {
        var b = document.createElement('strong')
        b.textContent = p.strong
        td.appendChild(b)
      } else {
        var a = document.createElement('a')
        a.setAttribute('href', p.href)
        a.textContent = p.text
        td.appendChild(a)
      }
    })
    return td
  }
  function apply(data) {
    var rows = data.rows || []
    for (var i = rows.length - 1; i >= 0; i--) {
      var r = rows[i]
      if (body.querySelector('[data-event="' + r.key + '"]')) continue
      var tr = document.createElement('tr')
      tr.className = r.class + ' event-new'
      tr.setAttribute('data-event', r.key)
      r.cells.forEach(function (c) { tr.appendChild(cell(c)) })
      body.insertBefore(tr, body.firstChild)
    }
    if (rows.length > 0) {
      document.querySelectorAll('[data-events-empty]').forEach(function (el) { el.hidden = true })
    }
    if (data.cursor) body.setAttribute('data-cursor', data.cursor)
  }
  function poll() {
    if (busy || document.visibilityState === 'hidden') return
    busy = true
    var sep = url.indexOf('?') < 0 ? '?' : '&'
    fetch(url + sep + 'after=' + encodeURIComponent(body.getAttribute('data-cursor')), {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    })
      .then(function (r) { return r.ok ? r.json() : null })
      .then(function (data) { if (data) apply(data) })
      .catch(function () {})
      .then(function () { busy = false })
  }
  setInterval(poll, 5000)
  document.addEventListener('visibilitychange', poll)
})()
`

const hash = createHash('sha256').update(EVENT_LOG).digest('hex').slice(0, 12)

export const EVENT_LOG_SCRIPT = { path: `/static/event-log.${hash}.js`, body: EVENT_LOG }
