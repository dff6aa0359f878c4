// Makes sure a Chromium is there for the end-to-end tests, the way `playwright install --with-deps`
// would: as root with apt-get, install Debian's package; otherwise say how to get one.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { findChromium } from './chromium'

if (findChromium()) process.exit(0)

const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')
if (!canApt) {
  console.error(
    'ensure-browser: no Chromium found; install one (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH.',
  )
  process.exit(1)
}

console.info('ensure-browser: installing Debian’s chromium for the end-to-end tests…')
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
  const run = spawnSync('apt-get', args, { stdio: 'inherit', env })
  if (run.status !== 0) {
    console.error(`ensure-browser: apt-get ${args.join(' ')} failed`)
    process.exit(1)
  }
}
if (!findChromium()) {
  console.error('ensure-browser: chromium was installed but not found at /usr/bin/chromium')
  process.exit(1)
}
