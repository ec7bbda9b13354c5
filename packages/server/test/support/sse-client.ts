/** One Server-Sent Events message as the server framed it (comments kept apart). */
export interface SseMessage {
  id?: string
  event?: string
  data?: string
  comment?: string
}

export interface SseClient {
  readonly status: number
  readonly headers: Headers
  /** The next message matching `predicate` (earlier ones are dropped); fails after a safety timeout. */
  next(predicate?: (message: SseMessage) => boolean): Promise<SseMessage>
  /** Messages received and not yet taken. */
  readonly buffered: SseMessage[]
  /** Resolves when the server ended the stream. */
  readonly ended: Promise<void>
  close(): void
}

const safetyTimeoutMs = 10_000

function parseBlock(block: string): SseMessage {
  const message: SseMessage = {}
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) message.comment = line.slice(1).trim()
    else {
      const at = line.indexOf(":")
      const field = at < 0 ? line : line.slice(0, at)
      const value = at < 0 ? "" : line.slice(at + 1).replace(/^ /, "")
      if (field === "id" || field === "event") message[field] = value
      else if (field === "data")
        message.data = message.data === undefined ? value : `${message.data}\n${value}`
    }
  }
  return message
}

/** A real HTTP client of a text/event-stream route (fetch), parsing messages as they arrive. */
export async function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController()
  const response = await fetch(url, { headers, signal: controller.signal })
  const buffered: SseMessage[] = []
  const waiters: { predicate: (message: SseMessage) => boolean; resolve: (message: SseMessage) => void }[] =
    []
  const drain = () => {
    for (let index = 0; index < waiters.length; index++) {
      const waiter = waiters[index]!
      const found = buffered.findIndex(waiter.predicate)
      if (found === -1) continue
      const [message] = buffered.splice(0, found + 1).slice(-1)
      waiters.splice(index, 1)
      index--
      waiter.resolve(message!)
    }
  }
  const ended = (async () => {
    if (!response.body) return
    const decoder = new TextDecoder()
    let text = ""
    try {
      for await (const chunk of response.body) {
        text += decoder.decode(chunk as Uint8Array, { stream: true })
        let end = text.indexOf("\n\n")
        while (end >= 0) {
          buffered.push(parseBlock(text.slice(0, end)))
          text = text.slice(end + 2)
          end = text.indexOf("\n\n")
        }
        drain()
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error
    }
  })()
  return {
    status: response.status,
    headers: response.headers,
    buffered,
    ended,
    next(predicate = () => true) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no matching event within ${safetyTimeoutMs} ms; got ${JSON.stringify(buffered)}`),
            ),
          safetyTimeoutMs,
        )
        waiters.push({
          predicate,
          resolve: (message) => {
            clearTimeout(timer)
            resolve(message)
          },
        })
        drain()
      })
    },
    close: () => controller.abort(),
  }
}
