import { userCache } from '@/server/cache'

/**
 * This instance's counters, for operators and the benchmark: cache hits, misses and Redis errors
 * since start. Counts only; nothing about users.
 */
export function GET() {
  const cache = userCache.stats()
  const lookups = cache.hits + cache.misses
  return Response.json(
    { cache: { ...cache, hitRate: lookups === 0 ? null : cache.hits / lookups } },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}
