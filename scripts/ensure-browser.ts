// Makes sure a Chromium is there for the end-to-end tests, the way `playwright install --with-deps`
// would: as root with apt-get, install Debian's package; otherwise say how to get one. CJK fonts
// come along where apt-get can bring them, so that screenshots of Korean pages show Hangul.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { findChromium } from './chromium'

const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')
const hasCjkFonts = () => spawnSync('dpkg', ['-s', 'fonts-noto-cjk'], { stdio: 'ignore' }).status === 0
const missing = [...(findChromium() ? [] : ['chromium']), ...(canApt && !hasCjkFonts() ? ['fonts-noto-cjk'] : [])]

if (missing.length === 0) process.exit(0)
if (!canApt) {
  console.error(
    'ensure-browser: no Chromium found; install one (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH.',
  )
  process.exit(1)
}

console.info(`ensure-browser: installing Debian’s ${missing.join(' and ')} for the end-to-end tests…`)
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
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
