// After the whole run: no secret a test used may appear in any server's log (the issue's "never a
// password, token, code or cookie").
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { checkLogsForSecrets, REPORTS_DIR } from './secrets'

export default function globalTeardown() {
  const logs = existsSync(REPORTS_DIR) ? readdirSync(REPORTS_DIR).filter((file) => /^server-.+\.log$/.test(file)) : []
  checkLogsForSecrets(logs.map((file) => join(REPORTS_DIR, file)))
}
