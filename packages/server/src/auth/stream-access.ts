import type { EventBus } from "@xionimus/bus"
import { AppError, isAppError } from "@xionimus/kit"
import type { FastifyRequest } from "fastify"
import type { RouteGuard } from "./route-guard.ts"

const projectIdPattern = /^prj_[0-9a-f]{14}[0-9A-Za-z]{12}$/
/** A run's output stream, exec_<projectId>_<runId>, belongs to its project. */
const execStreamPattern = /^exec_(prj_[0-9a-f]{14}[0-9A-Za-z]{12})_run_/
/** An agent session's log: readable by whoever may read its project. */
const sessionStreamPattern = /^ses_[0-9A-Za-z_-]{1,64}$/
/** An orchestra run's log (`orc_…`): readable by whoever may read the run's project. */
const runStreamPattern = /^orc_[0-9A-Za-z_-]{1,64}$/
/** A project's run list (`runs_<projectId>`, one `run.listed` per run): readable by the project's readers. */
const runIndexPattern = /^runs_(prj_[0-9a-f]{14}[0-9A-Za-z]{12})$/
/** An import's progress (ImportProgressId): readable by the user whose request started it. */
const importStreamPattern = /^imp_[0-9A-Za-z_-]{16,64}$/

/**
 * Who may read a stream, over REST and the WebSocket alike: a project's, a run's output, a session's, an
 * orchestra run's and a project's run list by the project's readers (a run that does not exist, or whose
 * project the caller may not read, is STREAM_NOT_FOUND like any other stream they may not read); an import's by the user who started it (an empty one by anyone who may create
 * projects: it holds nothing yet). Any other stream is STREAM_NOT_FOUND, so a new kind of stream is closed
 * until it is named here.
 */
export async function checkStreamAccess(
  guard: RouteGuard,
  bus: Pick<EventBus, "read">,
  request: FastifyRequest,
  stream: string,
): Promise<void> {
  if (sessionStreamPattern.test(stream)) {
    await guard.check("project:read", request, { sessionId: stream })
    return
  }
  if (runStreamPattern.test(stream)) {
    try {
      await guard.check("project:read", request, { runId: stream })
    } catch (error) {
      if (isAppError(error) && error.code === "RUN_NOT_FOUND") throw notFound(stream)
      throw error
    }
    return
  }
  const projectId = projectIdPattern.test(stream)
    ? stream
    : (execStreamPattern.exec(stream)?.[1] ?? runIndexPattern.exec(stream)?.[1])
  if (projectId) {
    await guard.check("project:read", request, projectId)
    return
  }
  const who = await guard.check("project:read", request)
  if (importStreamPattern.test(stream)) {
    const [started] = await bus.read(stream, { after: 0, limit: 1 })
    const owner = (started?.data as { userId?: string | null } | undefined)?.userId
    if (!started || (owner !== undefined && owner === (who?.user.id ?? null))) return
  }
  throw notFound(stream)
}

const notFound = (stream: string) =>
  new AppError("STREAM_NOT_FOUND", `There is no stream ${stream} that you may read.`, { stream })
