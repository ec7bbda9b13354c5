import { AppError, newId, toAppError } from "@xionimus/kit"
import { type ModelPart, type ToolSpec, toolCallCorrection } from "@xionimus/llm"
import {
  applySessionEvent,
  type PermissionDecision,
  type PermissionRequest,
  type PermissionRule,
  reduceSession,
  type SessionState,
  type SessionUsage,
} from "@xionimus/protocol"
import { createPermissionGate, createSessionState, type TodoItem, type ToolOutcome } from "@xionimus/tools"
import { type AttachedImage, loadAttachedImages } from "./attached-images.ts"
import { canonicalJson } from "./canonical-json.ts"
import { planCompaction } from "./compaction.ts"
import { toModelMessages } from "./history.ts"
import { callModel } from "./model-call.ts"
import { runSubAgent } from "./sub-agent.ts"
import { buildSystemPrompt } from "./system-prompt.ts"
import { createTurnWriter } from "./turn-writer.ts"
import type { TurnDeps, TurnInput, TurnOutcome, TurnResult } from "./types.ts"

/** Tools that only read: several calls of these in one answer run at once. */
export const readOnlyTools: ReadonlySet<string> = new Set(["read_file", "list", "glob", "grep"])
/** Tools that never change files: no checkpoint after them. */
const unchangingTools: ReadonlySet<string> = new Set([...readOnlyTools, "todo"])

export const resumeNudge = "Continue the task where you left off."

type ToolCallPart = Extract<ModelPart, { type: "tool-call" }>

const addUsage = (total: SessionUsage, usage: SessionUsage): SessionUsage => ({
  inputTokens: total.inputTokens + usage.inputTokens,
  outputTokens: total.outputTokens + usage.outputTokens,
  cachedInputTokens: total.cachedInputTokens + usage.cachedInputTokens,
  costUsd: total.costUsd + usage.costUsd,
})

function lastUserMessageId(state: SessionState): string | undefined {
  for (let index = state.messages.length - 1; index >= 0; index--) {
    const message = state.messages[index]!
    if (message.role === "user" && !message.queued) return message.id
  }
  return undefined
}

/**
 * One turn of the loop: model call, tool calls, model call … until the model answers without tool
 * calls, a limit or budget is reached, the signal aborts or the model fails. Every step is appended
 * to the session's log as it happens (streamed text coalesced); the caller (the engine) appends
 * `turn.started` / `turn.ended` and holds the lease. Never throws: failures become outcome `failed`.
 */
