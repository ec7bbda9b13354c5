import type { WebSocketLike } from "../../src/index.ts"

/**
 * A real WebSocket with a switchable fault in between, to see how the stream client copes with a bad
 * network against the real server: `cut()` drops the connection and refuses new ones until `mend()`;
 * `filter` may drop, duplicate or change incoming frames.
 */
export function createTestTransport(headers: Record<string, string> = {}) {
  const sockets: TestSocket[] = []
  const sent: string[] = []
  let blocked = false
  let filter: (data: string) => string[] = (data) => [data]

  class TestSocket implements WebSocketLike {
    readonly inner: WebSocket
    onopen: ((event: unknown) => void) | null = null
    onmessage: ((event: { data: unknown }) => void) | null = null
    onclose: ((event: { code: number }) => void) | null = null
    onerror: ((event: unknown) => void) | null = null

    constructor(url: string) {
      // Port 1 refuses connections: a blocked network fails every attempt.
      this.inner = new WebSocket(blocked ? "ws://127.0.0.1:1/api/stream" : url, {
        headers,
      } as unknown as string[])
      this.inner.onopen = (event) => this.onopen?.(event)
      this.inner.onmessage = (event) => {
        for (const data of filter(String(event.data))) this.onmessage?.({ data })
      }
      this.inner.onclose = (event) => this.onclose?.({ code: event.code })
      this.inner.onerror = (event) => this.onerror?.(event)
      sockets.push(this)
    }
    get readyState() {
      return this.inner.readyState
    }
    send(data: string) {
      sent.push(data)
      this.inner.send(data)
    }
    close(code?: number, reason?: string) {
      this.inner.close(code, reason)
    }
  }

  return {
    WebSocket: TestSocket,
    sockets,
    /** Frames the client sent, as JSON text. */
    sent,
    cut() {
      blocked = true
      for (const socket of sockets) socket.inner.close()
    },
    mend() {
      blocked = false
    },
    setFilter(next: (data: string) => string[]) {
      filter = next
    },
  }
}
