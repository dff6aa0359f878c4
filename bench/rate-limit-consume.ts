// One rate-limit consume, the old hand-written sliding-window log (a sorted set per key, its own
// Lua) against rate-limiter-flexible's fixed window (a counter per key): latency of sequential
// calls and throughput of 64 concurrent ones, on one Redis (REDIS_URL) or a cluster (REDIS_CLUSTER_NODES).
// Run: npx tsx bench/rate-limit-consume.ts
import { randomBytes } from 'node:crypto'
import { Cluster, Redis } from 'ioredis'
import { RateLimiterRedis } from 'rate-limiter-flexible'

const SLIDING = `
local key, now, window, max, record, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= max then
  local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  return oldest + window - now
end
if record == '1' then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
end
return 0
`
const nodes = process.env.REDIS_CLUSTER_NODES?.split(',').map((node) => {
  const [host, port] = node.split(':')
  return { host: host!, port: Number(port) }
})
const client = nodes
  ? new Cluster(nodes, { keyPrefix: 'bench:', redisOptions: { disableClientInfo: true } })
  : new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: 'bench:', disableClientInfo: true })
client.defineCommand('sliding', { numberOfKeys: 1, lua: SLIDING })
const sliding = client as typeof client & { sliding(...args: (string | number)[]): Promise<number> }
const run = randomBytes(4).toString('hex')
let counter = 0
const MAX = 1_000_000 // never refused: every call records, as an allowed consume does

const oldConsume = (subject: string) =>
  sliding.sliding(`rate:old-${run}:${subject}`, Date.now(), 60_000, MAX, '1', `${Date.now()}-${process.pid}-${counter++}`)
const flexible = new RateLimiterRedis({ storeClient: client, keyPrefix: `rate:new-${run}`, points: MAX, duration: 60 })
const newConsume = (subject: string) => flexible.consume(subject)

async function measure(name: string, consume: (subject: string) => Promise<unknown>, subjects: number) {
  for (let i = 0; i < 500; i++) await consume(`s${i % subjects}`) // warm up
  const n = 5_000
  let started = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await consume(`s${i % subjects}`)
  const sequentialUs = Number(process.hrtime.bigint() - started) / 1_000 / n
  started = process.hrtime.bigint()
  const total = 20_000
  let next = 0
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < total) await consume(`s${next++ % subjects}`)
  }))
  const perSecond = total / (Number(process.hrtime.bigint() - started) / 1e9)
  console.log(`${name.padEnd(34)} ${sequentialUs.toFixed(1).padStart(7)} µs/consume sequential  ${Math.round(perSecond).toString().padStart(7)} consumes/s at 64 in flight`)
}

await new Promise((resolve) => client.once('ready', resolve))
for (const subjects of [1, 1_000]) {
  await measure(`old sliding log, ${subjects} subject(s)`, oldConsume, subjects)
  await measure(`rate-limiter-flexible, ${subjects} subject(s)`, newConsume, subjects)
}
const hot = `rate:old-${run}:s0`
console.log(`memory of one hot key after the runs: old ${await client.memory('USAGE', hot)} B (sorted set), new ${await client.memory('USAGE', `rate:new-${run}:s0`)} B (counter)`)
for (const key of [hot, `rate:new-${run}:s0`]) await client.del(key)
client.disconnect()
