import 'server-only'
import { componentLog } from './log'

const log = componentLog('startup')

/**
 * The first step of an instance's start, before any module that reads the configuration loads
 * (nearly every server module reads `env` as it loads, where Next would log the error as a stack
 * trace and go on serving 500s): a configuration error stops the server in one actionable line,
 * since it could never work. instrumentation.ts loads this module alone for that reason.
 */
export async function checkConfiguration(): Promise<void> {
  try {
    await import('./env')
  } catch (error) {
    log.fatal(error instanceof Error ? error.message : String(error))
    process.exit(1)
  }
}
