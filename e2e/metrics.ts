import type { APIRequestContext } from '@playwright/test'
import { parsePrometheus, total, type Sample } from '../bench/lib/prometheus'

/** An instance's metrics (GET /api/metrics, read from loopback as tests are), parsed. */
export async function readMetrics(request: APIRequestContext, base = ''): Promise<Sample[]> {
  const response = await request.get(`${base}/api/metrics`)
  if (response.status() !== 200) throw new Error(`GET ${base}/api/metrics answered ${response.status()}`)
  return parsePrometheus(await response.text())
}

/** One metric's value (summed over the samples whose labels include `where`). */
export async function metric(request: APIRequestContext, name: string, where: Record<string, string> = {}, base = ''): Promise<number> {
  return total(await readMetrics(request, base), name, where)
}
