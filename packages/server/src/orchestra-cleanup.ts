import type { EventBus, Subscription } from "@xionimus/bus"
import type { Logger } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"

export interface RunCleanupDeps {
  bus: EventBus
  /** Deletes a package's worktree (no-op when it is gone). */
  removeWorktree(runId: string, packageId: string): Promise<void>
  /** Deletes every worktree of the run and its folder. */
  removeRun(runId: string): Promise<void>
  /** Releases the sandbox of a package (its cgroup, its runs). */
  releaseSandbox(runId: string, packageId: string): Promise<void>
  /** Whether the run has ended, and its packages (read when the host closes). */
  state(runId: string): Promise<{ ended: unknown; packages: { id: string }[] }>
  logger: Logger
}

/** Removes what a run's packages held once they are done or cancelled, and everything once the run ended. */
export interface RunCleanup {
  /** Follows the run's log from `after` (once per run and process); `packages` are the run's so far. */
  watch(runId: string, after: number, packages: readonly string[]): void
  /** Cleans up after a run that has ended (a cancel, for one). */
  ended(runId: string, packages: readonly string[]): void
  /** Stops following; runs that ended meanwhile are cleaned up first. */
  close(): Promise<void>
}

const finalStates = new Set(["done", "cancelled"])

/**
 * A package's worktree is removed when the package is done (its merge is recorded by then, so a resumed
 * run never needs it again) or cancelled; the run's folder when the run ends. Cleanup failures are
 * logged: leftovers waste disk but never change a run.
 */
export function createRunCleanup(deps: RunCleanupDeps): RunCleanup {
  const { logger } = deps
  const watched = new Map<string, Promise<Subscription | null>>()
  const pending = new Set<Promise<void>>()

  function track(work: () => Promise<void>, context: Record<string, unknown>): void {
    const promise = work()
      .catch((error: unknown) => logger.warn({ err: error, ...context }, "orchestra cleanup failed"))
      .finally(() => pending.delete(promise))
    pending.add(promise)
  }

  async function endRun(runId: string, packages: readonly string[]): Promise<void> {
    await deps.removeRun(runId)
    for (const packageId of packages) await deps.releaseSandbox(runId, packageId)
  }

  function onEvent(runId: string, packages: Set<string>, event: StoredEvent): void {
    const data = event.data as { id?: string; to?: string }
    if (event.type === "package.created" && data.id) packages.add(data.id)
    if (event.type === "package.moved" && data.id && data.to && finalStates.has(data.to)) {
      const packageId = data.id
      track(
        async () => {
          await deps.removeWorktree(runId, packageId)
          await deps.releaseSandbox(runId, packageId)
        },
        { runId, packageId },
      )
    }
    if (event.type === "run.ended") {
      track(() => endRun(runId, [...packages]), { runId })
      const subscription = watched.get(runId)
      void subscription?.then((held) => held?.dispose())
    }
  }

  return {
    watch(runId, after, known) {
      if (watched.has(runId)) return
      const packages = new Set<string>(known)
      const subscription = deps.bus
        .subscribe(runId, { after, onEvent: (event) => onEvent(runId, packages, event) })
        .catch((error: unknown) => {
          logger.warn({ err: error, runId }, "the run's cleanup does not follow it")
          return null
        })
      watched.set(runId, subscription)
    },
    ended(runId, packages) {
      track(() => endRun(runId, packages), { runId })
    },
    async close() {
      for (const [runId, subscription] of watched) {
        ;(await subscription)?.dispose()
        // The run.ended event may not have reached the subscription before the close.
        const state = await deps.state(runId).catch(() => null)
        if (state?.ended)
          track(
            () =>
              endRun(
                runId,
                state.packages.map((item) => item.id),
              ),
            { runId },
          )
      }
      watched.clear()
      await Promise.all([...pending])
    },
  }
}
