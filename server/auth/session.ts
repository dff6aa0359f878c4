import 'server-only'
import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { cache } from 'react'
import { safeReturnPath } from '@/lib/safe-redirect'
import { findViewer, type Viewer } from '../users'
import { userIdFromAuthorization } from './api-token'
import { auth } from './config'

/**
 * Who is calling, or null: the one resolver for pages, server actions and the JSON API.
 * A request with an `Authorization` header is judged by it alone (a bad token is no identity, even
 * beside a valid cookie); otherwise by the Auth.js session cookie. Either way the account must
 * still exist. Runs once per request however many callers ask (React `cache`).
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const authorization = (await headers()).get('authorization')
  const id = authorization !== null ? await userIdFromAuthorization(authorization) : await userIdFromSession()
  return id === null ? null : findViewer(id)
})

async function userIdFromSession(): Promise<number | null> {
  const session = await auth()
  const id = Number(session?.user?.id)
  return Number.isSafeInteger(id) && id > 0 ? id : null
}

/**
 * The viewer, or a redirect to the log-in page that comes back here afterwards. Every page and
 * server action starts with this: the proxy's cookie check is only a shortcut.
 */
export async function requireUser(): Promise<Viewer> {
  const viewer = await getViewer()
  if (viewer) return viewer
  const returnTo = safeReturnPath((await headers()).get('x-return-to'))
  redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`)
}
