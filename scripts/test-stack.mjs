// `npm run test:stack` (and the last step of `npm test`): the suite of playwright.stack.config.ts
// against the cluster topology of deploy/stack.sh. Starts the stack when it is down (and stops it
// again afterwards, so that a test run leaves the machine as it found it); a stack that was
// already up is used as it is and left running.
import { spawnSync } from 'node:child_process'

const quiet = { stdio: 'ignore' }
const loud = { stdio: 'inherit' }
const wasUp = spawnSync('deploy/stack.sh', ['status'], quiet).status === 0

const up = spawnSync('deploy/stack.sh', ['up'], loud)
let status = up.status ?? 1
if (status === 0) {
  const env = { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: '.test-reports/stack.json' }
  const args = ['playwright', 'test', '-c', 'playwright.stack.config.ts', ...process.argv.slice(2)]
  status = spawnSync('npx', args, { ...loud, env }).status ?? 1
}
if (!wasUp) spawnSync('deploy/stack.sh', ['down'], loud)
process.exit(status)
