import { AppError, type Logger, newId, toAppError } from "@xionimus/kit"
import { type PermissionRule, reduceSession } from "@xionimus/protocol"
import type { ToolRegistry } from "@xionimus/tools"
import { endEventId, interruptedMessage, interruptionEvents } from "./recover-turns.ts"
import { runTurn } from "./run-turn.ts"
import { readLog } from "./session-log.ts"
import { sessionRulesFromLog } from "./session-rules.ts"
import type { AgentLimits, ReceivedDecision, SessionEngineDeps, TurnOutcome, TurnResult } from "./types.ts"

/** What starts a turn: a user message, or a resume (no message). */
export interface TurnRequest {
  messageId?: string
  model?: string
  userId: string | null
  resumed: boolean
}

/** A turn this process runs. */
export interface RunningTurn {
  turnId: string
  controller: AbortController
  /** Why the turn was stopped from outside: the user, shutdown, or a lease another node took over. */
  stopReason?: "cancel" | "close" | "lease"
  /** Permission questions waiting for decide(), by request id. */
  waiters: Map<string, { resolve(answer: ReceivedDecision): void; reject(error: unknown): void }>
  done: Promise<void>
}

export type DrivenOutcome = TurnOutcome["outcome"] | "interrupted"

/** The engine's settings a turn runs with. */
export interface DriverContext {
  deps: SessionEngineDeps
  limits: AgentLimits
  tools: ToolRegistry
  logger: Logger
  clock: () => Date
  leaseMs: number
  /** "Allow always" answers per session, kept between turns. */
  sessionRules: Map<string, PermissionRule[]>
}

/**
 * One turn from lease to `turn.ended`: takes the session's lease (and renews it every third of
 * leaseMs; losing it stops the turn as interrupted), appends `turn.started`, runs the loop, appends
 * `turn.ended` and sets the run state, then releases the lease.
 */
export async function driveTurn(
  context: DriverContext,
  sessionId: string,
  entry: RunningTurn,
  request: TurnRequest,
): Promise<DrivenOutcome> {
  const { deps, logger, clock, leaseMs } = context
  const { turnId, controller } = entry
  const record = await deps.sessions.get(sessionId)
  if (!record) return "cancelled"
  const append = (type: string, data: unknown, id?: string) =>
    deps.bus.append(sessionId, [{ id: id ?? newId("evt"), type, data }])
  const lease = () => ({
    sessionId,
    turnId,
    nodeId: deps.nodeId,
    expiresAt: new Date(clock().getTime() + leaseMs).toISOString(),
  })
  const turnStarted = (model: string) =>
    append("turn.started", {
      turnId,
      ...(request.messageId ? { messageId: request.messageId } : {}),
      resumed: request.resumed,
      model,
    })
  // Another node may be running a turn of this session (a message sent through it): wait for its
  // lease to end (released, or expired and recovered), as a queued message would.
  while (!(await deps.sessions.acquireLease(lease()))) {
    if (!(await pause(Math.min(1_000, Math.floor(leaseMs / 3)), controller.signal))) return "cancelled"
  }
  // A turn whose node died and whose lease expired before recover() saw it: end it first.
  const current = await deps.sessions.get(sessionId)
  if (current?.runState === "running" || current?.runState === "paused") {
    const before = reduceSession(await readLog(deps, sessionId))
    const unended = before.lastTurn && !before.lastTurn.outcome ? before.lastTurn.turnId : undefined
    if (unended && unended !== turnId) await deps.bus.append(sessionId, interruptionEvents(before, unended))
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

  async function end(result: TurnOutcome & { usage?: TurnResult["usage"] }): Promise<DrivenOutcome> {
    const stoppedByServer = entry.stopReason === "close" || entry.stopReason === "lease"
    const data =
      result.outcome === "cancelled" && stoppedByServer
        ? { turnId, outcome: "interrupted" as const, message: interruptedMessage }
        : {
            turnId,
            outcome: result.outcome,
            ...("message" in result ? { message: result.message } : {}),
            ...("error" in result ? { error: result.error } : {}),
          }
    await append(
      "turn.ended",
      { ...data, ...(result.usage ? { usage: result.usage } : {}) },
      endEventId(turnId),
    )
    const runState =
      data.outcome === "interrupted" ? "interrupted" : data.outcome === "budget" ? "paused" : "idle"
    await deps.sessions
      .setRunState(sessionId, runState)
      .catch((error: unknown) => logger.warn({ err: error, sessionId }, "setting the run state failed"))
    return data.outcome
  }

  try {
    const router = await deps.routerFor(request.userId)
    let model: string
    try {
      model = request.model ?? record.model ?? router.choose({})
    } catch (error) {
      // No model configured: the turn starts and fails at once, saying what to configure.
      const failure = toAppError(error)
      await deps.sessions.setRunState(sessionId, "running")
      await turnStarted(request.model ?? record.model ?? "unknown")
      return await end({ outcome: "failed", error: { code: failure.code, message: failure.message } })
    }
    await deps.sessions.setRunState(sessionId, "running")
    await turnStarted(model)
    const [history, runtime, permissions] = await Promise.all([
      readLog(deps, sessionId),
      deps.runtimeFor(record.projectId, { userId: request.userId }),
      deps.permissions(record.projectId, request.userId),
    ])
    const result = await runTurn(
      {
        bus: deps.bus,
        sessions: deps.sessions,
        runtime,
        router,
        tools: context.tools,
        contextWindowOf: deps.contextWindowOf,
        ...(deps.readsImages ? { readsImages: deps.readsImages } : {}),
        ...(deps.checkBudget ? { checkBudget: deps.checkBudget } : {}),
        permissions,
        // Kept in memory while this process runs; after a restart rebuilt from the answers in the log.
        sessionRules: context.sessionRules.get(sessionId) ?? sessionRulesFromLog(history),
        onSessionRules: (rules) => context.sessionRules.set(sessionId, rules),
        ...(deps.saveRules
          ? {
              saveRules: (scope, rules, decidedBy) =>
                deps.saveRules!(record.projectId, decidedBy ?? request.userId, scope, rules),
            }
          : {}),
        waitForDecision: (requestId, signal) => waitForDecision(entry, requestId, signal),
        limits: context.limits,
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
    return await end(result)
  } catch (error) {
    const failure = toAppError(error)
    logger.error({ err: error, sessionId, turnId }, "the turn failed")
    return await end({ outcome: "failed", error: { code: failure.code, message: failure.message } })
  } finally {
    clearInterval(renewal)
    await deps.sessions
      .releaseLease(sessionId, turnId)
      .catch((error: unknown) => logger.warn({ err: error, sessionId, turnId }, "releasing the lease failed"))
  }
}

/** Waits `ms`; false when the signal aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false)
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", aborted)
      resolve(true)
    }, ms)
    const aborted = () => {
      clearTimeout(timer)
      resolve(false)
    }
    signal.addEventListener("abort", aborted, { once: true })
  })
}

/** A waiter for decide(); rejects (TOOL_ABORTED) when the turn's signal aborts. */
export function waitForDecision(
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
