import 'server-only'
import { randomBytes } from 'node:crypto'
import NextAuth, { CredentialsSignin } from 'next-auth'
import Credentials from 'next-auth/providers/credentials'
import { LogInSchema } from '@/lib/validation/auth'
import { env } from '../env'
import { adoptAccountPreferences } from '../preferences'
import { accountPreferences, authenticate } from '../users'
import { componentLog } from '../log'

const log = componentLog('auth')

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60
/** Secure, `__Secure-` prefixed session cookies in production; plain ones on http://localhost. */
export const SESSION_COOKIE_SECURE = env.NODE_ENV === 'production'

/**
 * Auth.js with one Credentials provider and JWT sessions: the session is an encrypted, httpOnly,
 * SameSite=Lax cookie (`__Secure-` prefixed and Secure in production). The user id is the JWT's
 * `sub`; every request still checks that the account exists (see session.ts), which reads the
 * cookie itself rather than through `auth()`.
 * No Auth.js route handler is mounted: sign-in and sign-out happen only through our server actions.
 */
export const { signIn, signOut } = NextAuth({
  secret: env.AUTH_SECRET,
  // Behind `next start` the host header is ours to trust; Auth.js refuses to run otherwise.
  trustHost: true,
  useSecureCookies: SESSION_COOKIE_SECURE,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: '/login', error: '/login' },
  providers: [
    Credentials({
      credentials: { username: { label: 'Username' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw) {
        const input = LogInSchema.safeParse(raw)
        if (!input.success) return null
        const found = await authenticate(input.data)
        if (!found) return null
        // This browser takes the account's language and theme for the session it starts.
        const saved = await accountPreferences(found.id)
        if (saved) await adoptAccountPreferences(saved)
        return { id: String(found.id), name: found.username, sessionVersion: found.sessionVersion }
      },
    }),
  ],
  callbacks: {
    // At sign-in the session gets an id (so that "Log out" can end this one session on the server)
    // and the account's session version (so that "Log out everywhere" can end all of them).
    jwt({ token, user }) {
      if (user) {
        token.sid = randomBytes(16).toString('base64url')
        token.ver = user.sessionVersion
      }
      return token
    },
  },
  logger: {
    // A wrong password is an expected outcome, not an error worth a stack trace in the log.
    error(error) {
      if (error instanceof CredentialsSignin || error.name === 'CredentialsSignin') return
      log.error({ err: error.cause ?? undefined }, `${error.name}: ${error.message}`)
    },
  },
})
