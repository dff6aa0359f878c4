// Runs once when a server instance starts (`next dev`, `next start`), not during `next build`.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  // Two imports: the configuration is checked before anything that reads it loads, then one
  // module starts the rest. One import for the rest, not one per part: Turbopack gives every
  // import() its own copy of the modules they share (four copies of 1.2 MB of code, all loaded).
  const { checkConfiguration } = await import('./server/startup')
  await checkConfiguration()
  const { startInstance } = await import('./server/instance')
  await startInstance()
}
