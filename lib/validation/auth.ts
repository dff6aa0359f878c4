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

export const SignUpSchema = z
  .object({
    username: UsernameSchema,
    password: NewPasswordSchema,
    confirmPassword: z.string({ error: 'Confirm your password' }),
  })
  .refine((form) => form.password === form.confirmPassword, {
    error: 'Passwords do not match',
    path: ['confirmPassword'],
    // Check the match even when another field failed, so that every problem shows at once.
    when: ({ value }) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as Record<string, unknown>).password === 'string' &&
      typeof (value as Record<string, unknown>).confirmPassword === 'string',
  })

/** Log-in checks only shape: the rules for new passwords must not reveal anything at log-in. */
export const LogInSchema = z.object({
  username: z.string({ error: 'Enter your username' }).trim().min(1, { error: 'Enter your username' }).max(64),
  password: z.string({ error: 'Enter your password' }).min(1, { error: 'Enter your password' }).max(1024),
})

export type SignUpInput = z.infer<typeof SignUpSchema>
export type LogInInput = z.infer<typeof LogInSchema>
