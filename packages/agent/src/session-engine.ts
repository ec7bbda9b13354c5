import { createHash } from "node:crypto"
import { AppError, newId, silentLogger } from "@xionimus/kit"
import { type NewEvent, PermissionDecision, type PermissionRule, reduceSession } from "@xionimus/protocol"
import type { SessionRecord } from "@xionimus/store"
import { createBuiltinRegistry } from "@xionimus/tools"
import { checkAttachments } from "./attached-images.ts"
import { recoverTurns } from "./recover-turns.ts"
import { announcingSessions } from "./session-announcer.ts"
import { headOf, readLog, withHead } from "./session-log.ts"
import { createSessionOperations } from "./session-operations.ts"
import { automaticTitle, defaultTitle } from "./session-title.ts"
import {
  type DrivenOutcome,
  type DriverContext,
  driveTurn,
  type RunningTurn,
  type TurnRequest,
} from "./turn-driver.ts"
import type { AgentLimits, SessionEngine, SessionEngineDeps } from "./types.ts"

export { interruptedMessage } from "./recover-turns.ts"
export const defaultLimits: AgentLimits = { maxSteps: 50, loopThreshold: 3, compactAt: 0.8 }
export const defaultLeaseMs = 15_000

const hashOf = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32)

/**
 * Runs sessions: one turn per session at a time (later messages wait in a FIFO and start one after
 * another), leases so that a dead node's turn is found and marked interrupted, permission answers,
 * cancel and resume. Rewind, fork, export and shares come from createSessionOperations.
 */
