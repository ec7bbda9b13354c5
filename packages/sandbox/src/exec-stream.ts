import type { ExecRequest, ExecResult, OutputChunk } from "./types.ts"

/**
 * Turns a callback-style exec into an async iterator of chunks followed by `{ result }`. Chunks wait in a
 * queue until read; a consumer that stops early (break) aborts the run.
 */
export async function* execAsStream(
  exec: (request: ExecRequest) => Promise<ExecResult>,
  request: Omit<ExecRequest, "onOutput">,
): AsyncGenerator<OutputChunk | { result: ExecResult }> {
  const queue: OutputChunk[] = []
  let wake: (() => void) | null = null
  let done: ExecResult | null = null
  let failure: unknown = null
  const controller = new AbortController()
  const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal
  const notify = () => {
    wake?.()
    wake = null
  }
  exec({
    ...request,
    signal,
    onOutput: (chunk) => {
      queue.push(chunk)
      notify()
    },
  }).then(
    (result) => {
      done = result
      notify()
    },
    (error: unknown) => {
      failure = error ?? new Error("exec failed")
      notify()
    },
  )
  try {
    for (;;) {
      const chunk = queue.shift()
      if (chunk) {
        yield chunk
        continue
      }
      if (failure) throw failure
      if (done) {
        yield { result: done }
        return
      }
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
  } finally {
    if (!done) controller.abort()
  }
}
