/**
 * One JSON-RPC call to signal-cli's daemon (`signal-cli daemon --socket` or `--tcp`): a
 * newline-terminated request over a UNIX socket or host:port TCP, then reading newline-delimited
 * messages until the answer with the same id (the daemon also pushes unrelated notifications),
 * as Healthchecks' Signal._read_replies. Never throws.
 */
import { randomUUID } from 'node:crypto'
import { createConnection, type Socket } from 'node:net'

export type RpcOutcome =
  | { ok: true; reply: Record<string, unknown> }
  | { ok: false; error: 'Connection failed' | 'Connection timed out' | 'Invalid reply' }

/** `host:port` or a socket path. */
function connect(endpoint: string): Socket {
  const m = /^([^:/]+):(\d{1,5})$/.exec(endpoint)
  return m
    ? createConnection({ host: m[1], port: Number(m[2]) })
    : createConnection({ path: endpoint })
}

export function callSignalCli(
  endpoint: string,
  method: string,
  params: Record<string, unknown>,
  timeoutMs: number,
): Promise<RpcOutcome> {
  const id = randomUUID()
  return new Promise((resolve) => {
    const socket = connect(endpoint)
    let buffer = ''
    let settled = false
    const finish = (outcome: RpcOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => finish({ ok: false, error: 'Connection timed out' }), timeoutMs)
    socket.setEncoding('utf8')
    socket.on('connect', () => {
      socket.write(`${JSON.stringify({ jsonrpc: '2.0', method, params, id })}\n`)
    })
    socket.on('data', (chunk: string) => {
      buffer += chunk
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim()
        buffer = buffer.slice(nl + 1)
        if (!line) continue
        let doc: unknown
        try {
          doc = JSON.parse(line)
        } catch {
          return finish({ ok: false, error: 'Invalid reply' })
        }
        if (doc && typeof doc === 'object' && (doc as { id?: unknown }).id === id)
          return finish({ ok: true, reply: doc as Record<string, unknown> })
      }
    })
    socket.on('error', () => finish({ ok: false, error: 'Connection failed' }))
    socket.on('close', () => finish({ ok: false, error: 'Connection failed' }))
  })
}
