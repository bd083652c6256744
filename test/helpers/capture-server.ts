/**
 * An HTTP server for tests standing in for a webhook receiver: node:http on 127.0.0.1 (random
 * port) that records each request (method, path with query, headers, body) and answers with a
 * scripted sequence of statuses (the last one repeats), or never answers ("hangs").
 */
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface CapturedRequest {
  method: string
  /** Path and query, as sent. */
  url: string
  headers: http.IncomingHttpHeaders
  body: string
  at: number
}

export interface ScriptedAnswer {
  status: number
  body?: string
  headers?: Record<string, string>
  /** Never answer this request. */
  hang?: boolean
}

export interface CaptureServer {
  port: number
  /** `http://127.0.0.1:<port>` */
  url: string
  requests: CapturedRequest[]
  /** Answers for the next requests, in order; the last one repeats. Default 200 "OK". */
  script(...answers: (number | ScriptedAnswer)[]): void
  waitFor(count: number, timeoutMs?: number): Promise<CapturedRequest[]>
  close(): Promise<void>
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = []
  let answers: ScriptedAnswer[] = [{ status: 200, body: 'OK' }]
  let served = 0
  const sockets = new Set<Socket>()
  const waiters: (() => void)[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      })
      const answer = answers[Math.min(served, answers.length - 1)]
      served++
      for (const w of waiters.splice(0)) w()
      if (answer.hang) return
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...(answer.headers ?? {}) })
      res.end(answer.body ?? '')
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    script(...list) {
      answers = list.map((a) => (typeof a === 'number' ? { status: a } : a))
      served = 0
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (requests.length < count) {
        const left = deadline - Date.now()
        if (left <= 0)
          throw new Error(`capture server: expected ${count} requests, got ${requests.length}`)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left)
          waiters.push(() => {
            clearTimeout(t)
            resolve()
          })
        })
      }
      return requests
    },
    close() {
      for (const s of sockets) s.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
