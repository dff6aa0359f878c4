// `npm test`: every check CI runs, in order, stopping at the first failure, then one closing line
// that counts the tests. Each step prepares what it needs (test databases, the build, a browser).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

// Outside test-results/, which Playwright empties when it starts.
const REPORTS = '.test-reports'
rmSync(REPORTS, { recursive: true, force: true })
mkdirSync(REPORTS, { recursive: true })

const vitest = (project) => [
  'npx',
  ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${REPORTS}/${project}.json`],
]

const steps = [
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['migrations in sync', 'npm', ['run', '--silent', 'db:check']],
  ['dependency audit', 'npm', ['run', '--silent', 'audit']],
  ['unit', ...vitest('unit')],
  ['integration', ...vitest('integration')],
  ['browser', 'npm', ['run', '--silent', 'test:browser']],
  ['build', 'npx', ['next', 'build']],
  ['e2e', 'npx', ['playwright', 'test', '--reporter=list,json']],
  // The same build on the cluster topology (deploy/stack.sh): contract, smoke and fault tests.
  ['stack', 'node', ['scripts/test-stack.mjs']],
]

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  PLAYWRIGHT_JSON_OUTPUT_NAME: `${REPORTS}/e2e.json`,
}

for (const [name, command, args] of steps) {
  console.info(`\n━━ ${name} ━━ ${command} ${args.join(' ')}`)
  const started = Date.now()
  const run = spawnSync(command, args, { stdio: 'inherit', env })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (run.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds}s`)
    summarise()
    process.exit(run.status ?? 1)
  }
  console.info(`✓ ${name} (${seconds}s)`)
}
summarise()

function summarise() {
  let passed = 0
  let failed = 0
  for (const project of ['unit', 'integration']) {
    const report = readReport(`${project}.json`)
    if (!report) continue
    passed += report.numPassedTests
    failed += report.numFailedTests
  }
  for (const file of ['e2e.json', 'stack.json']) {
    const report = readReport(file)
    if (!report) continue
    passed += report.stats.expected + report.stats.flaky
    failed += report.stats.unexpected
  }
  console.info(`\ntests: ${passed} passed, ${failed} failed`)
}

function readReport(file) {
  const path = `${REPORTS}/${file}`
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined
}
