import fc from 'fast-check'
import { runs } from '../../test/support/arbitraries'

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text)

/**
 * fast-check settings for black-box runs against the server: `numRuns` requests (or the replay of
 * FC_SEED and FC_PATH), interrupted as a failure rather than by Playwright's timeout (which would
 * lose the report), and a report that stays readable when the failing input is megabytes long: the
 * seed and path come first, then the shrunk input and the error, clipped.
 */
export function fuzzSettings<T>(numRuns: number): fc.Parameters<T> {
  return {
    ...runs(numRuns),
    interruptAfterTimeLimit: 75_000,
    markInterruptAsFailure: true,
    asyncReporter: async (details) => {
      if (!details.failed) return
      const report = (await fc.asyncDefaultReportMessage(details)) ?? 'Property failed'
      const cause = details.errorInstance
      const error = cause instanceof Error ? cause.message : String(cause)
      throw new Error(`${clip(report, 3_000)}\nGot error: ${clip(error, 3_000)}`)
    },
  }
}
