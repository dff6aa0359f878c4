import { readFileSync } from 'node:fs'
import { serverLogFile } from './secrets'

export type LogLine = { level: string; time: string; instance: string; msg: string; [field: string]: unknown }

/**
 * The lines an app instance of the suite has logged so far (e2e/secrets.ts says where), parsed.
 * Next prints one plain line of its own while starting ("✓ Running next.config.mjs…"); every
 * other line must be JSON.
 */
export function logLines(port: number): LogLine[] {
  return readFileSync(serverLogFile(port), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('Running next.config'))
    .map((line) => JSON.parse(line) as LogLine)
}
