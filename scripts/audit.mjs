// `npm audit --audit-level=high`, as CI runs it. A vulnerability at high or critical fails; an
// audit service that cannot be reached (some registries and mirrors do not offer it) is reported in
// one line and does not, since nothing was learned either way. Exceptions, if ever needed, go in
// docs/security.md with the reason.
import { spawnSync } from 'node:child_process'

const run = spawnSync('npm', ['audit', '--audit-level=high', '--json'], { encoding: 'utf8' })
let report
try {
  report = JSON.parse(run.stdout)
} catch {
  report = undefined
}
if (!report?.metadata) {
  const reason = report?.message ?? report?.error?.summary ?? (run.stderr.trim().split('\n').at(-1) || 'no answer')
  console.warn(`audit: the registry's audit service is unavailable here (${reason}); not checked`)
  process.exit(0)
}
const counts = report.metadata?.vulnerabilities ?? {}
const serious = (counts.high ?? 0) + (counts.critical ?? 0)
console.info(`audit: ${serious} high or critical, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`)
if (serious > 0) {
  spawnSync('npm', ['audit', '--audit-level=high'], { stdio: 'inherit' })
  process.exit(1)
}
