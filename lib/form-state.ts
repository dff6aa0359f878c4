import { z } from 'zod'

/**
 * What a form's server action returns for an expected failure: messages per field, a message for
 * the whole form, and the values to put back (React resets a form after its action runs).
 * Passwords are never among the values.
 */
export type FormState<Field extends string = string> = {
  fieldErrors?: Partial<Record<Field, string[]>>
  formError?: string
  values?: Partial<Record<Field, string>>
}

/** Turns a schema's message key into text in the page's language. */
export type MessageTranslator = { (key: string, values?: Record<string, string | number>): string; has(key: string): boolean }

/** Zod's issues as one list of messages per top-level field, in the translator's language. */
export function fieldErrorsOf<Field extends string>(error: z.ZodError, t: MessageTranslator): Partial<Record<Field, string[]>> {
  const fields = z.flattenError(error).fieldErrors as Partial<Record<Field, string[]>>
  const translated: Partial<Record<Field, string[]>> = {}
  for (const [field, messages] of Object.entries(fields) as [Field, string[]][]) {
    translated[field] = messages.map((message) => (t.has(message) ? t(message) : message))
  }
  return translated
}

/** A form field as a string: FormData gives File for file inputs and null for missing ones. */
export function formText(form: FormData, name: string): string {
  const value = form.get(name)
  return typeof value === 'string' ? value : ''
}
