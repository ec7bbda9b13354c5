import { type Disposer, type Logger, once } from "@xionimus/kit"
import { StoredEvent } from "@xionimus/protocol"
import { eventChannel } from "./event-channel.ts"
import type { EventLog, PubSub, SubscribeOptions, Subscription } from "./types.ts"

export interface StreamSubscriptionDeps {
  log: EventLog
  pubsub: PubSub
  logger: Logger
  /** Events per log read while catching up. */
  pageSize: number
  /** Called once when the subscription ends, whether disposed or failed. */
  onEnd(): void
}

/**
 * One subscriber's view of a stream: every event with seq > after exactly once, in order.
 *
 * It subscribes live first, then reads the head. All work runs on one queue: first whatever live
 * events arrive, then "catch up to head". Each step reads the log from the last delivered seq up to
 * what it needs, and skips anything at or below it, so an event published while the log is being
 * read is neither lost nor delivered twice, and a live event that arrives after a gap (a missed
 * publish) first pulls the missing ones from the log. After the transport reconnects, it catches up
 * to the head again.
 */
export async function openStreamSubscription(
  stream: string,
  options: SubscribeOptions,
  deps: StreamSubscriptionDeps,
): Promise<Subscription> {
  const { log, pubsub, logger, pageSize } = deps
  let delivered = options.after ?? 0
  let ended = false
  let start: () => void = () => {}
  let queue = new Promise<void>((resolve) => {
    start = resolve
  })

  function enqueue(job: () => Promise<void>): void {
    queue = queue.then(() => (ended ? undefined : job())).catch(fail)
  }

  function deliver(event: StoredEvent): void {
    if (ended || event.seq !== delivered + 1) return
    delivered = event.seq
    try {
      options.onEvent(event)
    } catch (error) {
      logger.error({ err: error, stream, seq: event.seq }, "an event subscriber threw; delivery goes on")
    }
  }

  async function catchUpTo(target: number): Promise<void> {
    while (!ended && delivered < target) {
      const page = await log.read(stream, { after: delivered, limit: Math.min(pageSize, target - delivered) })
      if (page.length === 0) return
      for (const event of page) deliver(event)
    }
  }

  async function onLive(event: StoredEvent): Promise<void> {
    if (event.seq <= delivered) return
    if (event.seq > delivered + 1) await catchUpTo(event.seq - 1)
    deliver(event)
  }

  function onPayload(payload: string): void {
    const event = parse(payload)
    if (event?.stream === stream) enqueue(() => onLive(event))
    else logger.warn({ stream }, "ignored a malformed live event; the log will fill it in")
  }

  const unsubscribe: Disposer = await pubsub.subscribe(eventChannel(stream), onPayload)
  // Whatever was published while the transport was away comes from the log.
  const stopResync = pubsub.onReconnect?.(() => enqueue(async () => catchUpTo(await log.head(stream))))
  const end = once(async () => {
    ended = true
    deps.onEnd()
    await stopResync?.()
    await unsubscribe()
  })

  function fail(error: unknown): void {
    if (ended) return
    void Promise.resolve(end()).catch((reason) => logger.warn({ err: reason, stream }, "unsubscribe failed"))
    if (options.onError) options.onError(error)
    else logger.error({ err: error, stream }, "event delivery stopped")
  }

  let head: number
  try {
    head = await log.head(stream)
  } catch (error) {
    await end()
    throw error
  }
  enqueue(() => catchUpTo(head))
  // Let the caller see the resolved subscription before the first event arrives.
  setImmediate(start)
  return { stream, head, dispose: end }
}

function parse(payload: string): StoredEvent | undefined {
  try {
    const result = StoredEvent.safeParse(JSON.parse(payload))
    return result.success ? result.data : undefined
  } catch {
    return undefined
  }
}
