// The secrets the end-to-end tests use (passwords typed, API tokens issued, codes and reset tokens
// read from the mail sink, session cookies), written down as they are used, so that after the run
// e2e/global-teardown.ts can check that none of them reached a server's log.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { basename, dirname } from 'node:path'

export const REPORTS_DIR = '.test-reports'
export const SECRETS_FILE = `${REPORTS_DIR}/e2e-secrets.txt`
/** Where each app instance of the suite writes its log (stdout): `server-<port>.log`. */
export const serverLogFile = (port: number | string) => `${REPORTS_DIR}/server-${port}.log`

/** Shorter values would match by chance (a 4-digit number in any line); none of ours is. */
const MIN_LENGTH = 6

/** Notes `value` as a secret this run used; returns it, so a test can write `secret('…')` where it uses one. */
export function secret<T extends string | null | undefined>(value: T): T {
  if (typeof value === 'string' && value.length >= MIN_LENGTH && !value.includes('\n')) {
    mkdirSync(dirname(SECRETS_FILE), { recursive: true })
    // One short append per line: whole lines even with parallel workers.
    appendFileSync(SECRETS_FILE, `${value}\n`)
  }
  return value
}

/** Starts a run's list afresh (global setup). */
export function forgetSecrets(): void {
  rmSync(SECRETS_FILE, { force: true })
}

export function recordedSecrets(): string[] {
  try {
    return [...new Set(readFileSync(SECRETS_FILE, 'utf8').split('\n').filter((line) => line.length >= MIN_LENGTH))]
  } catch {
    return []
  }
}

/** The forms a secret could take in a log line: as typed, URL-encoded (a query, a form body), JSON-escaped. */
export function spellings(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), encodeURIComponent(value).replaceAll('%20', '+'), JSON.stringify(value).slice(1, -1)])]
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Which of `secrets` occur in `text`, and where (line numbers, 1-based). Only whole: a 6-digit code
 * inside a request id's hex digits is chance, not a leak.
 */
export function leaks(text: string, secrets: string[]): { secret: string; lines: number[] }[] {
  const lines = text.split('\n')
  const found: { secret: string; lines: number[] }[] = []
  for (const value of secrets) {
    const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${spellings(value).map(escape).join('|')})(?![A-Za-z0-9])`)
    const at = lines.flatMap((line, i) => (pattern.test(line) ? [i + 1] : []))
    if (at.length > 0) found.push({ secret: value, lines: at })
  }
  return found
}

/** Secrets in the form fields of a request body (a form post or a server action), by field name. */
export function secretsInForm(body: string | null): string[] {
  if (!body) return []
  // `newPassword`, `1_password`, `code`, `token`; not `encoding` or `timezone`.
  const names = /password|token|(^|[_\d])code$/i
  const values: string[] = []
  // multipart/form-data, as browsers and server actions send forms
  for (const match of body.matchAll(/name="([^"]*)"\r\n\r\n([^\r]*)\r\n/g)) if (names.test(match[1]!)) values.push(match[2]!)
  // application/x-www-form-urlencoded
  if (!body.includes('\r\n') && body.includes('=')) {
    for (const [name, value] of new URLSearchParams(body)) if (names.test(name)) values.push(value)
  }
  return values
}

/**
 * After a run: throws when a secret the run used is in any of `logFiles` (naming the secret's
 * first characters and the lines, never the whole secret), else prints how much was checked.
 */
export function checkLogsForSecrets(logFiles: string[]): void {
  const secrets = recordedSecrets()
  const logs = logFiles.filter((file) => existsSync(file))
  const problems: string[] = []
  for (const file of logs) {
    for (const { secret, lines } of leaks(readFileSync(file, 'utf8'), secrets)) {
      problems.push(`${basename(file)}: a secret starting "${secret.slice(0, 3)}…" on line(s) ${lines.slice(0, 10).join(', ')}`)
    }
  }
  if (problems.length > 0) {
    throw new Error(`secrets reached the server logs (${problems.length}):\n  ${problems.join('\n  ')}`)
  }
  process.stdout.write(`secrets check: ${secrets.length} secrets, none in ${logs.length} log(s)\n`)
}
