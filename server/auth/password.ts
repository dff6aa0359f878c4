import 'server-only'
import { availableParallelism } from 'node:os'
import { hash, verify } from '@node-rs/argon2'

/**
 * argon2id at OWASP's recommended minimum (m=19 MiB, t=2, p=1), set explicitly so that a change of
 * library defaults never silently changes our hashes. `algorithm: 2` is Argon2id: the package's
 * `Algorithm` is a const enum, which `isolatedModules` cannot inline.
 */
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

/**
 * At most this many hashes at once (cores − 1, at least 1). Each takes a core and 19 MiB for ~15 ms;
 * libuv's four threads running them together starve the event loop's core, and every other
 * request waits (the benchmark measured health p99 going from 6 to 50+ ms under 16 log-ins).
 */
const MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism() - 1)
let running = 0
const waiting: (() => void)[] = []

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running < MAX_CONCURRENT_HASHES) running++
  else await new Promise<void>((resolve) => waiting.push(resolve)) // a finishing hash hands over its slot
  try {
    return await work()
  } finally {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
}

// NIST SP 800-63B: normalise Unicode so that the same password typed on two keyboards matches.
const normalise = (password: string) => password.normalize('NFKC')

/** The argon2id PHC string for `password`. Runs on libuv's thread pool, never blocking the event loop. */
export function hashPassword(password: string): Promise<string> {
  return limited(() => hash(normalise(password), ARGON2_OPTIONS))
}

/** Verifies `password` against a PHC string; false (never a throw) for a malformed hash. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await limited(() => verify(phc, normalise(password)))
  } catch {
    return false
  }
}

let dummyHash: Promise<string> | undefined

/**
 * Spends the time of a real verification when the user does not exist, so that the response
 * time does not tell an attacker which usernames are registered.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('dummy password for unknown users')
  await verifyPassword(await dummyHash, password)
  return false
}
