// After the stack's run: no secret a test used (passwords, tokens, codes, reset links) may be in
// the logs of the stack's instances, its worker or nginx (whose access log leaves query strings
// out: a reset link carries its token there).
import { checkLogsForSecrets } from '../secrets'

export default function globalTeardown() {
  checkLogsForSecrets([
    '.stack/logs/app-1.log',
    '.stack/logs/app-2.log',
    '.stack/logs/worker.log',
    '.stack/nginx/logs/access.log',
    '.stack/nginx/logs/error.log',
  ])
}
