/**
 * The version in a live event's data (`{"version":N}`), as the server publishes it and the stream
 * sends it (server/live); null for anything else. Read by the server's hub and by the page.
 */
export function parseVersionMessage(data: string): number | null {
  try {
    const { version } = JSON.parse(data) as { version?: unknown }
    return typeof version === 'number' && Number.isSafeInteger(version) ? version : null
  } catch {
    return null
  }
}
