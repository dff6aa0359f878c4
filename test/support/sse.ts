// Reading Server-Sent Events in tests, as they arrive (integration tests and e2e API tests).

export type SseEvent = { event?: string; id?: string; data?: string; retry?: string; comment?: boolean; receivedAt?: number }

/** The events of `response` so far (parsed as they come), whether it ended, and a way to stop reading. */
export function readEvents(response: Response) {
  const events: SseEvent[] = []
  let ended = false
  let buffer = ''
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
      if (done) break
      buffer += value
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        events.push({ ...parseBlock(buffer.slice(0, end)), receivedAt: performance.now() })
        buffer = buffer.slice(end + 2)
      }
    }
    ended = true
  })()
  return {
    events,
    /** The versions of the `todos` events so far. */
    versions: () => events.filter((e) => e.event === 'todos').map((e) => (JSON.parse(e.data!) as { version: number }).version),
    ended: () => ended,
    cancel: () => reader.cancel().catch(() => {}),
  }
}

function parseBlock(block: string): SseEvent {
  const parsed: SseEvent = {}
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) parsed.comment = true
    const separator = line.indexOf(': ')
    const [field, value] = separator < 0 ? [line, ''] : [line.slice(0, separator), line.slice(separator + 2)]
    if (field === 'event' || field === 'id' || field === 'data' || field === 'retry') parsed[field] = value
  }
  return parsed
}
