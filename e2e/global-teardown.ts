// After the whole run: no secret a test used may appear in any server's log (the issue's "never a
// password, token, code or cookie"). Fails the run, naming the secret's first characters and the
// lines, never the whole secret.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { leaks, recordedSecrets, REPORTS_DIR } from './secrets'

export default function globalTeardown() {
  const secrets = recordedSecrets()
  const logs = existsSync(REPORTS_DIR) ? readdirSync(REPORTS_DIR).filter((file) => /^server-.+\.log$/.test(file)) : []
  const problems: string[] = []
  for (const file of logs) {
    const text = readFileSync(join(REPORTS_DIR, file), 'utf8')
    for (const { secret, lines } of leaks(text, secrets)) {
      problems.push(`${file}: a secret starting "${secret.slice(0, 3)}…" on line(s) ${lines.slice(0, 10).join(', ')}`)
    }
  }
  if (problems.length > 0) {
    throw new Error(`secrets reached the server logs (${problems.length}):\n  ${problems.join('\n  ')}`)
  }
  process.stdout.write(`secrets check: ${secrets.length} secrets, none in ${logs.length} server log(s)\n`)
}
