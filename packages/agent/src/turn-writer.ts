import type { EventBus } from "@xionimus/bus"
import { newId } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"

/** Streamed text is gathered for this long before it becomes one event. */
export const coalesceMs = 50

type DeltaType = "assistant.text" | "assistant.reasoning" | "tool.output"

interface Pending {
  type: DeltaType
  /** messageId for assistant text, callId for tool output. */
  owner: string
  text: string
}

/**
 * Appends one turn's events to the session's log in order. Streamed text (assistant text and
 * reasoning, tool output) is coalesced: consecutive pieces become one event per ~50 ms, and any other
 * event first flushes what is gathered, so the log reads in the order things happened. Appends run one
 * after another; `onStored` sees every stored event in seq order (the turn folds them into its state).
 */
export interface TurnWriter {
  /** Appends an event after everything before it; resolves with the stored event. */
  event(type: string, data: unknown, id?: string): Promise<StoredEvent>
  /** Gathers streamed text; appended within ~50 ms or before the next event. */
  delta(type: DeltaType, owner: string, text: string): void
  /** Appends what is gathered and waits for every append so far. */
  flush(): Promise<void>
}

export function createTurnWriter(
  bus: Pick<EventBus, "append">,
  stream: string,
  onStored: (event: StoredEvent) => void,
): TurnWriter {
  let chain: Promise<unknown> = Promise.resolve()
  let failure: unknown
  let pending: Pending[] = []
  let timer: ReturnType<typeof setTimeout> | undefined

  function enqueue(events: { id: string; type: string; data: unknown }[]): Promise<StoredEvent[]> {
    const run = chain.then(async () => {
      if (failure) throw failure
      try {
        const stored = await bus.append(stream, events)
        for (const event of stored) onStored(event)
        return stored
      } catch (error) {
        failure = error
        throw error
      }
    })
    chain = run.catch(() => undefined)
    return run
  }

  function takePending(): Promise<StoredEvent[]> | undefined {
    if (timer) {
      clearTimeout(timer)
      timer = undefined
    }
    if (pending.length === 0) return undefined
    const events = pending.map(({ type, owner, text }) => ({
      id: newId("evt"),
      type,
      data: type === "tool.output" ? { callId: owner, text } : { messageId: owner, text },
    }))
    pending = []
    return enqueue(events)
  }

  return {
    async event(type, data, id = newId("evt")) {
      void takePending()?.catch(() => undefined)
      const [stored] = await enqueue([{ id, type, data }])
      return stored!
    },
    delta(type, owner, text) {
      if (text === "") return
      const last = pending.at(-1)
      if (last && last.type === type && last.owner === owner) last.text += text
      else pending.push({ type, owner, text })
      if (!timer) {
        timer = setTimeout(() => {
          timer = undefined
          void takePending()?.catch(() => undefined)
        }, coalesceMs)
      }
    },
    async flush() {
      void takePending()?.catch(() => undefined)
      await chain
      if (failure) throw failure
    },
  }
}
