import { AppError, type Logger, silentLogger } from "@xionimus/kit"
import { eventChannel } from "./event-channel.ts"
import { openStreamSubscription } from "./stream-subscription.ts"
import type { EventBus, EventLog, PubSub, Subscription } from "./types.ts"

export interface EventBusDeps {
  /** The durable log (the store's events); the bus never closes it. */
  log: EventLog
  /** Live delivery; the bus closes it on close(). */
  pubsub: PubSub
  logger?: Logger
  /** Events per log read while a subscriber catches up (default 1000). */
  pageSize?: number
}

/** The event log plus live fan-out: append then publish; subscribe = catch up from the log, then live. */
export function createEventBus({
  log,
  pubsub,
  logger = silentLogger(),
  pageSize = 1000,
}: EventBusDeps): EventBus {
  const subscriptions = new Set<Subscription>()
  let closed = false

  function refuseWhenClosed(): void {
    if (closed)
      throw new AppError("SHUTTING_DOWN", "The event bus is closed because the server is shutting down.")
  }

  return {
    async append(stream, events) {
      refuseWhenClosed()
      const stored = await log.append(stream, events)
      const channel = eventChannel(stream)
      // Started together so that they go out in order on one connection without waiting for each reply.
      const results = await Promise.allSettled(
        stored.map((event) => pubsub.publish(channel, JSON.stringify(event))),
      )
      const failure = results.find((result) => result.status === "rejected")
      if (failure)
        logger.error(
          { err: failure.reason, stream, seqs: stored.map((event) => event.seq) },
          "stored events could not be published; subscribers get them from the log with the next event",
        )
      return stored
    },

    read(stream, options) {
      return log.read(stream, options)
    },

    async subscribe(stream, options) {
      refuseWhenClosed()
      let subscription: Subscription | undefined
      subscription = await openStreamSubscription(stream, options, {
        log,
        pubsub,
        logger,
        pageSize,
        onEnd: () => {
          if (subscription) subscriptions.delete(subscription)
        },
      })
      subscriptions.add(subscription)
      if (closed) {
        await subscription.dispose()
        refuseWhenClosed()
      }
      return subscription
    },

    get subscriberCount() {
      return subscriptions.size
    },

    ping() {
      return pubsub.ping()
    },

    async close() {
      if (closed) return
      closed = true
      await Promise.allSettled([...subscriptions].map((subscription) => subscription.dispose()))
      await pubsub.close()
    },
  }
}
