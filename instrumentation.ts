// Runs once when a server instance starts (`next dev`, `next start`), not during `next build`.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { checkStartup } = await import('./server/startup')
  await checkStartup()
}
