#!/usr/bin/env node
/**
 * Lists web route handlers longer than a limit (issue 16 §2: "every web handler under ~15 lines or
 * says why"). Parses src/web with the TypeScript compiler API, finds `app.get/post/put/patch/
 * delete/route(…)` calls (and the WRAPPERS below) whose last argument is a function (or a same-file function named there),
 * and counts the lines of its body. A handler preceded by a `// long handler: <why>` comment is
 * listed as explained rather than over. Usage: node scripts/handler-lengths.js [--limit 15] [--all]
 * [--check]; with --check it exits 1 when a handler is over without a reason (`npm run lint` runs it
 * so, as a new long handler otherwise went unnoticed: POST /login/passkey had grown to 19 lines).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

const args = process.argv.slice(2)
const limitAt = args.indexOf('--limit')
const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : 15
const all = args.includes('--all')
const root = join(import.meta.dirname, '..')
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'route'])
/** Helpers that register a route around the handler they are given (project settings' actions). */
const WRAPPERS = new Set(['settingsAction'])

function* sourceFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) yield* sourceFiles(p)
    else if (/\.tsx?$/.test(e.name)) yield p
  }
}

/** Lines of a function's body, without the lines holding its braces. */
function bodyLines(sf, fn) {
  const body = fn.body
  const first = sf.getLineAndCharacterOfPosition(body.getStart(sf)).line
  const last = sf.getLineAndCharacterOfPosition(body.getEnd()).line
  return ts.isBlock(body) ? Math.max(0, last - first - 1) : last - first + 1
}

function isFunction(n) {
  return n && (ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n))
}

const rows = []
for (const file of sourceFiles(join(root, 'src/web'))) {
  const text = readFileSync(file, 'utf8')
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const named = new Map()
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && s.name) named.set(s.name.text, s)
  }
  const visit = (node) => {
    const callee = ts.isCallExpression(node)
      ? ts.isPropertyAccessExpression(node.expression)
        ? METHODS.has(node.expression.name.text) && node.expression.name.text
        : ts.isIdentifier(node.expression) && WRAPPERS.has(node.expression.text) && 'post'
      : false
    if (callee && node.arguments.length >= 2) {
      const lastArg = node.arguments[node.arguments.length - 1]
      const fn = isFunction(lastArg)
        ? lastArg
        : ts.isIdentifier(lastArg)
          ? named.get(lastArg.text)
          : undefined
      if (fn?.body) {
        const path = node.arguments[0]
        const method = callee.toUpperCase()
        const url = ts.isStringLiteralLike(path) ? path.text : path.getText(sf)
        const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
        const before = text.slice(0, node.getStart(sf)).split('\n').slice(-2)[0].trim()
        const why = /^\/\/ long handler:/.test(before) ? before : null
        rows.push({ file: relative(root, file), line, method, url, lines: bodyLines(sf, fn), why })
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
}

rows.sort((a, b) => b.lines - a.lines)
const over = rows.filter((r) => r.lines > limit && !r.why)
const explained = rows.filter((r) => r.lines > limit && r.why)
for (const r of all ? rows : [...over, ...explained]) {
  const mark = r.lines <= limit ? ' ' : r.why ? '~' : '!'
  console.log(
    `${mark} ${String(r.lines).padStart(3)}  ${r.method} ${r.url}  ${r.file}:${r.line}${r.why ? `  ${r.why}` : ''}`,
  )
}
console.log(
  `${rows.length} handlers, ${over.length} over ${limit} lines, ${explained.length} over with a reason`,
)
if (args.includes('--check') && over.length > 0) {
  console.error(
    `handler-lengths: ${over.length} web handler(s) over ${limit} lines: move the work into a use case or a helper, or say why with a "// long handler: <why>" comment`,
  )
  process.exitCode = 1
}
