// Runs once when a server instance starts (`next dev`, `next start`), not during `next build`.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { checkStartup } = await import('./server/startup')
  await checkStartup()
  // The email worker runs in every app instance unless RUN_WORKER=false (then `npm run worker`
  // runs it apart); on SIGTERM it finishes its jobs in flight before Next stops the server.
  const { startEmailWorkerInApp } = await import('./server/jobs/email-worker')
  startEmailWorkerInApp()
}
