import type { EventBus, Subscription } from "@xionimus/bus"
import { AppError } from "@xionimus/kit"
import { ClientFrame, closeCodes, type ServerFrame, type StoredEvent } from "@xionimus/protocol"
import type { FastifyBaseLogger } from "fastify"
import { appErrorOf } from "./app-error-of.ts"
import { errorBody } from "./error-reply.ts"

/** The part of a `ws` WebSocket this module uses (ws ships no types here). */
export interface StreamSocket {
  readonly readyState: number
  readonly bufferedAmount: number
  send(data: string): void
  close(code?: number, reason?: string): void
  terminate(): void
  ping(): void
  on(event: "message", listener: (data: unknown, isBinary: boolean) => void): void
  on(event: "close" | "pong", listener: () => void): void
}

export interface StreamConnectionOptions {
  bus: EventBus
  log: FastifyBaseLogger
  requestId: string
  maxSubscriptions: number
  /** Invalid frames tolerated before the socket is closed with 4400. */
  maxInvalidFrames: number
  /** Unsent bytes allowed to pile up for a slow client before it is closed (1013, reconnect and resume). */
  maxBufferedBytes: number
  /** How often the server pings; a client that did not answer the previous ping is dropped. */
  heartbeatMs: number
  /** Raises (FORBIDDEN…) when this connection may not read the stream; checked on every subscribe. */
  authorize?: (stream: string) => Promise<void>
}

const open = 1

/**
 * One client on /api/stream: many subscriptions, each replaying the events after the client's seq and then
 * delivering live ones exactly once. Frames are handled one at a time, in the order they arrive. Every
 * subscription is disposed on unsubscribe and when the socket closes.
 */
export function handleStreamConnection(socket: StreamSocket, options: StreamConnectionOptions): void {
  const { bus, log } = options
  const subscriptions = new Map<string, Subscription>()
  let queue: Promise<void> = Promise.resolve()
  let invalidFrames = 0
  let closed = false
  let alive = true

  const send = (frame: ServerFrame): void => {
    if (closed || socket.readyState !== open) return
    if (socket.bufferedAmount > options.maxBufferedBytes) {
      log.warn({ bufferedAmount: socket.bufferedAmount }, "stream client too slow; closing")
      socket.close(1013, "too slow: reconnect and resume from your last seq")
      return
    }
    socket.send(JSON.stringify(frame))
  }
  const sendError = (error: unknown, stream?: string): void => {
    const { body } = errorBody(appErrorOf(error), options.requestId)
    const { requestId: _requestId, ...data } = body.error
    send({ type: "error", ...(stream ? { stream } : {}), error: data })
  }

  const heartbeat = setInterval(() => {
    if (!alive) {
      log.info("stream client did not answer a ping; dropping it")
      socket.terminate()
      return
    }
    alive = false
    socket.ping()
  }, options.heartbeatMs)
  heartbeat.unref()

  async function subscribe(stream: string, after: number): Promise<void> {
    await options.authorize?.(stream)
    await unsubscribe(stream)
    if (subscriptions.size >= options.maxSubscriptions) {
      throw new AppError(
        "SUBSCRIPTION_LIMIT",
        `This connection already holds ${options.maxSubscriptions} subscriptions; unsubscribe from one first.`,
        { max: options.maxSubscriptions },
      )
    }
    // Replayed events may arrive before subscribe() returns; hold them until "subscribed" went out.
    let pending: StoredEvent[] | undefined = []
    const subscription = await bus.subscribe(stream, {
      after,
      onEvent(event) {
        if (pending) pending.push(event)
        else send({ type: "event", stream, event })
      },
      onError(error) {
        log.warn({ err: error, stream }, "stream subscription ended")
        subscriptions.delete(stream)
        sendError(error, stream)
      },
    })
    if (closed) {
      await subscription.dispose()
      return
    }
    subscriptions.set(stream, subscription)
    send({ type: "subscribed", stream, head: subscription.head })
    const held = pending
    pending = undefined
    for (const event of held) send({ type: "event", stream, event })
  }

  async function unsubscribe(stream: string): Promise<void> {
    const subscription = subscriptions.get(stream)
    subscriptions.delete(stream)
    await subscription?.dispose()
  }

  async function handle(frame: ClientFrame): Promise<void> {
    if (closed) return
    if (frame.type === "ping") return send({ type: "pong" })
    try {
      if (frame.type === "subscribe") await subscribe(frame.stream, frame.after ?? 0)
      else {
        await unsubscribe(frame.stream)
        send({ type: "unsubscribed", stream: frame.stream })
      }
    } catch (error) {
      log.info({ err: error, stream: frame.stream }, "stream frame failed")
      sendError(error, frame.stream)
    }
  }

  socket.on("message", (data, isBinary) => {
    const parsed = parseFrame(data, isBinary)
    if (!parsed.ok) {
      invalidFrames += 1
      send({
        type: "error",
        error: { code: "FRAME_INVALID", message: parsed.message, details: { issues: parsed.issues } },
      })
      if (invalidFrames >= options.maxInvalidFrames) {
        socket.close(closeCodes.tooManyInvalidFrames, "too many invalid frames")
      }
      return
    }
    queue = queue.then(() => handle(parsed.frame))
  })
  socket.on("pong", () => {
    alive = true
  })
  socket.on("close", () => {
    closed = true
    clearInterval(heartbeat)
    queue = queue.then(async () => {
      const all = [...subscriptions.values()]
      subscriptions.clear()
      const results = await Promise.allSettled(all.map((subscription) => subscription.dispose()))
      for (const result of results) {
        if (result.status === "rejected") log.error({ err: result.reason }, "disposing a subscription failed")
      }
    })
  })
}

type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; message: string; issues: { path: string; message: string }[] }

function parseFrame(data: unknown, isBinary: boolean): ParsedFrame {
  if (isBinary) return { ok: false, message: "Send frames as JSON text, not binary.", issues: [] }
  let value: unknown
  try {
    value = JSON.parse(String(data))
  } catch {
    return { ok: false, message: "The frame is not valid JSON.", issues: [] }
  }
  const result = ClientFrame.safeParse(value)
  if (result.success) return { ok: true, frame: result.data }
  const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }))
  return {
    ok: false,
    message: "The frame is not a subscribe, unsubscribe or ping frame of the documented form.",
    issues,
  }
}
