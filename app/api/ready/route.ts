import { pool } from '@/server/db'
import { redis } from '@/server/redis'

export const dynamic = 'force-dynamic'

/** How long each dependency may take to answer before the instance counts as not ready. */
const CHECK_TIMEOUT_MS = 1_000

async function answers(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS))),
    ])
    return true
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Readiness, for load balancers (HAProxy, nginx): 200 while MariaDB and Redis both answer, else
 * 503 naming the ones that did not. No auth, never cached; says nothing but the dependency names.
 * Liveness, which touches neither, is /api/health.
 */
export async function GET() {
  const [database, cache] = await Promise.all([
    answers(() => pool.query('SELECT 1')),
    answers(async () => (await redis()).ping()),
  ])
  const failed = [...(database ? [] : ['database']), ...(cache ? [] : ['redis'])]
  const headers = { 'Cache-Control': 'no-store' }
  if (failed.length === 0) return Response.json({ status: 'ready' }, { headers })
  return Response.json({ status: 'unavailable', failed }, { status: 503, headers: { ...headers, 'Retry-After': '5' } })
}
