import 'server-only'
import type { Translator } from '@/lib/validation/messages'
import { requestPreferences } from '../preferences'
import { translatorFor } from './messages'

/** A translator with string keys (server/i18n/messages.ts) in this request's language. */
export async function requestTranslator(): Promise<Translator> {
  return translatorFor((await requestPreferences()).locale)
}

/** "5 minutes", "40 seconds", "5분": how long to wait, for people. */
export function describeWait(t: Translator, seconds: number): string {
  if (seconds < 90) return t('wait.seconds', { count: seconds })
  return t('wait.minutes', { count: Math.ceil(seconds / 60) })
}
