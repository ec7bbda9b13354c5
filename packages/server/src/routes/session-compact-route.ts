import { buildSystemPrompt, planCompaction } from "@xionimus/agent"
import { AppError, newId } from "@xionimus/kit"
import { CompactResult, reduceSession, type StoredEvent } from "@xionimus/protocol"
import { createBuiltinRegistry } from "@xionimus/tools"
import { defineRoute, type Route } from "../define-route.ts"
import { findLiveProject } from "../project-access.ts"
import type { RouteDeps } from "../route-deps.ts"
import { SessionParams } from "./session-schemas.ts"

const pageSize = 1000

/**
 * Compaction on demand (the chat's /compact): what a turn does by itself near the model's context
 * window, done now — tool outputs older than the last two exchanges are pruned and the messages before
 * the latest user message are summarised by the session's model. Refused while a turn runs: the
 * turn compacts by itself and owns the session meanwhile.
 */
export function sessionCompactRoutes({ services, logger }: RouteDeps): Route[] {
  const { sessions, bus, llm, store, workspaces } = services
  // The prompt is measured with the built-in tools' definitions, as turns send them.
  const tools = createBuiltinRegistry()
    .definitions()
    .map((tool) => ({ name: tool.id, description: tool.description, parameters: tool.inputSchema }))
  /** Sessions being compacted by this process: a second request waits for nothing and is refused. */
  const compacting = new Set<string>()

  async function readAll(sessionId: string): Promise<StoredEvent[]> {
    const events: StoredEvent[] = []
    for (;;) {
      const page = await bus.read(sessionId, { after: events.at(-1)?.seq ?? 0, limit: pageSize })
      events.push(...page)
      if (page.length < pageSize) return events
    }
  }

  return [
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/compact",
      summary: "Compact the conversation now: prune old tool outputs, summarise older messages",
      description:
        "Appends a session.compacted event (the log keeps every original) and answers the estimated prompt " +
        "tokens before and after; `compacted: false` when there is nothing to compact yet. The summary is " +
        "written by the session's model and billed to the session. Refused while a turn runs (TURN_RUNNING).",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      response: { 200: CompactResult },
      async handler({ params, principal, request, reply }) {
        const { sessionId } = params
        const session = await sessions.get(sessionId)
        await findLiveProject(store, session.projectId)
        if (session.runState === "running" || session.runState === "paused" || compacting.has(sessionId))
          throw new AppError(
            "TURN_RUNNING",
            "A turn of this session is running (it compacts by itself when needed); wait until it ends, then compact.",
          )
        compacting.add(sessionId)
        try {
          const userId = principal?.user.id
          const router = await llm.routerFor(userId)
          const model = session.model ?? router.choose({})
          const scope = { ...(userId ? { userId } : {}), projectId: session.projectId, sessionId }
          const verdict = await llm.checkBudget(scope)
          if (!verdict.allowed)
            throw new AppError(
              "BUDGET_EXCEEDED",
              verdict.message ?? "A spending budget covering this session is used up.",
            )
          const controller = new AbortController()
          // A client that hangs up stops the summary it no longer waits for.
          reply.raw.once("close", () => {
            if (!reply.raw.writableFinished) controller.abort()
          })
          const planned = await planCompaction({
            state: reduceSession(await readAll(sessionId)),
            system: await buildSystemPrompt(workspaces.files(session.projectId)),
            tools,
            model,
            contextWindow: llm.catalog.lookup(model).entry.contextWindow,
            // Any size: compact now.
            compactAt: 0,
            router,
            scope,
            signal: controller.signal,
            // The app's logger (the agent takes ours, not Fastify's); the request id goes along.
            logger: logger.child({ requestId: request.id, sessionId }),
          })
          if (!planned) return { compacted: false, tokensBefore: null, tokensAfter: null }
          if (planned.usage) await store.sessions.addUsage(sessionId, planned.usage)
          await bus.append(sessionId, [
            { id: newId("evt"), type: "session.compacted", data: planned.compaction },
          ])
          const { tokensBefore, tokensAfter } = planned.compaction
          return { compacted: true, tokensBefore, tokensAfter }
        } finally {
          compacting.delete(sessionId)
        }
      },
    }),
  ]
}
