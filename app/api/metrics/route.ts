import { createHash, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'
import type { NextRequest } from 'next/server'
import { env } from '@/server/env'
import { metrics } from '@/server/metrics'

export const dynamic = 'force-dynamic'

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms: the address server.mjs saw (`x-client-ip`). */
function isLoopback(address: string | null): boolean {
  if (!address) return false
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address
  if (isIP(plain) === 4) return plain.startsWith('127.')
  return plain === '::1'
}

/** Constant time whatever the lengths: both sides are hashed first. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(expected))
}

function bearer(request: NextRequest): string | null {
  const match = /^Bearer ([^\s]+)$/i.exec(request.headers.get('authorization') ?? '')
  return match?.[1] ?? null
}

/**
 * This instance's metrics in Prometheus' text format, for a caller on this machine or one with
 * `Authorization: Bearer $METRICS_TOKEN`. Others get 401 when a token is configured (so a scraper
 * with a wrong one learns why), else 404: the endpoint does not exist for them. Counts only,
 * nothing about users. See docs/decisions/0018-observability.md.
 */
export async function GET(request: NextRequest) {
  const token = bearer(request)
  const allowed = token !== null && env.METRICS_TOKEN ? sameSecret(token, env.METRICS_TOKEN) : isLoopback(request.headers.get('x-client-ip'))
  if (!allowed) {
    if (!env.METRICS_TOKEN) return Response.json({ detail: 'Not Found' }, { status: 404 })
    return Response.json({ detail: 'Not Authorized' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } })
  }
  return new Response(await metrics.registry.metrics(), {
    headers: { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' },
  })
}
