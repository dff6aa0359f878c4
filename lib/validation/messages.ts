// Stand-in until the validation branch lands (it owns this file).
type LooseTranslator = { (key: never, values?: never): string; has(key: never): boolean }

export function translateMessage(t: LooseTranslator, message: string): string {
  const loose = t as unknown as { (key: string): string; has(key: string): boolean }
  return loose.has(message) ? loose(message) : message
}
