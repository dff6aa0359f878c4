import { z } from 'zod'
import { isCommonPassword } from './common-passwords'
import { EmailSchema } from './email'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH } from './limits'
import { isHighlyRestrictive } from './scripts'
import { charLength } from './text'
import { usernameKey, usernameKeyFits } from './username-key'

// Letters, marks and digits of any script, and `_ . -`; never a mark first (it would sit on
// nothing). Default-ignorable code points are refused too: variation selectors and the Hangul
// filler (U+3164) are letters or marks that show nothing, so `abc` and `abc\ufe0f` would look alike.
export const USERNAME_PATTERN = /^(?!\p{M})(?:(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{M}\p{N}_.-])+$/u
const LETTER = /\p{L}/u

/**
 * A new username as typed, trimmed and NFC-normalised (the form stored and shown), 3 to 32 code
 * points of USERNAME_PATTERN with at least one letter, in one script as UTS #39's "Highly
 * Restrictive" level allows (see scripts.ts). Names compare by usernameKey() (username-key.ts).
 */
export const UsernameSchema = z
  .string({ error: 'validation.username.type' })
  .trim()
  .normalize('NFC')
  .refine((name) => charLength(name) >= USERNAME_MIN_LENGTH, { error: 'validation.username.tooShort' })
  .refine((name) => charLength(name) <= USERNAME_MAX_LENGTH && usernameKeyFits(usernameKey(name)), {
    error: 'validation.username.tooLong',
  })
  .regex(USERNAME_PATTERN, { error: 'validation.username.characters' })
  .refine((name) => LETTER.test(name), { error: 'validation.username.needsLetter' })
  .refine(isHighlyRestrictive, { error: 'validation.username.mixedScripts' })

// Never trimmed or truncated: every character the user typed is part of the password.
// One message at a time, most basic first (a short common password is "too short", not both).
export const NewPasswordSchema = z.string({ error: 'validation.password.type' }).superRefine((password, ctx) => {
  const length = charLength(password)
  if (length < PASSWORD_MIN_LENGTH) {
    ctx.addIssue({ code: 'custom', message: 'validation.password.tooShort' })
  } else if (length > PASSWORD_MAX_LENGTH) {
    ctx.addIssue({ code: 'custom', message: 'validation.password.tooLong' })
  } else if (isCommonPassword(password)) {
    ctx.addIssue({ code: 'custom', message: 'validation.password.tooCommon' })
  }
})

/**
 * For a "passwords match" check: run it even when other fields failed (so that every problem shows
 * at once), as long as both fields are strings.
 */
function bothStrings(first: string, second: string) {
  return ({ value }: { value: unknown }) => {
    if (typeof value !== 'object' || value === null) return false
    const fields = value as Record<string, unknown>
    return typeof fields[first] === 'string' && typeof fields[second] === 'string'
  }
}

/** A new password typed twice (sign-up, reset): the fields, and the check that the second matches. */
const NEW_PASSWORD_TWICE = {
  password: NewPasswordSchema,
  confirmPassword: z.string({ error: 'validation.password.confirmRequired' }),
}
const matchesConfirmation = (form: { password: string; confirmPassword: string }) => form.password === form.confirmPassword
const MISMATCH = {
  error: 'validation.password.mismatch',
  path: ['confirmPassword'],
  when: bothStrings('password', 'confirmPassword'),
}

export const SignUpSchema = z.object({ username: UsernameSchema, ...NEW_PASSWORD_TWICE }).refine(matchesConfirmation, MISMATCH)

/** Log-in checks only shape: the rules for new passwords must not reveal anything at log-in. */
export const LogInSchema = z.object({
  username: z
    .string({ error: 'validation.logIn.usernameRequired' })
    .trim()
    .min(1, { error: 'validation.logIn.usernameRequired' })
    .max(64, { error: 'validation.logIn.usernameTooLong' }),
  password: z
    .string({ error: 'validation.logIn.passwordRequired' })
    .min(1, { error: 'validation.logIn.passwordRequired' })
    .max(1024, { error: 'validation.logIn.passwordTooLong' }),
})

export type SignUpInput = z.infer<typeof SignUpSchema>
export type LogInInput = z.infer<typeof LogInSchema>

export const ChangePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: 'validation.changePassword.currentRequired' })
      .min(1, { error: 'validation.changePassword.currentRequired' }),
    newPassword: NewPasswordSchema,
    confirmPassword: z.string({ error: 'validation.password.confirmRequired' }),
  })
  .refine((form) => form.newPassword === form.confirmPassword, {
    error: 'validation.password.mismatch',
    path: ['confirmPassword'],
    when: bothStrings('newPassword', 'confirmPassword'),
  })

export const ConfirmWithPasswordSchema = z.object({
  password: z
    .string({ error: 'validation.confirmWithPassword.required' })
    .min(1, { error: 'validation.confirmWithPassword.required' })
    .max(1024, { error: 'validation.logIn.passwordTooLong' }),
})

/** The forgot-password form: the address to send a reset link to (when an account has it, verified). */
export const ForgotPasswordSchema = z.object({ email: EmailSchema })

/**
 * A password-reset token as it came in the link. Any text of a sane length passes: a token that is
 * wrong in any way (malformed included) is "invalid or expired" to the caller, never a format error.
 */
export const ResetTokenSchema = z
  .string({ error: 'validation.resetToken.required' })
  .min(1, { error: 'validation.resetToken.required' })
  .max(512, { error: 'validation.resetToken.required' })

/** The reset-password form: the token from the link and the new password, twice, as at sign-up. */
export const ResetPasswordSchema = z.object({ token: ResetTokenSchema, ...NEW_PASSWORD_TWICE }).refine(matchesConfirmation, MISMATCH)

export type ResetPasswordInput = z.infer<typeof ResetPasswordSchema>
