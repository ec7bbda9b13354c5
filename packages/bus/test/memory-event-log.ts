import type { EventLog } from "@xionimus/bus"
import type { StoredEvent } from "@xionimus/protocol"

/** A minimal in-memory EventLog whose reads can be held back, to stage races in bus tests. */
export function createMemoryEventLog() {
  const streams = new Map<string, StoredEvent[]>()
  let readsOpen: Promise<void> = Promise.resolve()
  let failure: Error | undefined
  const log: EventLog = {
    async append(stream, events) {
      const stored = streams.get(stream) ?? []
      streams.set(stream, stored)
      return events.map((event) => {
        const existing = stored.find((candidate) => candidate.id === event.id)
        if (existing) return existing
        const added = { ...event, stream, seq: stored.length + 1, time: new Date().toISOString() }
        stored.push(added)
        return added
      })
    },
    async read(stream, { after, limit }) {
      await readsOpen
      if (failure) throw failure
      return (streams.get(stream) ?? []).filter((event) => event.seq > after).slice(0, limit)
    },
    async head(stream) {
      return streams.get(stream)?.length ?? 0
    },
  }
  return {
    log,
    /** Reads wait until the returned function is called. */
    holdReads(): () => void {
      let open: () => void = () => {}
      readsOpen = new Promise((resolve) => {
        open = resolve
      })
      return open
    },
    /** Every read from now on rejects with `error`. */
    failReads(error: Error): void {
      failure = error
    },
  }
}
