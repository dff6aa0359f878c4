// Runs once when a server instance starts (`next dev`, `next start`), not during `next build`.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { checkStartup } = await import('./server/startup')
  await checkStartup()
  // Before the first request: server.mjs counts every request into this registry.
  await import('./server/metrics')
  // The workers (email, reminders and the morning summary) run in every app instance unless
  // RUN_WORKER=false (then `npm run worker` runs them apart); on SIGTERM they finish their jobs in
  // flight before Next stops the server.
  const { startWorkersInApp } = await import('./server/jobs/email-worker')
  startWorkersInApp()
  // GET /api/events, which server.mjs serves itself, outside Next (server/live/serve.ts says why).
  const { registerLiveEvents } = await import('./server/live/serve')
  registerLiveEvents()
}
