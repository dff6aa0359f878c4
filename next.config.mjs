import { execFileSync } from 'node:child_process'
import createNextIntlPlugin from 'next-intl/plugin'
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from './server/security-headers.mjs'

// Languages without locale routing: the request config picks the language (server/i18n/request.ts).
// The catalogs in messages/ are compiled at build time (`precompile`): without it every request
// parsed each ICU message it formatted again, on the server and in the browser, about a tenth of
// the list page's server time (issue 15). Code run outside the bundle (the unit tests, `npm run
// worker`) imports the same JSON and formats it with use-intl's full formatter.
const withNextIntl = createNextIntlPlugin({
  requestConfig: './server/i18n/request.ts',
  experimental: { messages: { path: './messages', format: 'json', locales: ['en', 'ko'], precompile: true } },
})

const isProduction = process.env.NODE_ENV === 'production'

/**
 * The build's identity, the same on every instance that serves it (README, "One build, many
 * instances"): DEPLOYMENT_ID if set, else the git commit. With it, a browser holding pages of
 * another build reloads on its next navigation instead of mixing the two.
 */
function deploymentId() {
  if (process.env.DEPLOYMENT_ID) return process.env.DEPLOYMENT_ID
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined
  } catch {
    return undefined
  }
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Gzip in the app (Next's default) unless COMPRESS=false: for deployments whose proxy compresses
  // (nginx's gzip on), where compressing twice would only spend the instances' CPU (0.75 ms on the
  // smallest page). Read when the server starts: one build serves either way.
  compress: process.env.COMPRESS !== 'false',
  deploymentId: deploymentId(),
  // Loaded from node_modules at run time instead of being bundled: native modules; prom-client so
  // that server.mjs and the bundle use one copy (pino is external by Next's own list); and the
  // database and Redis clients, which Turbopack otherwise copies into the chunks of every route
  // and of instrumentation.ts, each copy loaded by the first request to its route (mysql2 brings
  // its character-set tables): 61 → 30 MB of server chunks, 35–100 MiB less RSS under load (issue 15).
  serverExternalPackages: ['@node-rs/argon2', 'prom-client', 'pino', 'mysql2', 'ioredis', 'bullmq'],
  typedRoutes: false,
  experimental: {
    // The account page's import form posts a file of up to 2 MiB (IMPORT_MAX_BYTES) to a server
    // action; Next's default allows 1 MB. The action checks the file's size itself.
    serverActions: { bodySizeLimit: '3mb' },
    // An unmatched address gets app/global-not-found.tsx, rendered only then; app/not-found.tsx,
    // which Next renders ahead of need on every page, can then be a cheap client component.
    globalNotFound: true,
  },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders(isProduction) },
      { source: '/api/:path*', headers: [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }] },
    ]
  },
}

export default withNextIntl(nextConfig)
