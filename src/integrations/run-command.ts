/**
 * Runs one program for the Apprise and Shell kinds without a shell of ours: spawn with an
 * argument list, a fixed environment (the worker's own, with its secrets, is never passed on),
 * a time limit that kills the whole process group, and the last part of stderr kept for the
 * error. Never throws.
 */
import { spawn } from 'node:child_process'

/** PATH given to commands: the worker's environment is not inherited. */
export const COMMAND_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
/** Characters of stderr quoted in an error. */
const STDERR_TAIL = 120

export type CommandOutcome =
  | { kind: 'exited'; code: number; stderrTail: string }
  | { kind: 'not-found' }
  | { kind: 'timed-out' }
  | { kind: 'failed'; message: string }

export function runCommand(
  file: string,
  args: string[],
  options: { env: Record<string, string>; timeoutMs: number; path?: string },
): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    let stderr = ''
    let settled = false
    const done = (o: CommandOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(o)
    }
    const child = spawn(file, args, {
      env: { PATH: options.path ?? COMMAND_PATH, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group, so a timeout also ends whatever the command started.
      detached: true,
    })
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
      done({ kind: 'timed-out' })
    }, options.timeoutMs)
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (s: string) => {
      stderr = (stderr + s).slice(-4096)
    })
    child.on('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ENOENT' ? { kind: 'not-found' } : { kind: 'failed', message: e.message }),
    )
    child.on('close', (code, signal) => {
      const tail = stderr.trim().slice(-STDERR_TAIL)
      done({ kind: 'exited', code: code ?? (signal ? 128 : 1), stderrTail: tail })
    })
  })
}
