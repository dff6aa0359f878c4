import { useSyncExternalStore } from 'react'

const subscribe = () => () => {}

/**
 * False on the server and during hydration, true afterwards. Forms render with their server
 * action until then, so they work before (and without) JavaScript; once hydrated they switch to
 * a client wrapper that also updates the page optimistically.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  )
}
