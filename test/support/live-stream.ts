import { EVENT_STREAM_HEADERS, openLiveStream, type StreamCaller } from '@/server/live/stream'
import type { Hub } from '@/server/live/hub'

/**
 * A live stream of `caller` as a fetch Response, for readEvents: what server/live/serve.ts writes
 * to the socket, without its authentication (the tests choose the caller, and whether they are
 * still signed in). The e2e suite reads the real GET /api/events.
 */
export function liveStreamResponse(caller: StreamCaller, hub: Hub): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      openLiveStream(
        caller,
        {
          write: (text) => controller.enqueue(encoder.encode(text)),
          end: () => {
            try {
              controller.close()
            } catch {
              // the reader cancelled first
            }
          },
        },
        hub,
      )
    },
  })
  return new Response(body, { headers: EVENT_STREAM_HEADERS })
}