export function createSessionEngine(input: SessionEngineDeps): SessionEngine {
  const logger = input.logger ?? silentLogger()
  const deps: SessionEngineDeps = {
    ...input,
    sessions: announcingSessions(input.sessions, input.bus, logger),
  }
  const clock = deps.clock ?? (() => new Date())
  const leaseMs = deps.leaseMs ?? defaultLeaseMs
  const limits: AgentLimits = { ...defaultLimits, ...deps.limits }
  const tools = deps.tools ?? createBuiltinRegistry()
  const running = new Map<string, RunningTurn>()
  const queues = new Map<string, TurnRequest[]>()
  const idleWaiters = new Map<string, (() => void)[]>()
  const sessionRules = new Map<string, PermissionRule[]>()
  const locks = new Map<string, Promise<unknown>>()
  let closing = false
  const context: DriverContext = { deps, limits, tools, logger, clock, leaseMs, sessionRules }

  /** Runs `work` after earlier work on the same session (sends, resumes). */
  function withLock<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = locks.get(sessionId) ?? Promise.resolve()
    const next = previous.then(work, work)
    const settled = next.catch(() => undefined)
    locks.set(sessionId, settled)
    settled.then(() => {
      if (locks.get(sessionId) === settled) locks.delete(sessionId)
    })
    return next
  }

  function refuseWhenClosed(): void {
    if (closing)
      throw new AppError("SHUTTING_DOWN", "The server is shutting down; send the message again in a moment.")
  }

  async function requireSession(sessionId: string): Promise<SessionRecord> {
    const record = await deps.sessions.get(sessionId)
    if (!record) throw new AppError("SESSION_NOT_FOUND", `There is no session ${sessionId}.`)
    return record
  }

  const append = (sessionId: string, type: string, data: unknown, id = newId("evt")) =>
    deps.bus.append(sessionId, [{ id, type, data }])

  function notifyIdle(sessionId: string): void {
    const waiters = idleWaiters.get(sessionId)
    idleWaiters.delete(sessionId)
    for (const resolve of waiters ?? []) resolve()
  }

  function startTurn(sessionId: string, request: TurnRequest): string {
    const entry: RunningTurn = {
      turnId: newId("trn"),
      controller: new AbortController(),
      waiters: new Map(),
      done: Promise.resolve(),
    }
    running.set(sessionId, entry)
    entry.done = driveTurn(context, sessionId, entry, request)
      .catch((error: unknown) => {
        logger.error({ err: error, sessionId, turnId: entry.turnId }, "a turn could not be ended cleanly")
        return "failed" as const
      })
      .then((outcome) => afterTurn(sessionId, entry, outcome))
    return entry.turnId
  }

  function afterTurn(sessionId: string, entry: RunningTurn, outcome: DrivenOutcome) {
    if (running.get(sessionId) === entry) running.delete(sessionId)
    for (const waiter of entry.waiters.values())
      waiter.reject(new AppError("TOOL_ABORTED", "The turn ended while waiting for permission."))
    entry.waiters.clear()
    // A cancel drops the turns of queued messages (the messages stay in the log, unanswered).
    if (outcome === "cancelled") queues.delete(sessionId)
    const startsNext = outcome === "completed" || outcome === "failed" || outcome === "limit"
    const next = !closing && startsNext ? queues.get(sessionId)?.shift() : undefined
    if (queues.get(sessionId)?.length === 0) queues.delete(sessionId)
    if (next) startTurn(sessionId, next)
    else notifyIdle(sessionId)
  }

  async function messageEvent(
    sessionId: string,
    clientId: string | undefined,
  ): Promise<{ eventId: string; messageId: string; headBefore: number | undefined }> {
    if (!clientId) return { eventId: newId("evt"), messageId: newId("msg"), headBefore: undefined }
    const hash = hashOf(`${sessionId}\u0000${clientId}`)
    return {
      eventId: `evt_client_${hash}`,
      messageId: `msg_client_${hash}`,
      headBefore: await headOf(deps, sessionId),
    }
  }

  const engine: SessionEngine = {
    ...createSessionOperations(deps, { isRunning: (sessionId) => running.has(sessionId) }),

    async create(input) {
      refuseWhenClosed()
      const id = newId("ses")
      const title = input.title ?? defaultTitle
      const model = input.model ?? null
      const record = await deps.sessions.create({
        id,
        projectId: input.projectId,
        title,
        model,
        tags: input.tags ?? [],
        createdBy: input.createdBy,
      })
      const events: NewEvent[] = [
        {
          id: newId("evt"),
          type: "session.created",
          data: { projectId: input.projectId, title, model, forkedFrom: null },
        },
      ]
      if (input.tags?.length)
        events.push({ id: newId("evt"), type: "session.updated", data: { tags: input.tags } })
      const stored = await deps.bus.append(id, events)
      return { ...record, head: stored.at(-1)?.seq ?? 0 }
    },

    async get(sessionId) {
      return withHead(deps, await requireSession(sessionId))
    },

    async list(projectId, query) {
      const page = await deps.sessions.list(projectId, query)
      return {
        items: await Promise.all(page.items.map((record) => withHead(deps, record))),
        nextCursor: page.nextCursor,
      }
    },

    async update(sessionId, patch) {
      const record = await deps.sessions.update(sessionId, patch)
      const data = {
        ...patch,
        ...(patch.title !== undefined ? { automaticTitle: false } : {}),
      }
      const [stored] = await append(sessionId, "session.updated", data)
      return { ...record, head: stored?.seq ?? (await headOf(deps, sessionId)) }
    },

    async remove(sessionId) {
      await requireSession(sessionId)
      const entry = running.get(sessionId)
      if (entry) {
        queues.delete(sessionId)
        entry.stopReason = "cancel"
        entry.controller.abort()
        await entry.done
      }
      // The repository removes the row together with its log, shares and lease.
      await deps.sessions.remove(sessionId)
      sessionRules.delete(sessionId)
    },

    send(sessionId, input) {
      return withLock(sessionId, async () => {
        refuseWhenClosed()
        const record = await requireSession(sessionId)
        // A turn runs here, or on another node (the row says running, or paused on a question): the
        // message waits for it. (After a budget pause the row says paused too; the turn then starts
        // at once and the reducer takes the message out of the queue.)
        const attachments = input.attachments?.length
          ? await checkAttachments((await deps.runtimeFor(record.projectId)).files, input.attachments)
          : []
        const busy = running.has(sessionId) || record.runState === "running" || record.runState === "paused"
        const { eventId, messageId, headBefore } = await messageEvent(sessionId, input.clientId)
        const [stored] = await append(
          sessionId,
          "message.created",
          {
            messageId,
            role: "user",
            text: input.text,
            ...(attachments.length > 0 ? { attachments } : {}),
            queued: busy,
            ...(input.model ? { model: input.model } : {}),
            authorId: input.authorId,
          },
          eventId,
        )
        if (headBefore !== undefined && stored && stored.seq <= headBefore) {
          // The same clientId again: the message exists; nothing new starts.
          const data = stored.data as { messageId: string; queued?: boolean }
          return { messageId: data.messageId, queued: data.queued === true }
        }
        await deps.sessions.indexText(sessionId, input.text)
        // A message of attachments only is titled by the first file's name.
        const titleText = input.text.trim() || (attachments[0]?.split("/").pop() ?? "")
        const title = record.title === defaultTitle ? automaticTitle(titleText) : undefined
        if (title) {
          await deps.sessions.update(sessionId, { title })
          await append(sessionId, "session.updated", { title, automaticTitle: true })
        }
        const request: TurnRequest = {
          messageId,
          ...(input.model ? { model: input.model } : {}),
          userId: input.authorId,
          resumed: false,
        }
        // Checked again: the running turn may have ended while the message was appended. A turn on
        // another node is waited for by the new turn's lease.
        if (running.has(sessionId)) {
          queues.set(sessionId, [...(queues.get(sessionId) ?? []), request])
          return { messageId, queued: true }
        }
        startTurn(sessionId, request)
        return { messageId, queued: busy }
      })
    },

    async cancel(sessionId) {
      const entry = running.get(sessionId)
      if (!entry) {
        await requireSession(sessionId)
        throw new AppError("TURN_NOT_RUNNING", "The session has no running turn to cancel.")
      }
      queues.delete(sessionId)
      entry.stopReason ??= "cancel"
      entry.controller.abort()
      await entry.done
    },

    async decide(sessionId, requestId, given, actor) {
      // Defaults (allow-always without a scope is for the session) also for in-process callers.
      const parsed = PermissionDecision.safeParse(given)
      if (!parsed.success)
        throw new AppError("VALIDATION_FAILED", "The decision is not allow-once, allow-always or deny.", {
          issues: parsed.error.issues,
        })
      const decision = parsed.data
      const entry = running.get(sessionId)
      const waiter = entry?.waiters.get(requestId)
      if (!entry || !waiter) {
        throw new AppError(
          "PERMISSION_REQUEST_NOT_FOUND",
          `No open permission request ${requestId} in this session; it was answered already or its turn ended.`,
        )
      }
      entry.waiters.delete(requestId)
      try {
        await append(sessionId, "permission.decided", { requestId, decision, decidedBy: actor })
        await deps.sessions.setRunState(sessionId, "running")
      } catch (error) {
        waiter.reject(error)
        throw error
      }
      waiter.resolve({ decision, decidedBy: actor })
    },

    resume(sessionId, actor) {
      return withLock(sessionId, async () => {
        refuseWhenClosed()
        await requireSession(sessionId)
        if (running.has(sessionId))
          throw new AppError(
            "VALIDATION_FAILED",
            "A turn is running in this session; wait for it or cancel it.",
          )
        const state = reduceSession(await readLog(deps, sessionId))
        const outcome = state.lastTurn?.outcome
        if (state.lastTurn && !outcome)
          throw new AppError(
            "NOTHING_TO_RESUME",
            "The session's last turn has not ended: it runs on another server, or its server stopped less than a lease period ago and it will show as interrupted shortly. Try again in a moment.",
          )
        const resumable =
          outcome === "interrupted" || outcome === "budget" || outcome === "failed" || outcome === "limit"
        if (!resumable)
          throw new AppError(
            "NOTHING_TO_RESUME",
            "The session's last turn ended normally (or none ran); send a message instead.",
          )
        // Messages that were waiting when the server stopped run after the resumed turn.
        if (!queues.has(sessionId) && state.queued.length > 0) {
          const waiting = state.queued.flatMap((id) => {
            const message = state.messages.find((candidate) => candidate.id === id)
            return message?.role === "user"
              ? [
                  {
                    messageId: id,
                    ...(message.model ? { model: message.model } : {}),
                    userId: message.authorId,
                    resumed: false,
                  },
                ]
              : []
          })
          queues.set(sessionId, waiting)
        }
        return { turnId: startTurn(sessionId, { userId: actor, resumed: true }) }
      })
    },

    recover() {
      return recoverTurns(deps, {
        now: clock(),
        logger,
        runsHere: (sessionId, turnId) => running.get(sessionId)?.turnId === turnId,
      })
    },

    idle(sessionId) {
      if (!running.has(sessionId)) return Promise.resolve()
      return new Promise<void>((resolve) => {
        idleWaiters.set(sessionId, [...(idleWaiters.get(sessionId) ?? []), resolve])
      })
    },

    async close() {
      closing = true
      const entries = [...running.values()]
      for (const entry of entries) {
        entry.stopReason ??= "close"
        entry.controller.abort()
      }
      await Promise.all(entries.map((entry) => entry.done))
      queues.clear()
    },
  }
  return engine
}
