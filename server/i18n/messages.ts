import 'server-only'
import type { Locale } from '@/lib/i18n/preferences'
import en from '@/messages/en.json'
import ko from '@/messages/ko.json'

export type Messages = typeof en

/** Every message of each language: one file per language, the same keys in both (lib/i18n/messages.test.ts). */
export const MESSAGES: Record<Locale, Messages> = { en, ko }

/**
 * What client components need: the rest (emails, the API docs' prose) renders on the server only
 * and would only grow every page's payload.
 */
const SERVER_ONLY_NAMESPACES = ['email', 'apiDocs', 'mailbox'] as const satisfies (keyof Messages)[]

export function clientMessages(locale: Locale): Partial<Messages> {
  const messages: Partial<Messages> = { ...MESSAGES[locale] }
  for (const namespace of SERVER_ONLY_NAMESPACES) delete messages[namespace]
  return messages
}
