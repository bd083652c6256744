/**
 * The small vanilla scripts of the monitoring pages, served by Vigil itself (the CSP allows no
 * inline or third-party scripts). Every page works without them; they only add live status
 * updates, copy buttons and the as-you-type schedule preview. They never write HTML: text goes in
 * through textContent, so nothing a check name holds can become markup. Like the stylesheet they
 * are strings in TypeScript, so the build carries them, and their URLs hold a content hash.
 */
import { createHash } from 'node:crypto'

/**
 * Live status: an element with `data-live-url` names a JSON endpoint answering
 * `{ title, counts: {name: n}, checks: [{ code, status, icon, label, lastPing, lastPingTitle }] }`;
 * polled every 10 s while the tab is visible. Rows and status spots carry `data-check="<uuid>"`.
 */
const LIVE_STATUS = `'use strict'
;(function () {
  var root = document.querySelector('[data-live-url]')
  if (!root) return
  var url = root.getAttribute('data-live-url')
  function apply(data) {
    if (data.title) document.title = data.title
    Object.keys(data.counts || {}).forEach(function (name) {
      document.querySelectorAll('[data-count="' + name + '"]').forEach(function (el) {
        el.textContent = String(data.counts[name])
      })
    })
    ;(data.checks || []).forEach(function (c) {
      document.querySelectorAll('[data-check="' + c.code + '"]').forEach(function (el) {
        el.querySelectorAll('.status').forEach(function (s) {
          s.className = 'status status-' + c.status
          var icon = s.querySelector('.status-icon')
          var label = s.querySelector('.status-label')
          if (icon) icon.textContent = c.icon
          if (label) label.textContent = c.label
        })
        el.querySelectorAll('.last-ping').forEach(function (s) {
          s.textContent = c.lastPing
          if (c.lastPingTitle) s.setAttribute('title', c.lastPingTitle)
          else s.removeAttribute('title')
        })
      })
    })
  }
  function poll() {
    if (document.visibilityState === 'hidden') return
    fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null })
      .then(function (data) { if (data) apply(data) })
      .catch(function () {})
  }
  setInterval(poll, 10000)
  document.addEventListener('visibilitychange', poll)
})()
`

/**
 * Copy buttons: `<button data-copy="<element id>" hidden>` is shown and copies that element's text.
 * A list of new recovery codes (`[data-recovery-codes]`, spec RC-2) also shows its Print button
 * and keeps "Done" disabled until the codes were copied, downloaded or printed.
 */
const COPY_BUTTONS = `'use strict'
;(function () {
  if (!navigator.clipboard) return
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var target = document.getElementById(button.getAttribute('data-copy'))
    if (!target) return
    var label = button.textContent
    button.hidden = false
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.textContent = 'Copied'
        button.dispatchEvent(new Event('copied', { bubbles: true }))
        setTimeout(function () { button.textContent = label }, 1500)
      }, function () {})
    })
  })
})()
;(function () {
  var box = document.querySelector('[data-recovery-codes]')
  var done = box && box.querySelector('[data-recovery-done]')
  if (!done) return
  var hint = box.querySelector('[data-recovery-done-hint]')
  function saved() {
    done.disabled = false
    if (hint) hint.hidden = true
  }
  done.disabled = true
  if (hint) hint.hidden = false
  box.addEventListener('copied', saved)
  var download = box.querySelector('form[data-download]')
  if (download) download.addEventListener('submit', saved)
  var print = box.querySelector('button[data-print]')
  if (print) {
    print.hidden = false
    print.addEventListener('click', function () {
      window.print()
      saved()
    })
  }
})()
`

/**
 * Schedule preview: a form with `data-preview-url` re-asks that URL (GET, form fields as query)
 * whenever a schedule field changes and fills `#schedule-preview` with the answer
 * `{ ok, error?, runs: [{ checkZone, viewerZone }] , checkZoneName, viewerZoneName }`.
 */
const SCHEDULE_PREVIEW = `'use strict'
;(function () {
  var form = document.querySelector('form[data-preview-url]')
  var box = document.getElementById('schedule-preview')
  if (!form || !box) return
  var url = form.getAttribute('data-preview-url')
  var timer = null
  var seq = 0
  function field(name) {
    var checked = form.querySelector('[name="' + name + '"]:checked')
    if (checked) return checked.value
    var el = form.querySelector('[name="' + name + '"]')
    return el ? el.value : ''
  }
  function text(tag, value, cls) {
    var el = document.createElement(tag)
    el.textContent = value
    if (cls) el.className = cls
    return el
  }
  function render(data) {
    box.replaceChildren()
    box.appendChild(text('h3', 'Next expected pings'))
    if (!data.ok) {
      var e = text('p', data.error, 'error')
      e.setAttribute('role', 'alert')
      box.appendChild(e)
      return
    }
    var table = document.createElement('table')
    var head = document.createElement('tr')
    head.appendChild(text('th', 'In ' + data.checkZoneName))
    head.appendChild(text('th', 'In your zone (' + data.viewerZoneName + ')'))
    var thead = document.createElement('thead')
    thead.appendChild(head)
    table.appendChild(thead)
    var body = document.createElement('tbody')
    data.runs.forEach(function (r) {
      var tr = document.createElement('tr')
      tr.appendChild(text('td', r.checkZone))
      tr.appendChild(text('td', r.viewerZone))
      body.appendChild(tr)
    })
    table.appendChild(body)
    box.appendChild(table)
  }
  function update() {
    var params = new URLSearchParams()
    ;['kind', 'timeout_value', 'timeout_unit', 'schedule', 'oncalendar', 'tz'].forEach(function (n) {
      params.set(n, field(n))
    })
    var mine = ++seq
    fetch(url + '?' + params.toString(), { credentials: 'same-origin' })
      .then(function (r) { return r.json() })
      .then(function (data) { if (mine === seq) render(data) })
      .catch(function () {})
  }
  form.addEventListener('input', function (ev) {
    var name = ev.target && ev.target.name
    if (['kind', 'timeout_value', 'timeout_unit', 'schedule', 'oncalendar', 'tz'].indexOf(name) < 0) return
    clearTimeout(timer)
    timer = setTimeout(update, 250)
  })
  form.addEventListener('change', function (ev) {
    if (ev.target && ev.target.name === 'kind') update()
  })
})()
`

