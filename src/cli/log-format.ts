/**
 * How `vigil serve` writes its log: pino JSON lines (one object a line, for log collectors), or on
 * a terminal readable lines — `12:00:01 WARN  MAIL-001: Email is not configured…` with the hint
 * and any error stack indented below. LOG_FORMAT=json|pretty forces one (config). A small
 * formatter rather than pino-pretty: see the commit that added it.
 */
import pino, { type Logger } from 'pino'
import type { Config } from '../config/index.js'

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
}
const COLOURS: Record<number, string> = { 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' }

/** Fields every line has, or that the text already carries. */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v', 'check', 'severity'])
const SHOWN_BELOW = new Set(['hint', 'message', 'err'])

function two(n: number): string {
  return String(n).padStart(2, '0')
}

function value(v: unknown): string {
  return typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)
}

/** One pino JSON line as readable text (several lines when a hint or a stack follows). */
export function prettyLine(json: string, colour: boolean): string {
  let o: Record<string, unknown>
  try {
    o = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json
  }
  const t = new Date(typeof o.time === 'number' ? o.time : Date.now())
  const time = `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`
  const levelNo = typeof o.level === 'number' ? o.level : 30
  const name = (LEVELS[levelNo] ?? String(levelNo)).padEnd(5)
  const level = colour && COLOURS[levelNo] ? `\u001b[${COLOURS[levelNo]}m${name}\u001b[0m` : name
  const extra = Object.entries(o)
    .filter(([k]) => !SHOWN.has(k) && !SHOWN_BELOW.has(k))
    .map(([k, v]) => `${k}=${value(v)}`)
  let line = `${time} ${level} ${String(o.msg ?? '')}${extra.length ? `  ${extra.join(' ')}` : ''}`
  if (typeof o.hint === 'string') line += `\n               → ${o.hint}`
  const err = o.err as { stack?: string; message?: string } | undefined
  if (err && typeof err === 'object') {
    const text = err.stack ?? err.message ?? JSON.stringify(err)
    line += `\n${text
      .split('\n')
      .map((l) => `               ${l}`)
      .join('\n')}`
  }
  return `${line}\n`
}

/** True when the log should be readable lines: LOG_FORMAT=pretty, or auto on a terminal. */
export function isPrettyLog(format: Config['logFormat'], isTty: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTty)
}

/** The process logger; `out` is where lines go (stdout unless a test says otherwise). */
export function createLogger(
  config: Config,
  out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): Logger {
  if (!isPrettyLog(config.logFormat, out.isTTY === true))
    return out === process.stdout
      ? pino({ level: config.logLevel })
      : pino({ level: config.logLevel }, out)
  const colour = out.isTTY === true
  return pino(
    { level: config.logLevel },
    {
      write(line: string) {
        out.write(prettyLine(line, colour))
      },
    },
  )
}
