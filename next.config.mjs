/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native modules load from node_modules at run time instead of being bundled.
  serverExternalPackages: ['@node-rs/argon2'],
  typedRoutes: false,
}

export default nextConfig
