import { createHash } from "node:crypto"
import { AppError, newId, silentLogger, toAppError } from "@xionimus/kit"
import {
  type NewEvent,
  PermissionDecision,
  type PermissionRule,
  reduceSession,
  type Session,
  type StoredEvent,
} from "@xionimus/protocol"
import type { SessionRecord } from "@xionimus/store"
import { createBuiltinRegistry } from "@xionimus/tools"
import { runTurn } from "./run-turn.ts"
import { createSessionOperations } from "./session-operations.ts"
import { automaticTitle, defaultTitle } from "./session-title.ts"
import type {
  AgentLimits,
  ReceivedDecision,
  SessionEngine,
  SessionEngineDeps,
  TurnOutcome,
  TurnResult,
} from "./types.ts"

export const defaultLimits: AgentLimits = { maxSteps: 50, loopThreshold: 3, compactAt: 0.8 }
export const defaultLeaseMs = 15_000
export const interruptedMessage = "The server stopped during this turn; resume or retry."
/** Log reads per page when the engine folds a session. */
const pageSize = 1000

interface TurnRequest {
  messageId?: string
  model?: string
  userId: string | null
  resumed: boolean
}

interface RunningTurn {
  turnId: string
  controller: AbortController
  /** Why the turn was stopped from outside: the user, shutdown, or a lease another node took over. */
  stopReason?: "cancel" | "close" | "lease"
  waiters: Map<string, { resolve(answer: ReceivedDecision): void; reject(error: unknown): void }>
  done: Promise<void>
}

/** The id of a turn's `turn.ended`: the turn's own end and a recovering node's never both land. */
const endEventId = (turnId: string) => `evt_end_${turnId}`.slice(0, 64)

const hashOf = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 32)

/**
 * Runs sessions: one turn per session at a time (later messages wait in a FIFO and start one after
 * another), leases so that a dead node's turn is found and marked interrupted, permission answers,
 * cancel and resume. Rewind, fork, export and shares come from createSessionOperations.
 */
