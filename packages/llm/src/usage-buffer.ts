import type { Logger } from "@xionimus/kit"
import { silentLogger } from "@xionimus/kit"
import type { UsageRecord } from "./usage-record.ts"

export interface UsageBuffer {
  /** Queues a record; returns at once. A full batch is written on the next turn of the event loop. */
  record(record: UsageRecord): void
  /** Writes what is queued now. */
  flush(): Promise<void>
  /** Flushes and stops the timer. */
  close(): Promise<void>
}

export interface UsageBufferOptions {
  /** Writes a batch in one statement (the store's recordMany). */
  write(records: UsageRecord[]): Promise<void>
  /** Rows per write (default 100). */
  maxBatch?: number
  /** The longest a record waits (default 250 ms). */
  maxDelayMs?: number
  logger?: Logger
}

/**
 * Takes usage rows off the model call's path: the call only queues its record, and rows are written in
 * batches (one insert per batch) on a later turn of the event loop. A crash loses at most the rows
 * of the last `maxDelayMs`; a failed write is logged with the number of rows lost, never thrown at a call.
 */
export function createUsageBuffer(options: UsageBufferOptions): UsageBuffer {
  const logger = options.logger ?? silentLogger()
  const maxBatch = options.maxBatch ?? 100
  const maxDelayMs = options.maxDelayMs ?? 250
  let queue: UsageRecord[] = []
  let timer: NodeJS.Timeout | undefined
  let immediate: NodeJS.Immediate | undefined
  let writing: Promise<void> = Promise.resolve()

  const flush = (): Promise<void> => {
    clearTimeout(timer)
    clearImmediate(immediate)
    timer = undefined
    immediate = undefined
    if (queue.length === 0) return writing
    const batch = queue
    queue = []
    writing = writing.then(() =>
      options.write(batch).catch((error: unknown) => {
        logger.error({ err: error, rows: batch.length }, "writing model usage failed; these rows are lost")
      }),
    )
    return writing
  }

  return {
    record(record) {
      queue.push(record)
      if (queue.length >= maxBatch) immediate ??= setImmediate(() => void flush())
      else if (!timer) {
        timer = setTimeout(() => void flush(), maxDelayMs)
        timer.unref()
      }
    },
    flush,
    close: flush,
  }
}
