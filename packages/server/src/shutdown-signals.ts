import type { Disposer } from "@xionimus/kit"

/**
 * Calls `close` once on the first SIGINT or SIGTERM; a second signal exits at once (the operator insists).
 * Returns a disposer that removes the handlers. startServer never installs these itself: the CLI does.
 */
export function onShutdownSignals(
  close: () => Promise<void>,
  options: { onError?: (error: unknown) => void; exit?: (code: number) => void } = {},
): Disposer {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  let started = false
  const handler = (): void => {
    if (started) {
      exit(130)
      return
    }
    started = true
    close().then(
      () => exit(0),
      (error: unknown) => {
        options.onError?.(error)
        exit(1)
      },
    )
  }
  process.on("SIGINT", handler)
  process.on("SIGTERM", handler)
  return () => {
    process.off("SIGINT", handler)
    process.off("SIGTERM", handler)
  }
}