/**
 * Duration sliders: a `[data-duration-slider="<name>"]` box holding a range input is shown and
 * kept in step with the form's `<name>_value` number and `<name>_unit` select. The slider moves
 * over Healthchecks-like stops from 1 minute to 365 days; moving it writes the value in the
 * largest unit that divides it and fires `input`, so the schedule preview follows. Typing moves
 * the slider to the nearest stop. The server only ever reads the typed fields.
 */
const DURATION_SLIDERS = `'use strict'
;(function () {
  var M = 60, H = 3600, D = 86400
  var UNIT = { minutes: M, hours: H, days: D }
  var stops = []
  ;[1, 2, 3, 4, 5, 10, 15, 20, 30, 45].forEach(function (n) { stops.push(n * M) })
  ;[1, 2, 3, 4, 5, 6, 8, 10, 12, 18].forEach(function (n) { stops.push(n * H) })
  ;[1, 2, 3, 4, 5, 6, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365].forEach(function (n) { stops.push(n * D) })
  function words(s) {
    var u = s % D === 0 ? ['day', D] : s % H === 0 ? ['hour', H] : ['minute', M]
    var n = s / u[1]
    return n + ' ' + u[0] + (n === 1 ? '' : 's')
  }
  document.querySelectorAll('[data-duration-slider]').forEach(function (box) {
    var name = box.getAttribute('data-duration-slider')
    var slider = box.querySelector('input[type=range]')
    var value = document.querySelector('[name="' + name + '_value"]')
    var unit = document.querySelector('[name="' + name + '_unit"]')
    if (!slider || !value || !unit) return
    slider.max = String(stops.length - 1)
    function fromFields() {
      var s = Number(value.value) * (UNIT[unit.value] || M)
      if (!(s > 0)) return
      var best = 0
      stops.forEach(function (stop, i) {
        if (Math.abs(Math.log(stop / s)) < Math.abs(Math.log(stops[best] / s))) best = i
      })
      slider.value = String(best)
      slider.setAttribute('aria-valuetext', words(stops[best]))
    }
    slider.addEventListener('input', function () {
      var s = stops[Number(slider.value)]
      var u = s % D === 0 ? 'days' : s % H === 0 ? 'hours' : 'minutes'
      value.value = String(s / UNIT[u])
      unit.value = u
      slider.setAttribute('aria-valuetext', words(s))
      value.dispatchEvent(new Event('input', { bubbles: true }))
    })
    value.addEventListener('input', fromFields)
    unit.addEventListener('change', fromFields)
    fromFields()
    box.hidden = false
  })
})()
`

/**
 * Unsubscribe confirmation (as Healthchecks): a `form[data-autosubmit]` is submitted on load. The
 * page sets it only for links signed over 5 minutes ago, when a person (not the mail server's
 * link scanner, which follows links as mail arrives) is opening the link.
 */
const AUTOSUBMIT = `'use strict'
;(function () {
  var form = document.querySelector('form[data-autosubmit]')
  if (form) form.submit()
})()
`

function hashed(name: string, body: string): { path: string; body: string } {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12)
  return { path: `/static/${name}.${hash}.js`, body }
}

export const LIVE_STATUS_SCRIPT = hashed('live-status', LIVE_STATUS)
export const COPY_BUTTONS_SCRIPT = hashed('copy-buttons', COPY_BUTTONS)
export const SCHEDULE_PREVIEW_SCRIPT = hashed('schedule-preview', SCHEDULE_PREVIEW)
export const DURATION_SLIDERS_SCRIPT = hashed('duration-sliders', DURATION_SLIDERS)
export const AUTOSUBMIT_SCRIPT = hashed('autosubmit', AUTOSUBMIT)

export const CLIENT_SCRIPTS = [
  LIVE_STATUS_SCRIPT,
  COPY_BUTTONS_SCRIPT,
  SCHEDULE_PREVIEW_SCRIPT,
  DURATION_SLIDERS_SCRIPT,
  AUTOSUBMIT_SCRIPT,
]
