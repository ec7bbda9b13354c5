import { rm } from "node:fs/promises"
import type { Logger } from "@xionimus/kit"
import type { Store } from "@xionimus/store"
import { checkpointGitDir, type WorkspaceManager } from "@xionimus/workspace"

export interface PurgeJob {
  /**
   * Removes every project whose purgeAfter has passed: the workspace directory and the checkpoints' hidden
   * repository first, then the row (the store drops its sessions and streams with it).
   */
  runOnce(now?: Date): Promise<{ purged: string[] }>
  /** Starts the interval (unref'd: it never keeps the process alive). */
  start(): void
  /** Stops the interval and waits for a run in progress. */
  dispose(): Promise<void>
  readonly running: boolean
}

export interface PurgeJobOptions {
  store: Store
  workspaces: WorkspaceManager
  logger: Logger
  intervalMs: number
  /** Projects removed per database query. */
  batchSize?: number
}

export function createPurgeJob(options: PurgeJobOptions): PurgeJob {
  const { store, workspaces, logger, intervalMs, batchSize = 100 } = options
  let timer: NodeJS.Timeout | undefined
  let current: Promise<{ purged: string[] }> | undefined

  async function purge(now: Date): Promise<{ purged: string[] }> {
    const purged: string[] = []
    for (;;) {
      const projects = await store.projects.listPurgeable(now, batchSize)
      let progressed = false
      for (const project of projects) {
        try {
          // The directory goes first: a row without a directory can be purged again, the reverse leaks disk.
          await workspaces.remove(project.id)
          await rm(checkpointGitDir(workspaces.root, project.id), { recursive: true, force: true })
          await store.projects.purge(project.id)
          purged.push(project.id)
          progressed = true
        } catch (error) {
          logger.error({ err: error, projectId: project.id }, "purging a deleted project failed")
        }
      }
      if (projects.length < batchSize || !progressed) break
    }
    if (purged.length > 0) logger.info({ purged }, "deleted projects purged")
    return { purged }
  }

  const job: PurgeJob = {
    runOnce(now = new Date()) {
      // One run at a time; a caller arriving during a run waits for it and then runs again.
      const previous = current ?? Promise.resolve({ purged: [] })
      const next = previous.catch(() => undefined).then(() => purge(now))
      current = next
      return next.finally(() => {
        if (current === next) current = undefined
      })
    },
    start() {
      if (timer) return
      timer = setInterval(() => {
        job.runOnce().catch((error: unknown) => logger.error({ err: error }, "purge job failed"))
      }, intervalMs)
      timer.unref()
    },
    async dispose() {
      if (timer) clearInterval(timer)
      timer = undefined
      await current?.catch(() => undefined)
    },
    get running() {
      return timer !== undefined
    },
  }
  return job
}
