import { z } from 'zod'
import { translateMessage, type Translator } from './validation/messages'

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

/** Zod's issues as one list of messages per top-level field, in the language of `t`. */
export function fieldErrorsOf<Field extends string>(error: z.ZodError, t: Translator): Partial<Record<Field, string[]>> {
  const fieldErrors = z.flattenError(error, (issue) => translateMessage(t, issue.message)).fieldErrors
  return fieldErrors as Partial<Record<Field, string[]>>
}

/** A form field as a string: FormData gives File for file inputs and null for missing ones. */
export function formText(form: FormData, name: string): string {
  const value = form.get(name)
  return typeof value === 'string' ? value : ''
}