export function createSessionEngine(deps: SessionEngineDeps): SessionEngine {
  const logger = deps.logger ?? silentLogger()
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

  async function readLog(sessionId: string): Promise<StoredEvent[]> {
    const events: StoredEvent[] = []
    for (;;) {
      const page = await deps.bus.read(sessionId, { after: events.at(-1)?.seq ?? 0, limit: pageSize })
      events.push(...page)
      if (page.length < pageSize) return events
    }
  }

  async function headOf(sessionId: string): Promise<number> {
    if (deps.log) return deps.log.head(sessionId)
    return (await readLog(sessionId)).at(-1)?.seq ?? 0
  }

  async function withHead(record: SessionRecord): Promise<Session> {
    return { ...record, head: await headOf(record.id) }
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
    entry.done = drive(sessionId, entry, request)
      .catch((error: unknown) => {
        logger.error({ err: error, sessionId, turnId: entry.turnId }, "a turn could not be ended cleanly")
        return { outcome: "failed" } as const
      })
      .then((outcome) => afterTurn(sessionId, entry, outcome.outcome))
    return entry.turnId
  }

  function afterTurn(sessionId: string, entry: RunningTurn, outcome: TurnOutcome["outcome"] | "interrupted") {
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

  /** One turn from lease to `turn.ended`. */
  async function drive(
    sessionId: string,
    entry: RunningTurn,
    request: TurnRequest,
  ): Promise<{ outcome: TurnOutcome["outcome"] | "interrupted" }> {
    const { turnId, controller } = entry
    const record = await deps.sessions.get(sessionId)
    if (!record) return { outcome: "cancelled" }
    const lease = () => ({
      sessionId,
      turnId,
      nodeId: deps.nodeId,
      expiresAt: new Date(clock().getTime() + leaseMs).toISOString(),
    })
    const turnStarted = (model: string) =>
      append(sessionId, "turn.started", {
        turnId,
        ...(request.messageId ? { messageId: request.messageId } : {}),
        resumed: request.resumed,
        model,
      })
    if (!(await deps.sessions.acquireLease(lease()))) {
      await turnStarted(request.model ?? record.model ?? "unknown")
      await append(
        sessionId,
        "turn.ended",
        {
          turnId,
          outcome: "failed",
          error: {
            code: "VALIDATION_FAILED",
            message:
              "Another server is running a turn of this session; send the message again when it has ended.",
          },
        },
        endEventId(turnId),
      )
      return { outcome: "cancelled" }
    }
    const renewal = setInterval(
      () => {
        deps.sessions.renewLease(lease()).then(
          (held) => {
            if (held) return
            logger.warn({ sessionId, turnId }, "the turn's lease was taken over; stopping the turn")
            entry.stopReason ??= "lease"
            controller.abort()
          },
          (error: unknown) =>
            logger.warn({ err: error, sessionId, turnId }, "renewing the turn's lease failed"),
        )
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    )
    let result:
      | TurnResult
      | { outcome: "failed"; error: { code: string; message: string }; usage?: undefined }
    try {
      let model: string
      const router = await deps.routerFor(request.userId)
      try {
        model = request.model ?? record.model ?? router.choose({})
      } catch (error) {
        const failure = toAppError(error)
        await deps.sessions.setRunState(sessionId, "running")
        await turnStarted(request.model ?? record.model ?? "unknown")
        result = { outcome: "failed", error: { code: failure.code, message: failure.message } }
        return await endTurn(sessionId, entry, result)
      }
      await deps.sessions.setRunState(sessionId, "running")
      await turnStarted(model)
      const [history, runtime, permissions] = await Promise.all([
        readLog(sessionId),
        deps.runtimeFor(record.projectId),
        deps.permissions(record.projectId, request.userId),
      ])
      result = await runTurn(
        {
          bus: deps.bus,
          sessions: deps.sessions,
          runtime,
          router,
          tools,
          contextWindowOf: deps.contextWindowOf,
          ...(deps.checkBudget ? { checkBudget: deps.checkBudget } : {}),
          permissions,
          sessionRules: sessionRules.get(sessionId) ?? [],
          onSessionRules: (rules) => sessionRules.set(sessionId, rules),
          ...(deps.saveRules
            ? {
                saveRules: (scope, rules) => deps.saveRules!(record.projectId, request.userId, scope, rules),
              }
            : {}),
          waitForDecision: (requestId, signal) => waitForDecision(entry, requestId, signal),
          limits,
          logger,
          clock,
        },
        {
          sessionId,
          projectId: record.projectId,
          turnId,
          ...(request.messageId ? { messageId: request.messageId } : {}),
          model,
          userId: request.userId,
          signal: controller.signal,
          history,
        },
      )
      return await endTurn(sessionId, entry, result)
    } catch (error) {
      const failure = toAppError(error)
      logger.error({ err: error, sessionId, turnId }, "the turn failed")
      return await endTurn(sessionId, entry, {
        outcome: "failed",
        error: { code: failure.code, message: failure.message },
      })
    } finally {
      clearInterval(renewal)
      await deps.sessions
        .releaseLease(sessionId, turnId)
        .catch((error: unknown) =>
          logger.warn({ err: error, sessionId, turnId }, "releasing the lease failed"),
        )
    }
  }

  async function endTurn(
    sessionId: string,
    entry: RunningTurn,
    result: TurnOutcome & { usage?: TurnResult["usage"] },
  ): Promise<{ outcome: TurnOutcome["outcome"] | "interrupted" }> {
    const stoppedByServer = entry.stopReason === "close" || entry.stopReason === "lease"
    const data =
      result.outcome === "cancelled" && stoppedByServer
        ? { turnId: entry.turnId, outcome: "interrupted" as const, message: interruptedMessage }
        : {
            turnId: entry.turnId,
            outcome: result.outcome,
            ...("message" in result ? { message: result.message } : {}),
            ...("error" in result ? { error: result.error } : {}),
          }
    await append(
      sessionId,
      "turn.ended",
      { ...data, ...(result.usage ? { usage: result.usage } : {}) },
      endEventId(entry.turnId),
    )
    const runState =
      data.outcome === "interrupted" ? "interrupted" : data.outcome === "budget" ? "paused" : "idle"
    await deps.sessions.setRunState(sessionId, runState).catch(() => undefined)
    return { outcome: data.outcome }
  }

  function waitForDecision(
    entry: RunningTurn,
    requestId: string,
    signal: AbortSignal,
  ): Promise<ReceivedDecision> {
    return new Promise<ReceivedDecision>((resolve, reject) => {
      const aborted = () => {
        entry.waiters.delete(requestId)
        reject(new AppError("TOOL_ABORTED", "The tool call was cancelled while waiting for permission."))
      }
      if (signal.aborted) return aborted()
      signal.addEventListener("abort", aborted, { once: true })
      entry.waiters.set(requestId, {
        resolve(answer) {
          signal.removeEventListener("abort", aborted)
          resolve(answer)
        },
        reject(error) {
          signal.removeEventListener("abort", aborted)
          reject(error)
        },
      })
    })
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
      headBefore: await headOf(sessionId),
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
      return withHead(await requireSession(sessionId))
    },

    async list(projectId, query) {
      const page = await deps.sessions.list(projectId, query)
      return { items: await Promise.all(page.items.map(withHead)), nextCursor: page.nextCursor }
    },

    async update(sessionId, patch) {
      const record = await deps.sessions.update(sessionId, patch)
      const data = {
        ...patch,
        ...(patch.title !== undefined ? { automaticTitle: false } : {}),
      }
      const [stored] = await append(sessionId, "session.updated", data)
      return { ...record, head: stored?.seq ?? (await headOf(sessionId)) }
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
        const busy = running.has(sessionId)
        const { eventId, messageId, headBefore } = await messageEvent(sessionId, input.clientId)
        const [stored] = await append(
          sessionId,
          "message.created",
          {
            messageId,
            role: "user",
            text: input.text,
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
        const title = record.title === defaultTitle ? automaticTitle(input.text) : undefined
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
        if (busy) {
          queues.set(sessionId, [...(queues.get(sessionId) ?? []), request])
          return { messageId, queued: true }
        }
        startTurn(sessionId, request)
        return { messageId, queued: false }
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
        const record = await requireSession(sessionId)
        if (running.has(sessionId))
          throw new AppError(
            "VALIDATION_FAILED",
            "A turn is running in this session; wait for it or cancel it.",
          )
        const state = reduceSession(await readLog(sessionId))
        const outcome = state.lastTurn?.outcome
        const resumable =
          state.lastTurn !== null &&
          (record.runState === "interrupted" ||
            record.runState === "paused" ||
            outcome === "interrupted" ||
            outcome === "budget" ||
            outcome === "failed" ||
            outcome === "limit")
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

    async recover() {
      const leases = await deps.sessions.expiredLeases(clock().toISOString(), 100)
      let interrupted = 0
      for (const lease of leases) {
        if (running.get(lease.sessionId)?.turnId === lease.turnId) continue
        try {
          const state = reduceSession(await readLog(lease.sessionId))
          const turn = state.lastTurn
          if (turn?.turnId === lease.turnId && !turn.outcome) {
            const events: NewEvent[] = []
            for (const message of state.allMessages) {
              if (message.role === "assistant" && message.turnId === lease.turnId && !message.finish)
                events.push({
                  id: newId("evt"),
                  type: "assistant.finished",
                  data: { messageId: message.id, reason: "cancelled", model: message.model },
                })
            }
            events.push({
              id: endEventId(lease.turnId),
              type: "turn.ended",
              data: { turnId: lease.turnId, outcome: "interrupted", message: interruptedMessage },
            })
            await deps.bus.append(lease.sessionId, events)
            await deps.sessions.setRunState(lease.sessionId, "interrupted")
            interrupted++
          }
          await deps.sessions.releaseLease(lease.sessionId, lease.turnId)
        } catch (error) {
          logger.error(
            { err: error, sessionId: lease.sessionId, turnId: lease.turnId },
            "recovering a turn failed",
          )
        }
      }
      return interrupted
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
