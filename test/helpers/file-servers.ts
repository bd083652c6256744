/**
 * One loopback server (SMTP sink, HTTP capture server) for the tests of a file instead of one per
 * test: a server's port is part of the config, so a server per test also meant an app per test
 * (helpers/shared-app.ts shares an app only between tests with the same settings). Each test gets
 * the server emptied: no messages or requests, and the default answers again. Files whose tests
 * refuse single recipients (`SmtpSink.refuseRecipient`) keep a sink per test: that list cannot be
 * emptied.
 */
import { after } from 'node:test'
import { type CaptureServer, type ScriptedAnswer, startCaptureServer } from './capture-server.js'
import { type SmtpSink, startSmtpSink } from './smtp-sink.js'

/** Registers the closing of the file's server; the getter starts it on first use, then resets it. */
function useFileServer<T extends { close(): Promise<void> }>(
  start: () => Promise<T>,
  reset: (server: T) => void,
): () => Promise<T> {
  let server: Promise<T> | null = null
  after(async () => {
    if (server) await (await server).close()
  })
  return async () => {
    server ??= start()
    const s = await server
    reset(s)
    return s
  }
}

/** The file's SMTP sink, for the current test: no messages, every recipient accepted. */
export function useFileSmtpSink(): () => Promise<SmtpSink> {
  return useFileServer(startSmtpSink, (sink) => {
    sink.messages.length = 0
    sink.reject(null)
  })
}

/** The file's capture server, for the current test: no requests, answering `answers` (default 200 "OK"). */
export function useFileCaptureServer(
  ...answers: (number | ScriptedAnswer)[]
): () => Promise<CaptureServer> {
  return useFileServer(startCaptureServer, (capture) => {
    capture.requests.length = 0
    capture.script(...(answers.length > 0 ? answers : [{ status: 200, body: 'OK' }]))
  })
}
