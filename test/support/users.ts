import { randomBytes } from 'node:crypto'
import { createUser, type Viewer } from '@/server/users'

/** A unique, valid username for one test; tests never share accounts. */
export function uniqueUsername(prefix = 'u'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`
}

export const TEST_PASSWORD = 'violet kettle drums'

/** A fresh account, signed up the way the app does it. */
export async function createTestViewer(prefix?: string): Promise<Viewer> {
  const result = await createUser({ username: uniqueUsername(prefix), password: TEST_PASSWORD })
  if (!result.ok) throw new Error('test user could not be created')
  return result.viewer
}
