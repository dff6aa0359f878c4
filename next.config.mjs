import createNextIntlPlugin from 'next-intl/plugin'

// Languages without locale routing: the request config picks the language (server/i18n/request.ts).
const withNextIntl = createNextIntlPlugin('./server/i18n/request.ts')

const isProduction = process.env.NODE_ENV === 'production'

// Headers for every response. The pages' Content-Security-Policy carries a per-request nonce, so it
// is set in proxy.ts; the JSON API gets a policy that allows nothing at all.
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ...(isProduction ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
]

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native modules load from node_modules at run time instead of being bundled.
  serverExternalPackages: ['@node-rs/argon2'],
  typedRoutes: false,
  // The account page's import form posts a file of up to 2 MiB (IMPORT_MAX_BYTES) to a server
  // action; Next's default allows 1 MB. The action checks the file's size itself.
  experimental: { serverActions: { bodySizeLimit: '3mb' } },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ]
  },
}

export default withNextIntl(nextConfig)
