import { AppError } from "@xionimus/kit"
import {
  CallDiff,
  CheckpointRecordedData,
  SessionId,
  type StoredEvent,
  ToolCalledData,
} from "@xionimus/protocol"
import { checkpointGitDir, readCheckpointChanges } from "@xionimus/workspace"
import { z } from "zod"
import { defineRoute, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"

const pageSize = 1000

export const CallDiffParams = z.strictObject({ sessionId: SessionId, callId: z.string().min(1).max(128) })

/**
 * What one tool call of the agent changed in the project's files: every file between the checkpoint
 * recorded after the call and the one before it (its parent in the project's hidden repository), with
 * both sides of text files. Exact for any tool that changes files (edit, write_file, a command), also
 * when the files changed again since.
 */
export function sessionCallDiffRoutes({ services }: RouteDeps): Route[] {
  const { sessions, bus, workspaces } = services

  /** The call's tool.called and checkpoint.recorded events, read page by page until both are found. */
  async function findCall(sessionId: string, callId: string) {
    let called: z.infer<typeof ToolCalledData> | undefined
    let recorded: z.infer<typeof CheckpointRecordedData> | undefined
    let after = 0
    for (;;) {
      const page: StoredEvent[] = await bus.read(sessionId, { after, limit: pageSize })
      for (const event of page) {
        const data = event.data as { callId?: unknown }
        if (data?.callId !== callId) continue
        if (event.type === "tool.called") called = ToolCalledData.parse(event.data)
        if (event.type === "checkpoint.recorded") recorded = CheckpointRecordedData.parse(event.data)
      }
      if (recorded || page.length < pageSize) return { called, recorded }
      after = page.at(-1)?.seq ?? after
    }
  }

  return [
    defineRoute({
      method: "GET",
      url: "/api/sessions/:sessionId/calls/:callId/diff",
      summary: "What a tool call changed: each file with its text before and after the call",
      description:
        "Taken from the checkpoints recorded before and after the call, so it is exact for edit, write_file and " +
        "commands (run) alike, whatever changed since. Text files up to 1 MiB a side come with both sides (8 MiB " +
        "in all); binary, larger files, symlinks and nested repositories are named with `omitted` saying why. " +
        "CALL_NOT_FOUND when the session has no such call; CALL_NOT_RECORDED when the call has no checkpoint " +
        "(it changed no files, is still running, or the project keeps none); CHECKPOINT_NOT_FOUND when the " +
        "checkpoint is gone.",
      tags: ["sessions"],
      access: "project:read",
      params: CallDiffParams,
      response: { 200: CallDiff },
      async handler({ params }) {
        const { sessionId, callId } = params
        const session = await sessions.get(sessionId)
        const { called, recorded } = await findCall(sessionId, callId)
        if (!called)
          throw new AppError(
            "CALL_NOT_FOUND",
            `The session has no tool call ${callId}; take the id from the session's tool.called events.`,
            { sessionId, callId },
          )
        if (!recorded)
          throw new AppError(
            "CALL_NOT_RECORDED",
            "This tool call has no checkpoint: it changed no files, has not finished yet, or ran where no checkpoints are kept.",
            { sessionId, callId },
          )
        const changes = await readCheckpointChanges(
          { gitDir: checkpointGitDir(workspaces.root, session.projectId) },
          recorded.checkpointId,
        )
        return { sessionId, callId, tool: called.tool, ...changes }
      },
    }),
  ]
}
