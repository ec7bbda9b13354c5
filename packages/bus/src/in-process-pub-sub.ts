import { type Disposer, type Logger, once, silentLogger } from "@xionimus/kit"
import type { PubSub } from "./types.ts"

type Listener = (payload: string) => void

export interface InProcessPubSub extends PubSub {
  /** Listeners of `channel`, or of all channels when none is given (for leak tests). */
  listenerCount(channel?: string): number
}

/** Pub/sub within one process: the embedded default. Listeners run synchronously within publish(). */
export function createInProcessPubSub(options: { logger?: Logger } = {}): InProcessPubSub {
  const logger = options.logger ?? silentLogger()
  const channels = new Map<string, Set<Listener>>()

  return {
    async publish(channel, payload) {
      const listeners = channels.get(channel)
      if (!listeners) return
      for (const listener of [...listeners]) {
        // A listener removed by an earlier one in this loop no longer hears the message.
        if (!listeners.has(listener)) continue
        try {
          listener(payload)
        } catch (error) {
          logger.error({ err: error, channel }, "a pub/sub listener threw")
        }
      }
    },

    async subscribe(channel, listener): Promise<Disposer> {
      let listeners = channels.get(channel)
      if (!listeners) {
        listeners = new Set()
        channels.set(channel, listeners)
      }
      // A Set holds each function once: wrap so the same function may subscribe twice.
      const entry: Listener = (payload) => listener(payload)
      listeners.add(entry)
      return once(() => {
        const current = channels.get(channel)
        if (!current) return
        current.delete(entry)
        if (current.size === 0) channels.delete(channel)
      })
    },

    listenerCount(channel) {
      if (channel !== undefined) return channels.get(channel)?.size ?? 0
      let count = 0
      for (const listeners of channels.values()) count += listeners.size
      return count
    },

    async ping() {},

    async close() {
      channels.clear()
    },
  }
}
