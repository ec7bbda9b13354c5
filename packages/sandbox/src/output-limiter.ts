import type { OutputChunk } from "./types.ts"

export interface OutputLimiter {
  push(stream: OutputChunk["stream"], data: Buffer): void
  /** Nothing is passed on after this (late chunks of a killed run are dropped). */
  finish(): void
  readonly truncated: boolean
  readonly bytes: { stdout: number; stderr: number }
}

/** The line appended to the stream that crossed the cap. */
export function truncationMarker(limitBytes: number): string {
  return `\n[xionimus: output truncated after ${limitBytes} bytes; the run was stopped]\n`
}

/**
 * Numbers chunks of both streams in arrival order and caps their sum: the chunk that crosses the cap is cut,
 * a marker follows, and `onOverflow` stops the run. Nothing is buffered here, so a flood cannot grow
 * the server's memory; the consumer decides what to keep.
 */
export function createOutputLimiter(
  limitBytes: number,
  consumer: ((chunk: OutputChunk) => void) | undefined,
  onOverflow: () => void,
): OutputLimiter {
  let seq = 0
  let total = 0
  let truncated = false
  let finished = false
  const bytes = { stdout: 0, stderr: 0 }

  function emit(stream: OutputChunk["stream"], data: Buffer): void {
    if (data.length === 0) return
    const chunk = { stream, seq, data }
    seq += 1
    consumer?.(chunk)
  }

  return {
    push(stream, data) {
      if (finished || truncated) return
      const room = limitBytes - total
      if (data.length <= room) {
        total += data.length
        bytes[stream] += data.length
        emit(stream, data)
        return
      }
      const kept = data.subarray(0, Math.max(0, room))
      total += kept.length
      bytes[stream] += kept.length
      truncated = true
      emit(stream, kept)
      emit(stream, Buffer.from(truncationMarker(limitBytes)))
      onOverflow()
    },
    finish() {
      finished = true
    },
    get truncated() {
      return truncated
    },
    bytes,
  }
}
