import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  pythonJsonDumps,
  pythonQuote,
  renderWebhookTemplate,
  type TemplateValues,
} from '../../src/integrations/webhook-template.js'

const values: TemplateValues = {
  code: '6f1a3c4e-0000-4000-8000-000000000001',
  status: 'down',
  now: '2026-01-15T12:00:00+00:00',
  name: 'Hello World & Co',
  slug: 'hello-world',
  tags: 'foo  bar',
  json: '{"name": "Hello World & Co"}',
  lastPing: { body: 'line 1\n"quoted"', exitstatus: 3 },
}

const CASES: [string, string, 'url' | 'header' | 'body', string][] = [
  ['code and status are inserted raw', '$CODE/$STATUS', 'body', `${values.code}/down`],
  ['NOW is the flip time without fractions', '$NOW', 'body', '2026-01-15T12:00:00+00:00'],
  ['NAME_JSON wins over NAME', '$NAME_JSON', 'body', '"Hello World & Co"'],
  [
    'NAME in a URL is percent-encoded',
    'http://x/?n=$NAME',
    'url',
    'http://x/?n=Hello%20World%20%26%20Co',
  ],
  [
    'NOW in a URL is percent-encoded',
    'http://x/$NOW',
    'url',
    'http://x/2026-01-15T12%3A00%3A00%2B00%3A00',
  ],
  [
    'CODE, STATUS and SLUG in a URL are raw',
    'http://x/$CODE/$STATUS/$SLUG',
    'url',
    `http://x/${values.code}/down/hello-world`,
  ],
  ['TAGS keeps its spaces in a body', '[$TAGS]', 'body', '[foo  bar]'],
  ['TAGn picks single tags', '$TAG1,$TAG2,$TAG3', 'body', 'foo,bar,$TAG3'],
  ['TAG10 reads as TAG1 then 0', '$TAG10', 'body', 'foo0'],
  ['a double dollar keeps one dollar', '$$NAMETAG1', 'body', '$Hello World & CoTAG1'],
  ['unknown placeholders stay', '$FOO $NAMEX', 'body', '$FOO Hello World & CoX'],
  ['BODY is the last ping body in a body', '$BODY', 'body', 'line 1\n"quoted"'],
  ['BODY_JSON is a JSON string', '$BODY_JSON', 'body', '"line 1\\n\\"quoted\\""'],
  ['BODY is not expanded in a URL', 'http://x/$BODY', 'url', 'http://x/$BODY'],
  ['BODY is not expanded in a header', '$BODY', 'header', '$BODY'],
  ['EXITSTATUS is the last exit status', 'exit=$EXITSTATUS', 'body', 'exit=3'],
  [
    'JSON in a URL is percent-encoded',
    '$JSON',
    'url',
    '%7B%22name%22%3A%20%22Hello%20World%20%26%20Co%22%7D',
  ],
]

for (const [name, template, target, expected] of CASES) {
  test(`webhook template: ${name}`, () => {
    assert.equal(renderWebhookTemplate(template, values, target), expected)
  })
}

test('webhook template: values containing $ are never expanded again', () => {
  const v = { ...values, name: '$TAG1 $CODE', tags: 'x' }
  assert.equal(renderWebhookTemplate('$NAME', v, 'body'), '$TAG1 $CODE')
})

test('webhook template: EXITSTATUS is -1 without a ping or exit status', () => {
  assert.equal(renderWebhookTemplate('$EXITSTATUS', { ...values, lastPing: null }, 'body'), '-1')
  assert.equal(
    renderWebhookTemplate(
      '$EXITSTATUS',
      { ...values, lastPing: { body: null, exitstatus: null } },
      'body',
    ),
    '-1',
  )
})

test('webhook template: BODY is empty without a ping', () => {
  assert.equal(
    renderWebhookTemplate('[$BODY]$BODY_JSON', { ...values, lastPing: null }, 'body'),
    '[]""',
  )
})

test('webhook template: headers get XML references for characters beyond latin-1', () => {
  const v = { ...values, name: 'Ünïcode ☃ 🎉' }
  assert.equal(renderWebhookTemplate('$NAME', v, 'header'), 'Ünïcode &#9731; &#127881;')
})

test('webhook template: NAME_JSON escapes non-ASCII like Python json.dumps', () => {
  assert.equal(
    renderWebhookTemplate('$NAME_JSON', { ...values, name: 'Ünï "x"' }, 'body'),
    '"\\u00dcn\\u00ef \\"x\\""',
  )
})

test('pythonQuote leaves / and unreserved characters and encodes the rest', () => {
  assert.equal(pythonQuote("a/b c~d_e.f-g!'()*"), 'a/b%20c~d_e.f-g%21%27%28%29%2A')
  assert.equal(pythonQuote('ü'), '%C3%BC')
})

test('pythonJsonDumps uses Python separators', () => {
  assert.equal(
    pythonJsonDumps({ a: 1, b: [true, null], c: 'é' }),
    '{"a": 1, "b": [true, null], "c": "\\u00e9"}',
  )
})
