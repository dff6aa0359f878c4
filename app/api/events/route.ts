import type { NextRequest } from 'next/server'
import { apiRoute, HttpError } from '@/server/api/http'
import { callerClaims } from '@/server/auth/session'
import { liveStream } from '@/server/live/stream'
import { resolveSession } from '@/server/sessions'

/**
 * The caller's live events (Server-Sent Events, server/live/stream.ts): for a session cookie or a
 * bearer token, resolved as every other request is; 401 otherwise.
 */
export const GET = apiRoute(async (request: NextRequest) => {
  const claims = await callerClaims()
  const viewer = claims ? await resolveSession(claims) : null
  if (!claims || !viewer) throw new HttpError(401, 'Not Authorized', { 'WWW-Authenticate': 'Bearer' })
  return liveStream({
    userId: viewer.id,
    lastEventId: request.headers.get('last-event-id'),
    stillSignedIn: async () => (await resolveSession(claims)) !== null,
    expiresAt: claims.expires,
    signal: request.signal,
  })
})
