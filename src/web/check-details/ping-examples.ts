/**
 * Ready-to-paste ways to ping a check from a job: curl, wget, PowerShell, Python and Node.
 * Mirrors the snippets of Healthchecks' "Usage examples" (templates/front/snippets/*).
 */

export interface PingExample {
  id: string
  label: string
  code: string
}

export function pingExamples(url: string): PingExample[] {
  return [
    {
      id: 'curl',
      label: 'Shell with curl (e.g. at the end of a crontab line)',
      code: `curl -fsS -m 10 --retry 5 -o /dev/null ${url}`,
    },
    { id: 'wget', label: 'Shell with wget', code: `wget ${url} -T 10 -t 5 -O /dev/null` },
    {
      id: 'powershell',
      label: 'PowerShell',
      code: `Invoke-RestMethod ${url}`,
    },
    {
      id: 'python',
      label: 'Python',
      code: `import urllib.request\n\nurllib.request.urlopen("${url}", timeout=10)`,
    },
    {
      id: 'node',
      label: 'Node.js',
      code: `await fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(10_000) })`,
    },
    {
      id: 'start-and-exit',
      label: 'Measure the run time and report the exit status',
      code: `curl -fsS -m 10 --retry 5 -o /dev/null ${url}/start\n./backup.sh\ncurl -fsS -m 10 --retry 5 -o /dev/null ${url}/$?`,
    },
  ]
}
