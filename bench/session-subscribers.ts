// Worker thread of bench/session.bench.ts: N WebSocket clients on /api/stream subscribed to one session,
// off the server's event loop. Each event carries `sentAt` (epoch ms, sub-ms precision) taken just before
// its append; the worker records receipt minus sentAt for every event at every client.
import { parentPort, workerData } from "node:worker_threads"

interface Input {
  url: string
  headers: Record<string, string>
  sessionId: string
  after: number
  clients: number
}

type Command = { type: "expect"; count: number } | { type: "close" }

const input = workerData as Input
const now = () => performance.timeOrigin + performance.now()
let latencies: number[] = []
let expected = 0
let received = 0

/** Reports the round's latencies once every client has every event the main thread announced. */
function flushWhenDone(): void {
  if (expected === 0 || received < expected) return
  parentPort?.postMessage({ type: "received", latencies })
  latencies = []
  received = 0
  expected = 0
}

function connect(): Promise<WebSocket> {
  // Node's WebSocket (undici) takes headers in its second argument, which browsers do not.
  const socket = new WebSocket(input.url, { headers: input.headers } as unknown as string[])
  return new Promise((resolve, reject) => {
    socket.addEventListener("error", () => reject(new Error(`WebSocket to ${input.url} failed`)), {
      once: true,
    })
    socket.addEventListener("message", (message) => {
      const frame = JSON.parse(String(message.data)) as {
        type: string
        event?: { data?: { sentAt?: number } }
      }
      if (frame.type === "subscribed") resolve(socket)
      else if (frame.type === "event" && typeof frame.event?.data?.sentAt === "number") {
        latencies.push(now() - frame.event.data.sentAt)
        received++
        flushWhenDone()
      } else if (frame.type === "error") reject(new Error(JSON.stringify(frame)))
    })
    socket.addEventListener(
      "open",
      () => socket.send(JSON.stringify({ type: "subscribe", stream: input.sessionId, after: input.after })),
      { once: true },
    )
  })
}

const sockets = await Promise.all(Array.from({ length: input.clients }, connect))
parentPort?.on("message", (command: Command) => {
  if (command.type === "expect") {
    expected = command.count
    flushWhenDone()
  } else {
    for (const socket of sockets) socket.close()
    parentPort?.close()
  }
})
parentPort?.postMessage({ type: "ready" })
