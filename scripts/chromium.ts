// Where Playwright finds a browser: Debian's Chromium, since Playwright's own download is not
// available everywhere this project runs. `npm run test:browser` installs it if missing.
import { existsSync } from 'node:fs'

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (path): path is string => !!path,
)

/** The path of an installed Chromium, or undefined. */
export function findChromium(): string | undefined {
  return CANDIDATES.find((path) => existsSync(path))
}
