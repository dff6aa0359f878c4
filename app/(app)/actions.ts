'use server'
import { signOut } from '@/server/auth/config'

/** Ends the session: clears the session cookie and goes to the log-in page. */
export async function logOutAction(): Promise<void> {
  await signOut({ redirectTo: '/login' })
}