export async function runTurn(deps: TurnDeps, input: TurnInput): Promise<TurnResult> {
  let state = reduceSession(input.history)
  let usage: SessionUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 }
  const { runtime, limits, logger } = deps
  const { signal, sessionId, turnId, model } = input
  const writer = createTurnWriter(deps.bus, sessionId, (event) => {
    state = applySessionEvent(state, event)
  })
  const turnMessageId = input.messageId ?? lastUserMessageId(state)
  const scope = { ...(input.userId ? { userId: input.userId } : {}), projectId: input.projectId, sessionId }
  let lastCheckpoint = state.checkpoints.at(-1)?.checkpointId
  let streak = { key: "", count: 0 }
  let asking: Promise<unknown> = Promise.resolve()
  /** Who gave the latest answer: an "allow always" for a user is saved to that person's rules. */
  let lastDecidedBy: string | null = null
  /** The project's and user's rules as saved, so that only an answer's new rules are saved. */
  const saved = { project: deps.permissions.project, user: deps.permissions.user }

  const bill = async (spent: SessionUsage) => {
    usage = addUsage(usage, spent)
    await deps.sessions.addUsage(sessionId, spent)
  }

  /** Puts a question to the user: appends permission.asked, pauses and waits for the answer. */
  function askUser(request: PermissionRequest, reason: "tool" | "loop"): Promise<PermissionDecision> {
    // One question at a time (parallel reads may both ask).
    const turnOf = asking.then(async () => {
      if (signal.aborted) throw cancelledWhileAsking()
      const answer = deps.waitForDecision(request.id, signal)
      answer.catch(() => undefined)
      await deps.sessions.setRunState(sessionId, "paused")
      await writer.event("permission.asked", { ...request, reason })
      // The engine's decide() appends permission.decided and sets the run state back to running.
      const { decision, decidedBy } = await answer
      lastDecidedBy = decidedBy
      return decision
    })
    asking = turnOf.catch(() => undefined)
    return turnOf
  }

  const gate = createPermissionGate({
    mode: deps.permissions.mode,
    rules: { project: deps.permissions.project, user: deps.permissions.user, session: deps.sessionRules },
    sandboxed: runtime.sandboxed,
    onAsk: (request) => askUser(request, "tool"),
    async onRulesChanged(changedScope, rules) {
      if (changedScope === "session") deps.onSessionRules?.(rules.session)
      else {
        const added = rules[changedScope].filter(
          (rule) => !saved[changedScope].some((old) => ruleKey(old) === ruleKey(rule)),
        )
        saved[changedScope] = rules[changedScope]
        if (added.length > 0) await deps.saveRules?.(changedScope, added, lastDecidedBy)
      }
    },
  })
  const toolSession = createSessionState({ todos: state.todos as TodoItem[] }, (todos) => {
    writer.event("todo.updated", { todos }).catch(() => undefined)
  })

  async function recordCheckpoint(callId?: string, tool?: string): Promise<void> {
    const checkpoints = runtime.checkpoints
    if (!checkpoints || !turnMessageId) return
    try {
      const before = lastCheckpoint
      const { id, changed } = await checkpoints.record({
        message: callId ? `${tool} (${callId})` : `turn ${turnId}`,
        meta: { sessionId, messageId: turnMessageId, ...(callId ? { callId } : {}) },
      })
      lastCheckpoint = id
      if (callId && !changed) return
      await writer.event("checkpoint.recorded", {
        checkpointId: id,
        messageId: turnMessageId,
        ...(callId ? { callId } : {}),
        changed,
      })
      if (callId && runtime.onFilesChanged) {
        // Checkpoints hold files (git tracks no folders): each change is a file created, updated or deleted.
        const files = before ? (await checkpoints.diff(before, id)).files : []
        runtime.onFilesChanged(
          files.map(({ path, change }) => ({
            path,
            change: change === "added" ? "created" : change === "deleted" ? "deleted" : "updated",
            entryType: "file",
            by: { sessionId, callId },
          })),
        )
      }
    } catch (error) {
      logger.warn({ err: error, sessionId, turnId, callId }, "recording a checkpoint failed")
    }
  }

  async function toolFailed(callId: string, code: string, message: string): Promise<void> {
    await writer.event("tool.updated", { callId, status: "error", error: { code, message } })
  }

  /** The loop detector: asks the user when the same call comes loopThreshold times in a row. */
  async function loopAllows(messageId: string, call: ToolCallPart): Promise<boolean> {
    const key = `${call.toolName}\u0000${canonicalJson(call.input)}`
    streak = streak.key === key ? { key, count: streak.count + 1 } : { key, count: 1 }
    if (streak.count < limits.loopThreshold) return true
    const times = streak.count
    streak = { key, count: 0 }
    const request: PermissionRequest = {
      id: newId("per"),
      sessionId,
      messageId,
      callId: call.toolCallId,
      tool: call.toolName,
      kind: "other",
      patterns: [],
      always: [],
      title: `The agent called ${call.toolName} with the same arguments ${times} times in a row`,
      metadata: { input: call.input },
    }
    let decision: PermissionDecision
    try {
      decision = await askUser(request, "loop")
    } catch {
      await toolFailed(call.toolCallId, "TOOL_ABORTED", "The call was cancelled while waiting for the user.")
      return false
    }
    if (decision.kind !== "deny") return true
    const said = decision.message ? ` and said: ${decision.message}` : ""
    await toolFailed(
      call.toolCallId,
      "TOOL_DENIED",
      `The user stopped this repeated ${call.toolName} call${said}. Do not call it with the same arguments again; try another way or ask the user.`,
    )
    return false
  }

  async function runToolCall(system: string, messageId: string, call: ToolCallPart): Promise<void> {
    const callId = call.toolCallId
    if (signal.aborted) return toolFailed(callId, "TOOL_ABORTED", "The call was cancelled before it started.")
    if (call.invalid) {
      const correction = toolCallCorrection(call)
      return toolFailed(callId, "TOOL_INPUT_INVALID", String(correction.output))
    }
    if (!(await loopAllows(messageId, call))) return
    const ids = { sessionId, messageId, callId }
    const outcome: ToolOutcome = await deps.tools.run(
      call.toolName,
      call.input,
      {
        ...ids,
        signal,
        files: runtime.files,
        ...(runtime.sandbox ? { sandbox: runtime.sandbox } : {}),
        session: toolSession,
        ask: gate.forCall(ids, signal),
        onOutput: (text) => writer.delta("tool.output", callId, text),
        task: (request) =>
          runSubAgent({
            request,
            router: deps.router,
            model,
            system,
            tools: deps.tools,
            scope,
            maxSteps: limits.maxSteps,
            context: {
              ...ids,
              files: runtime.files,
              sandbox: runtime.sandbox,
              ask: gate.forCall(ids, signal),
            },
            onUsage: (spent) => {
              bill(spent).catch((error) => logger.warn({ err: error, sessionId }, "recording usage failed"))
            },
          }),
      },
      (toolState) => {
        if (toolState.status === "running")
          writer.event("tool.updated", { callId, status: "running" }).catch(() => undefined)
      },
    )
    if (outcome.status === "completed") {
      await writer.event("tool.updated", {
        callId,
        status: "completed",
        title: outcome.title,
        output: outcome.output,
        metadata: outcome.metadata,
      })
    } else {
      await toolFailed(callId, outcome.code, outcome.error)
    }
    if (!unchangingTools.has(call.toolName)) await recordCheckpoint(callId, call.toolName)
  }

  async function runTools(system: string, messageId: string, calls: ToolCallPart[]): Promise<void> {
    const parallel =
      calls.length > 1 && calls.every((call) => readOnlyTools.has(call.toolName) && !call.invalid)
    if (parallel) {
      await Promise.all(calls.map((call) => runToolCall(system, messageId, call)))
      return
    }
    for (const call of calls) await runToolCall(system, messageId, call)
  }

  async function budgetExhausted(): Promise<string | undefined> {
    if (limits.sessionTokens !== undefined) {
      const row = await deps.sessions.get(sessionId)
      const used = row ? row.usage.inputTokens + row.usage.outputTokens : 0
      if (used >= limits.sessionTokens)
        return `This session has used ${used} of its ${limits.sessionTokens} tokens (agent.sessionTokens). Raise the limit and resume, or start a new session.`
    }
    if (limits.projectTokens !== undefined) {
      const project = await deps.sessions.projectUsage(input.projectId)
      const used = project.inputTokens + project.outputTokens
      if (used >= limits.projectTokens)
        return `The project's sessions have used ${used} of its ${limits.projectTokens} tokens (agent.projectTokens). Raise the limit and resume.`
    }
    if (deps.checkBudget) {
      const verdict = await deps.checkBudget(scope)
      if (!verdict.allowed) return verdict.message ?? "A spending budget covering this session is used up."
    }
    return undefined
  }

  async function compactIfNeeded(system: string, tools: ToolSpec[]): Promise<void> {
    const planned = await planCompaction({
      state,
      system,
      tools,
      model,
      contextWindow: deps.contextWindowOf(model),
      compactAt: limits.compactAt,
      router: deps.router,
      scope,
      signal,
      logger,
    })
    if (!planned) return
    if (planned.usage) await bill(planned.usage)
    await writer.event("session.compacted", planned.compaction)
  }

  /** Attached images read so far in this turn, by path (each is read once per turn). */
  const imageCache = new Map<string, AttachedImage | null>()

  async function loop(): Promise<TurnOutcome> {
    if (input.messageId) await recordCheckpoint()
    const system = await buildSystemPrompt(runtime.files)
    const tools: ToolSpec[] = deps.tools
      .definitions()
      .map((tool) => ({ name: tool.id, description: tool.description, parameters: tool.inputSchema }))
    for (let step = 0; step < limits.maxSteps; step++) {
      if (signal.aborted) return { outcome: "cancelled" }
      const exhausted = await budgetExhausted()
      if (exhausted) {
        await writer.event("turn.paused", { turnId, reason: "budget", message: exhausted })
        return { outcome: "budget", message: exhausted }
      }
      await compactIfNeeded(system, tools)
      if (signal.aborted) return { outcome: "cancelled" }
      const images = deps.readsImages?.(model)
        ? await loadAttachedImages(state, runtime.files, imageCache)
        : undefined
      const messages = toModelMessages(state, images ? { images } : {})
      if (messages.at(-1)?.role === "assistant") messages.push({ role: "user", content: resumeNudge })
      const call = await callModel(
        {
          router: deps.router,
          writer,
          model,
          turnId,
          scope,
          signal,
          bill,
          indexText: (text) => deps.sessions.indexText(sessionId, text),
        },
        { system, tools, messages },
      )
      if (call.kind === "cancelled") return { outcome: "cancelled" }
      if (call.kind === "failed") return { outcome: "failed", error: call.error }
      if (call.toolCalls.length === 0) return { outcome: "completed" }
      await runTools(system, call.messageId, call.toolCalls)
      if (signal.aborted) return { outcome: "cancelled" }
    }
    return {
      outcome: "limit",
      message: `The turn stopped after ${limits.maxSteps} model calls (agent.maxSteps). Resume to let the agent go on, or send a message.`,
    }
  }

  let outcome: TurnOutcome
  try {
    outcome = await loop()
  } catch (error) {
    const failure = toAppError(error)
    logger.error({ err: error, sessionId, turnId }, "the turn failed")
    outcome = signal.aborted
      ? { outcome: "cancelled" }
      : { outcome: "failed", error: { code: failure.code, message: failure.message } }
  }
  try {
    await writer.flush()
  } catch (error) {
    const failure = toAppError(error)
    outcome = { outcome: "failed", error: { code: failure.code, message: failure.message } }
  }
  return { ...outcome, usage }
}

function cancelledWhileAsking(): AppError {
  return new AppError("TOOL_ABORTED", "The tool call was cancelled while waiting for permission.")
}

const ruleKey = (rule: PermissionRule) => `${rule.tool}\u0000${rule.pattern}\u0000${rule.action}`
