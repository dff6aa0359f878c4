import 'server-only'
import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { cache } from 'react'
import { safeReturnPath } from '@/lib/safe-redirect'
import { findViewer, type Viewer } from '../users'
import { auth } from './config'

/**
 * The signed-in viewer, or null. Decrypting the session and looking the account up cost a few
 * milliseconds, so this runs once per request however many components ask (React `cache`).
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = await auth()
  const id = Number(session?.user?.id)
  if (!Number.isSafeInteger(id) || id <= 0) return null
  // A valid cookie for a deleted account is no session.
  return findViewer(id)
})

/**
 * The viewer, or a redirect to the log-in page that comes back here afterwards. Every page, server
 * action and data call starts with this: the proxy's cookie check is only a shortcut.
 */
export async function requireUser(): Promise<Viewer> {
  const viewer = await getViewer()
  if (viewer) return viewer
  const returnTo = safeReturnPath((await headers()).get('x-return-to'))
  redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`)
}
