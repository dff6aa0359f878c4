import { z } from 'zod'
import { isCommonPassword } from './common-passwords'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH } from './limits'
import { charLength } from './text'

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]+$/

export const UsernameSchema = z
  .string({ error: 'Username must be text' })
  .trim()
  .min(USERNAME_MIN_LENGTH, { error: `Username must be at least ${USERNAME_MIN_LENGTH} characters` })
  .max(USERNAME_MAX_LENGTH, { error: `Username must be at most ${USERNAME_MAX_LENGTH} characters` })
  .regex(USERNAME_PATTERN, { error: 'Use only letters, digits, and _ . -' })

// Never trimmed or truncated: every character the user typed is part of the password.
// One message at a time, most basic first (a short common password is "too short", not both).
export const NewPasswordSchema = z.string({ error: 'Password must be text' }).superRefine((password, ctx) => {
  const length = charLength(password)
  if (length < PASSWORD_MIN_LENGTH) {
    ctx.addIssue({ code: 'custom', message: `Password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  } else if (length > PASSWORD_MAX_LENGTH) {
    ctx.addIssue({ code: 'custom', message: `Password must be at most ${PASSWORD_MAX_LENGTH} characters` })
  } else if (isCommonPassword(password)) {
    ctx.addIssue({ code: 'custom', message: 'This password is too common and easy to guess: choose another' })
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

export const SignUpSchema = z
  .object({
    username: UsernameSchema,
    password: NewPasswordSchema,
    confirmPassword: z.string({ error: 'Confirm your password' }),
  })
  .refine((form) => form.password === form.confirmPassword, {
    error: 'Passwords do not match',
    path: ['confirmPassword'],
    when: bothStrings('password', 'confirmPassword'),
  })

/** Log-in checks only shape: the rules for new passwords must not reveal anything at log-in. */
export const LogInSchema = z.object({
  username: z.string({ error: 'Enter your username' }).trim().min(1, { error: 'Enter your username' }).max(64),
  password: z.string({ error: 'Enter your password' }).min(1, { error: 'Enter your password' }).max(1024),
})

export type SignUpInput = z.infer<typeof SignUpSchema>
export type LogInInput = z.infer<typeof LogInSchema>

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, { error: 'Enter your current password' }),
    newPassword: NewPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((form) => form.newPassword === form.confirmPassword, {
    error: 'Passwords do not match',
    path: ['confirmPassword'],
    when: bothStrings('newPassword', 'confirmPassword'),
  })

export const ConfirmWithPasswordSchema = z.object({
  password: z.string().min(1, { error: 'Enter your password to confirm' }).max(1024),
})
