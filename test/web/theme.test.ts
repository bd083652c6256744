import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

describeEachDatabase('web theme switch', (dialect) => {
  const t = useMonitoringTest(dialect)

  test('choosing dark sets the cookie, marks the page and returns to the page it came from', async () => {
    await t().logIn()
    const page = `/projects/${t().project.code}/checks/`
    const form = await t().browser.get(page)
    assert.match(form.body, /<html lang="en">/)
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]
    const r = await t().browser.post(
      '/theme',
      { csrf, theme: 'dark' },
      { referer: `${t().ctx.config.siteRoot}${page}?tag=x` },
    )
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `${page}?tag=x`)
    const dark = await t().browser.get(page)
    assert.match(dark.body, /<html lang="en" data-theme="dark">/)
    assert.match(dark.body, /value="dark" class="secondary" aria-pressed="true"/)
    await t().browser.post('/theme', { csrf, theme: 'system' })
    assert.match((await t().browser.get(page)).body, /<html lang="en">/)
  })

  test('a foreign Referer never becomes the redirect, and odd values mean system', async () => {
    await t().logIn()
    const form = await t().browser.get('/projects/')
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]
    const r = await t().browser.post(
      '/theme',
      { csrf, theme: '"><script>' },
      { referer: 'https://evil.example/phish' },
    )
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/')
    assert.equal(t().browser.cookies.has('vigil_theme'), false)
    assert.equal(
      (await t().browser.post('/theme', { theme: 'dark' })).statusCode,
      403,
      'CSRF applies',
    )
  })
})
