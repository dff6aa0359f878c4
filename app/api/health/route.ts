/** Liveness: answers without touching the database, so it measures the server alone. */
export function GET() {
  return Response.json({ ping: 'pong' })
}
