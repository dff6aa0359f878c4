import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  TODO_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from './limits'

// The schemas' messages are keys under `validation` in messages/<locale>.json (ICU syntax), not
// sentences: the page shows them in the reader's language, the JSON API in English. Every number
// a message mentions comes from this one object, so a limit changes in limits.ts alone.
export const VALIDATION_VALUES = {
  usernameMin: USERNAME_MIN_LENGTH,
  usernameMax: USERNAME_MAX_LENGTH,
  passwordMin: PASSWORD_MIN_LENGTH,
  passwordMax: PASSWORD_MAX_LENGTH,
  todoMax: TODO_MAX_LENGTH,
} as const

/**
 * A next-intl translator over the whole message tree (getTranslations(), useTranslations() or
 * createTranslator()), loosely typed. The call is declared as a method (the "bivariance hack")
 * so that a translator with typed keys, once the app declares its messages, still fits.
 */
export type Translator = {
  translate(key: string, values?: Record<string, string | number>): string
}['translate'] & { has(key: string): boolean }

/** The key of the message shown for an issue whose message is not one of ours (Zod's own defaults). */
export const INVALID_KEY = 'validation.invalid'

/** An issue's message as text: `t` of its key with VALIDATION_VALUES, or the generic message for anything else. */
export function translateMessage(t: Translator, message: string): string {
  return message.startsWith('validation.') && t.has(message) ? t(message, VALIDATION_VALUES) : t(INVALID_KEY)
}
