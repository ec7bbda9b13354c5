import type { ServerFrame } from "@xionimus/protocol"

export interface FrameClient {
  send(frame: unknown): void
  sendRaw(data: string): void
  /** The next frame matching `predicate` (frames before it are dropped); fails after a safety timeout. */
  next(predicate?: (frame: ServerFrame) => boolean): Promise<ServerFrame>
  /** Frames received and not yet taken by next(). */
  readonly buffered: ServerFrame[]
  /** Resolves with the close code and reason when the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>
  close(): Promise<{ code: number; reason: string }>
}

const safetyTimeoutMs = 10_000

/** A real WebSocket client (Node's global WebSocket) that queues the server's JSON frames. */
export async function connectFrames(url: string, headers: Record<string, string> = {}): Promise<FrameClient> {
  const socket = new WebSocket(url, { headers } as unknown as string[])
  const buffered: ServerFrame[] = []
  const waiters: { predicate: (frame: ServerFrame) => boolean; resolve: (frame: ServerFrame) => void }[] = []
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason }))
  })
  socket.addEventListener("message", (event) => {
    buffered.push(JSON.parse(String(event.data)) as ServerFrame)
    drain()
  })
  function drain(): void {
    for (let index = 0; index < waiters.length; index++) {
      const waiter = waiters[index]!
      const found = buffered.findIndex(waiter.predicate)
      if (found === -1) continue
      // Frames before the match are dropped: next() reads the stream forward.
      const [frame] = buffered.splice(0, found + 1).slice(-1)
      waiters.splice(index, 1)
      index--
      waiter.resolve(frame!)
    }
  }
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true })
    socket.addEventListener("error", () => reject(new Error(`WebSocket to ${url} failed`)), { once: true })
  })
  return {
    buffered,
    closed,
    send: (frame) => socket.send(JSON.stringify(frame)),
    sendRaw: (data) => socket.send(data),
    next(predicate = () => true) {
      return new Promise<ServerFrame>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no matching frame within ${safetyTimeoutMs} ms; got ${JSON.stringify(buffered)}`),
            ),
          safetyTimeoutMs,
        )
        waiters.push({
          predicate,
          resolve: (frame) => {
            clearTimeout(timer)
            resolve(frame)
          },
        })
        drain()
      })
    },
    close() {
      socket.close()
      return closed
    },
  }
}

/** Polls `condition` until it holds; fails after a safety timeout (for state that settles asynchronously). */
export async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + safetyTimeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
