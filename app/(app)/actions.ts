'use server'
import { currentSession, getViewer } from '@/server/auth/session'
import { signOut } from '@/server/auth/config'
import { revokeSession } from '@/server/sessions'

/**
 * Ends this session: on the server (the session id is recorded as logged out until it would have
 * expired, so a copied cookie is worthless too) and in the browser (the cookie is cleared).
 */
export async function logOutAction(): Promise<void> {
  const [viewer, session] = await Promise.all([getViewer(), currentSession()])
  if (viewer && session?.sessionId) await revokeSession(viewer, session.sessionId, session.expires)
  await signOut({ redirectTo: '/login' })
}
