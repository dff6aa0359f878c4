// How usernames compare: the canonical key stored in user.username_key (unique) and used to look
// accounts up, so that `ｍｉｎｊｉ` (full-width), `MINJI` and `minji` are one name.

/**
 * NFKC, then full case folding, then NFKC again. JavaScript has no caseFold(), and toLowerCase()
 * alone misses the folds that go through upper case: ß → SS → ss, final ς → Σ → σ, ŉ → ʼN → ʼn.
 * Hence lower(upper(lower(x))): the first lower-casing takes capital ẞ to ß (upper-casing keeps ẞ,
 * which full folding turns into ss); then the result depends only on the upper-case string, so
 * `ΣΑΣ`, `σας` and `σασ` meet, as do `STRAẞE`, `Straße` and `strasse`. This folds a few pairs
 * that full folding keeps apart (dotless ı with i): one more collision, which for names is the
 * safe side. Casing can leave a string unnormalised (ΐ → Ϊ́ → ΐ as three code points), hence
 * the second NFKC. The result is stable: usernameKey(usernameKey(x)) = usernameKey(x).
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().normalize('NFKC')
}

/**
 * Bytes the user.username_key column holds (VARBINARY, compared byte for byte). A name of 32
 * characters fits many times over, except for a few compatibility ligatures that NFKC expands
 * to up to 18 letters (U+FDFA): a name whose key does not fit is refused as too long.
 */
export const USERNAME_KEY_MAX_BYTES = 512

export function usernameKeyFits(key: string): boolean {
  return new TextEncoder().encode(key).length <= USERNAME_KEY_MAX_BYTES
}
