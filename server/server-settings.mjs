// The settings server.mjs reads itself, before Next.js and its environment check (server/env.ts)
// start. Checked the same way, so that a bad value stops the server with a message naming it
// rather than being read as something else: TRUST_PROXY_HOPS=one was NaN, which trusted no proxy
// without a word, and PORT=80a listened on a port of the kernel's choosing.

const WHOLE_NUMBER = /^\d+$/

/**
 * PORT (default 3000), HOSTNAME (default 0.0.0.0) and TRUST_PROXY_HOPS (default 0), or an Error
 * listing every bad one.
 * @param {Record<string, string | undefined>} env
 * @returns {{ port: number, hostname: string, trustedHops: number }}
 */
export function serverSettings(env = process.env) {
  const problems = []
  const wholeNumber = (name, fallback, min, max) => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    if (WHOLE_NUMBER.test(raw) && Number(raw) >= min && Number(raw) <= max) return Number(raw)
    problems.push(`  ${name}: a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`)
    return fallback
  }
  const settings = {
    port: wholeNumber('PORT', 3000, 0, 65_535),
    hostname: env.HOSTNAME || '0.0.0.0',
    // More hops than any real chain of proxies is a typo, not a topology.
    trustedHops: wholeNumber('TRUST_PROXY_HOPS', 0, 0, 10),
  }
  if (problems.length > 0) throw new Error(`Invalid environment configuration (see .env.example):\n${problems.join('\n')}`)
  return settings
}
