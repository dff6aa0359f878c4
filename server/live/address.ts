/** Where the live stream is served (server/live/serve.ts, which server.mjs hands its requests to). */
export const LIVE_EVENTS_PATH = '/api/events'
