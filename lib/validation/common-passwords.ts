import { dictionary } from '@zxcvbn-ts/language-common'

/** How many of the most common passwords we refuse (NIST SP 800-63B's "commonly used" list). */
export const COMMON_PASSWORD_COUNT = 10_000

let common: Set<string> | undefined

/**
 * True for one of the 10,000 most common passwords, compared case-insensitively so that
 * `Password1` is refused like `password1`. The list is zxcvbn's ranked one (most common first);
 * the set is built on first use, not at import.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'].slice(0, COMMON_PASSWORD_COUNT))
  return common.has(password.toLowerCase())
}
