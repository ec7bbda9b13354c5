import { AppError, type Disposer, type Logger, once, silentLogger } from "@xionimus/kit"
import { Redis } from "ioredis"
import type { PubSub } from "./types.ts"

type Listener = (payload: string) => void

interface Channel {
  listeners: Set<Listener>
  /** Settles when Redis has acknowledged SUBSCRIBE for this channel. */
  subscribed: Promise<unknown>
}

export interface RedisPubSubOptions {
  /** redis:// or rediss:// */
  url: string
  /** Put in front of every channel name, so that several installations (or test runs) can share a Redis. */
  prefix?: string
  logger?: Logger
}

export interface RedisPubSub extends PubSub {
  readonly prefix: string
}

/**
 * Pub/sub over Redis for several server nodes: one publishing and one subscribed connection per
 * instance, one Redis subscription per channel however many local listeners it has (dropped with
 * the last). Redis delivers only to whoever is connected at that moment; the event log fills gaps.
 */
export function createRedisPubSub(options: RedisPubSubOptions): RedisPubSub {
  const prefix = options.prefix ?? "xionimus:"
  const logger = options.logger ?? silentLogger()
  // One retry, then fail the command: a dead Redis shows as an error, not a hanging request.
  const connectionOptions = { maxRetriesPerRequest: 1, connectTimeout: 5_000 }
  // Named so that CLIENT LIST shows whose connections these are.
  const publisher = new Redis(options.url, { ...connectionOptions, connectionName: `${prefix}publisher` })
  const subscriber = new Redis(options.url, { ...connectionOptions, connectionName: `${prefix}subscriber` })
  const channels = new Map<string, Channel>()
  const reconnectListeners = new Set<() => void>()
  let connectedBefore = false
  subscriber.on("ready", () => {
    if (!connectedBefore) {
      connectedBefore = true
      return
    }
    // ioredis re-sends SUBSCRIBE just before "ready" fires; a PING answered after it proves they are done.
    subscriber.ping().then(
      () => {
        for (const listener of [...reconnectListeners]) listener()
      },
      (error: unknown) => logger.warn({ err: error }, "Redis reconnected but does not answer"),
    )
  })

  for (const [role, connection] of [
    ["publisher", publisher],
    ["subscriber", subscriber],
  ] as const) {
    // Reported once per outage, not on every reconnection attempt.
    let reported = false
    connection.on("ready", () => {
      reported = false
    })
    connection.on("error", (error) => {
      if (reported) return
      reported = true
      logger.warn({ err: error, role }, "Redis connection failed; retrying")
    })
  }

  subscriber.on("message", (name: string, payload: string) => {
    const channel = channels.get(name)
    if (!channel) return
    for (const listener of [...channel.listeners]) {
      if (!channel.listeners.has(listener)) continue
      try {
        listener(payload)
      } catch (error) {
        logger.error({ err: error, channel: name }, "a pub/sub listener threw")
      }
    }
  })

  async function remove(name: string, channel: Channel, listener: Listener): Promise<void> {
    channel.listeners.delete(listener)
    if (channel.listeners.size > 0 || channels.get(name) !== channel) return
    channels.delete(name)
    try {
      await subscriber.unsubscribe(name)
    } catch (error) {
      logger.warn({ err: error, channel: name }, "Redis UNSUBSCRIBE failed")
    }
  }

  return {
    prefix,

    async publish(channel, payload) {
      try {
        await publisher.publish(prefix + channel, payload)
      } catch (error) {
        throw unreachable(error)
      }
    },

    async subscribe(channelName, listener): Promise<Disposer> {
      const name = prefix + channelName
      let channel = channels.get(name)
      if (!channel) {
        channel = { listeners: new Set(), subscribed: subscriber.subscribe(name) }
        channels.set(name, channel)
      }
      const entry: Listener = (payload) => listener(payload)
      channel.listeners.add(entry)
      const current = channel
      try {
        await current.subscribed
      } catch (error) {
        // Let the next subscriber try again instead of inheriting this failure.
        if (channels.get(name) === current) channels.delete(name)
        current.listeners.delete(entry)
        throw unreachable(error)
      }
      return once(() => remove(name, current, entry))
    },

    onReconnect(listener) {
      const entry = () => listener()
      reconnectListeners.add(entry)
      return once(() => {
        reconnectListeners.delete(entry)
      })
    },

    async ping() {
      try {
        await publisher.ping()
      } catch (error) {
        throw unreachable(error)
      }
    },

    async close() {
      channels.clear()
      reconnectListeners.clear()
      await Promise.all([publisher, subscriber].map(closeConnection))
    },
  }
}

async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === "ready") {
    try {
      await connection.quit()
      return
    } catch {
      // Fall through to the hard way.
    }
  }
  connection.disconnect()
}

function unreachable(error: unknown): AppError {
  return new AppError(
    "BUS_UNREACHABLE",
    "Redis does not answer. Check that it runs and that the Redis URL is right.",
    undefined,
    { cause: error },
  )
}
