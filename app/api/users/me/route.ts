import { ApiUserPatchSchema } from '@/lib/validation/api'
import { apiRoute, notAuthorized, readJsonBody, requireApiViewer } from '@/server/api/http'
import { findAccount, savePreferences, setTimeZone, type Viewer } from '@/server/users'

// The caller's own account only: there is no /api/users/{id}, so nobody can name another.

async function me(viewer: Viewer) {
  const account = await findAccount(viewer.id)
  if (!account) throw notAuthorized() // deleted since the token was checked
  return Response.json({
    id: account.id,
    username: account.username,
    email: account.emailVerifiedAt ? account.email : null,
    time_zone: account.timeZone,
    locale: account.locale,
  })
}

export const GET = apiRoute(async () => me(await requireApiViewer()))

export const PATCH = apiRoute(async (request) => {
  const viewer = await requireApiViewer()
  const patch = await readJsonBody(request, ApiUserPatchSchema)
  if (patch.time_zone) await setTimeZone(viewer, patch.time_zone)
  if (patch.locale) await savePreferences(viewer, { locale: patch.locale })
  return me(viewer)
})
