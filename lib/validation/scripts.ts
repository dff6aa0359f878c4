// Mixed-script detection after Unicode UTS #39 §5.1–5.2 ("Highly Restrictive"), from the
// Script_Extensions property that JavaScript regexes read natively (`\p{Script_Extensions=…}`,
// the engine's own Unicode version): no dependency and no data file to keep up to date.

// Every script code (ISO 15924) of Unicode 17; a code that this engine does not know yet is skipped.
const SCRIPT_CODES = (
  'Adlm Aghb Ahom Arab Armi Armn Avst Bali Bamu Bass Batk Beng Berf Bhks Bopo Brah Brai Bugi Buhd Cakm ' +
  'Cans Cari Cham Cher Chis Chrs Copt Cpmn Cprt Cyrl Deva Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara ' +
  'Geor Glag Gong Gonm Goth Gran Grek Gujr Gukh Guru Hang Hani Hano Hatr Hebr Hira Hluw Hmng Hmnp Hung ' +
  'Ital Java Kali Kana Kawi Khar Khmr Khoj Kits Knda Krai Kthi Lana Laoo Latn Lepc Limb Lina Linb Lisu ' +
  'Lyci Lydi Mahj Maka Mand Mani Marc Medf Mend Merc Mero Mlym Modi Mong Mroo Mtei Mult Mymr Nagm Nand ' +
  'Narb Nbat Newa Nkoo Nshu Ogam Olck Onao Orkh Orya Osge Osma Ougr Palm Pauc Perm Phag Phli Phlp Phnx ' +
  'Plrd Prti Rjng Rohg Runr Samr Sarb Saur Sgnw Shaw Shrd Sidd Sidt Sind Sinh Sogd Sogo Sora Soyo Sund ' +
  'Sunu Sylo Syrc Tagb Takr Tale Talu Taml Tang Tavt Tayo Telu Tfng Tglg Thaa Thai Tibt Tirh Tnsa Todr ' +
  'Tols Toto Tutg Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb'
).split(' ')

let scriptPatterns: [string, RegExp][] | undefined

function patterns(): [string, RegExp][] {
  scriptPatterns ??= SCRIPT_CODES.flatMap((code): [string, RegExp][] => {
    try {
      return [[code, new RegExp(`\\p{Script_Extensions=${code}}`, 'u')]]
    } catch {
      return [] // a script newer than this engine's Unicode tables: none of its characters exist here
    }
  })
  return scriptPatterns
}

// UTS #39 §5.1: Han, Hiragana, Katakana, Hangul and Bopomofo are augmented with the writing
// systems that combine them (Jpan, Kore, Hanb), so that Japanese or Korean text counts as one script.
const AUGMENT: Record<string, string[]> = {
  Hani: ['Hanb', 'Jpan', 'Kore'],
  Hira: ['Jpan'],
  Kana: ['Jpan'],
  Hang: ['Kore'],
  Bopo: ['Hanb'],
}

const scriptCache = new Map<number, ReadonlySet<string> | null>()

/**
 * The augmented Script_Extensions of one character, or null for Common and Inherited ones
 * (digits, `_ . -`, combining marks shared by scripts), which UTS #39 counts as every script.
 */
export function scriptsOf(char: string): ReadonlySet<string> | null {
  const codePoint = char.codePointAt(0) ?? 0
  const cached = scriptCache.get(codePoint)
  if (cached !== undefined) return cached
  const found = new Set<string>()
  for (const [code, pattern] of patterns()) {
    if (!pattern.test(char)) continue
    found.add(code)
    for (const extra of AUGMENT[code] ?? []) found.add(extra)
  }
  // Only Common (Zyyy) or Inherited (Zinh) characters match none of the codes listed.
  const result = found.size === 0 ? null : found
  scriptCache.set(codePoint, result)
  return result
}

/** The scripts every character of `text` belongs to (UTS #39's resolved script set); null means all. */
function resolvedScripts(text: string, without?: string): ReadonlySet<string> | null {
  let resolved = null as Set<string> | null
  for (const char of text) {
    const scripts = scriptsOf(char)
    if (scripts === null || (without !== undefined && scripts.has(without))) continue
    resolved = resolved === null ? new Set(scripts) : new Set([...resolved].filter((code) => scripts.has(code)))
  }
  return resolved
}

/**
 * UTS #39 "Highly Restrictive": every character is of one script (Common and Inherited aside), or
 * the text is covered by Latin + Han + Hiragana + Katakana, Latin + Han + Hangul, or Latin + Han +
 * Bopomofo. So `pаypal` with a Cyrillic а, or Greek next to Latin, is refused; `김minji` is not.
 */
export function isHighlyRestrictive(text: string): boolean {
  const resolved = resolvedScripts(text)
  if (resolved === null || resolved.size > 0) return true // single script
  // §5.2: without its Latin characters, the rest must resolve to Japanese, Korean or Han+Bopomofo.
  const rest = resolvedScripts(text, 'Latn')
  return rest === null || rest.has('Jpan') || rest.has('Kore') || rest.has('Hanb')
}
