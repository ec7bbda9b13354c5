import type { EventBus } from "@xionimus/bus"
import { AppError, type Logger, newId, toAppError } from "@xionimus/kit"
import type { ModelRouter } from "@xionimus/llm"
import { reduceSession, runReason, type SessionUsage, type StoredEvent } from "@xionimus/protocol"
import type { SessionRepository } from "@xionimus/store"
import type { ToolRegistry } from "@xionimus/tools"
import { interruptionEvents } from "../recover-turns.ts"
import { runTurn } from "../run-turn.ts"
import type { AgentLimits, PermissionSettings, ProjectRuntime } from "../types.ts"
import { briefing } from "./briefing.ts"
import type { StepScope } from "./orchestra-tools.ts"
import { transition } from "./package-machine.ts"
import type { RunRuntimes, Worktrees } from "./ports.ts"
import { ensureSession, instanceOf, readStream } from "./role-session.ts"
import { roleByDuty, roleNamed } from "./roles.ts"
import { runChecks } from "./run-checks.ts"
import {
  type CheckRan,
  type RunEventInput,
  runEvent,
  type StepStartedData,
  type Usage,
} from "./run-events.ts"
import { applyRunEvent, packageById, type RunGate, type RunPackage, type RunState } from "./run-state.ts"
import { budgetExceeded } from "./scheduler.ts"
import { stepRegistry } from "./step-registry.ts"
import type { Template } from "./templates.ts"

/** What a step needs from the engine. */
export interface StepHost {
  bus: EventBus
  sessions: Pick<
    SessionRepository,
    "create" | "get" | "addUsage" | "indexText" | "projectUsage" | "setRunState"
  >
  runtimes: RunRuntimes
  worktrees: Worktrees
  router: ModelRouter
  tools: ToolRegistry
  contextWindowOf(model: string): number
  /** The permission policy of the run's project and creator: a call it would ask about waits at a gate. */
  permissionsFor(projectId: string, userId: string | null): Promise<PermissionSettings>
  limits: AgentLimits
  logger: Logger
  clock: () => Date
  templates: ReadonlyMap<string, Template>
  /** The run as it is now (other steps' results included). */
  live(): RunState
  /** Appends to the run now (gates a person must see while the step waits). */
  append(events: RunEventInput[]): Promise<void>
  /** Resolves once the gate is decided; rejects when the signal aborts. */
  waitForGate(gateId: string, signal: AbortSignal): Promise<RunGate>
}

const zero = (): Usage => ({ inputTokens: 0, outputTokens: 0, costUsd: 0, modelCalls: 0 })

/**
 * One step: one turn of the role's own session (runTurn), with the role's tools only. Returns the
 * events to append with `step.ended` (the engine appends them in step order, in one append).
 */
export async function runStep(
  host: StepHost,
  step: StepStartedData,
  startState: RunState,
  signal: AbortSignal,
): Promise<RunEventInput[]> {
  const began = performance.now()
  const preset = startState.preset!
  const role = roleNamed(preset, step.role)!
  const runId = startState.id
  const item = step.packageId ? packageById(startState, step.packageId) : undefined
  const buffer: RunEventInput[] = []
  let local = startState
  let counter = 0
  const done: StepScope["done"] = new Set()
  const written = new Set<string>()
  const usage = zero()
  const stop = new AbortController()
  const turnSignal = AbortSignal.any([signal, stop.signal])
  let blocked = false

  const emit = (event: RunEventInput) => {
    buffer.push(event)
    local = applyRunEvent(local, {
      ...event,
      stream: runId,
      seq: local.head + 1,
      time: host.clock().toISOString(),
    } as StoredEvent)
    if (event.type === "output.rejected" && item) {
      const now = packageById(local, item.id)!
      if (now.malformed >= preset.retryBound) {
        blocked = true
        stop.abort()
      }
    }
  }
  const nextId = (kind: string) => `${kind}_${step.stepId}_${++counter}`.slice(0, 64)
  const reject = (error: string) =>
    emit(
      runEvent(nextId("out"), "output.rejected", {
        stepId: step.stepId,
        role: role.name,
        ...(item ? { packageId: item.id } : {}),
        error,
      }),
    )

  const runtime = await runtimeOf(host, startState, item)
  const permissions = await host.permissionsFor(startState.projectId, startState.createdBy)
  /** Opens a dangerous-tool gate for a call (once: a step run again finds its gate) and waits for it. */
  const scope: StepScope = {
    state: () => local,
    role,
    stepId: step.stepId,
    ...(item ? { packageId: item.id } : {}),
    emit,
    nextId,
    templates: host.templates,
    runChecks: (current) => runChecks(runtime, current, turnSignal),
    done,
  }
  const registry = stepRegistry({
    host,
    step,
    role,
    item,
    permissions,
    sandboxed: runtime.sandboxed,
    scope,
    signal: turnSignal,
    written,
  })

  const { text, delivered } = briefing(startState, role, step.purpose, item?.id, host.templates)
  const sessionId = step.sessionId
  await ensureSession(host, sessionId, startState, role)
  const history = await readStream(host.bus, sessionId)
  const before = reduceSession(history)
  if (before.lastTurn && !before.lastTurn.outcome)
    await host.bus.append(sessionId, interruptionEvents(before, before.lastTurn.turnId))
  const messageId = `msg_${step.stepId}`.slice(0, 64)
  const turnId = newId("trn")
  const model = role.model!
  await host.bus.append(sessionId, [
    {
      id: `evt_brief_${step.stepId}`.slice(0, 64),
      type: "message.created",
      data: { messageId, role: "user", text, queued: false, authorId: null },
    },
    { id: newId("evt"), type: "turn.started", data: { turnId, messageId, resumed: false, model } },
  ])
  const spentBefore = item ? (startState.totals.byPackage[item.id]?.modelCalls ?? 0) : 0
  const maxSteps = Math.max(
    1,
    Math.min(host.limits.maxSteps, (item?.limits.modelCalls ?? host.limits.maxSteps) - spentBefore),
  )
  const result = await runTurn(
    {
      bus: host.bus,
      sessions: {
        get: (id) => host.sessions.get(id),
        indexText: (id, value) => host.sessions.indexText(id, value),
        projectUsage: (id) => host.sessions.projectUsage(id),
        setRunState: (id, state) => host.sessions.setRunState(id, state),
        addUsage(id, spent: SessionUsage) {
          usage.inputTokens += spent.inputTokens
          usage.outputTokens += spent.outputTokens
          usage.costUsd += spent.costUsd
          usage.modelCalls += 1
          return host.sessions.addUsage(id, spent)
        },
      },
      runtime: {
        ...runtime,
        onFilesChanged(changes) {
          for (const change of changes) written.add(change.path)
          runtime.onFilesChanged?.(changes)
        },
      },
      router: host.router,
      tools: registry,
      contextWindowOf: host.contextWindowOf,
      async checkBudget() {
        const live = host.live()
        const projected = { ...live, totals: { ...live.totals, run: addUsage(live.totals.run, usage) } }
        const exceeded = budgetExceeded(projected)
        return exceeded ? { allowed: false, checks: [], message: exceeded } : { allowed: true, checks: [] }
      },
      permissions,
      sessionRules: [],
      // Tool calls the policy asks about wait at a gate (onAsk above); the loop detector's question is
      // not put to a person in a run: the repeated call is refused.
      waitForDecision: () =>
        Promise.reject(
          new AppError(
            "TOOL_DENIED",
            "The same call came too many times in a row; do something else or send a message.",
          ),
        ),
      limits: { ...host.limits, maxSteps },
      logger: host.logger,
      clock: host.clock,
    },
    {
      sessionId,
      projectId: startState.projectId,
      turnId,
      messageId,
      model,
      userId: startState.createdBy,
      signal: turnSignal,
      history: await readStream(host.bus, sessionId),
    },
  ).catch((error: unknown) => ({
    outcome: "failed" as const,
    error: toAppError(error),
    usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 },
  }))
  await host.bus.append(sessionId, [
    {
      id: `evt_end_${turnId}`,
      type: "turn.ended",
      data: {
        turnId,
        outcome: blocked || result.outcome === "cancelled" ? "cancelled" : result.outcome,
        ...("error" in result && result.error
          ? { error: { code: result.error.code, message: result.error.message } }
          : {}),
        usage: result.usage,
      },
    },
  ])

  let outcome: "completed" | "failed" | "budget" | "limit" | "cancelled" | "malformed" | "blocked" =
    "completed"
  let error: { code: string; message: string } | undefined
  if (blocked) outcome = "blocked"
  else if (signal.aborted || result.outcome === "cancelled") outcome = "cancelled"
  else if (result.outcome === "budget") outcome = "budget"
  else {
    const required = { plan: "plan", implement: "report", test: "checks", review: "review" } as const
    const calls = { plan: "submit_plan", implement: "report", test: "run_checks", review: "review" } as const
    if (result.outcome === "failed") {
      error = result.error
      outcome = "failed"
      reject(`The model call failed (${result.error.code}: ${result.error.message}).`)
    } else if (!done.has(required[step.purpose])) {
      outcome = result.outcome === "limit" ? "limit" : "malformed"
      reject(
        `The step ended without a successful ${calls[step.purpose]} call. End every step of yours with ${calls[step.purpose]}.`,
      )
    }
  }
  const events = [...buffer]
  const conductor = roleNamed(preset, roleByDuty(preset, "conductor")!.name)!
  const current = () => (item ? packageById(local, item.id) : undefined)
  if (item && blocked) {
    const now = current()!
    const moved = transition(
      local,
      item.id,
      "blocked",
      conductor,
      runReason("package.malformed", { count: now.malformed, error: lastError(local) }),
      nextId("mv"),
    )
    if (moved.ok) {
      events.push(moved.event)
      emit(moved.event)
    }
  }
  if (step.purpose === "implement" && item && written.size > 0 && !signal.aborted) {
    const changed = runEvent(nextId("chg"), "package.changed", {
      id: item.id,
      revision: (current()?.revision ?? 0) + 1,
      files: [...written].sort(),
    })
    events.push(changed)
    emit(changed)
  }
  if (step.purpose === "test" && item && done.has("checks")) {
    const now = current()!
    const red = now.checks.filter((check): check is CheckRan => check !== null && !check.passed)
    if (red.length > 0 && now.state === "ready_for_review") {
      const tester = roleNamed(preset, step.role)!
      const back = transition(
        local,
        item.id,
        "in_progress",
        tester,
        runReason("package.checksFailed"),
        nextId("mv"),
      )
      if (back.ok) {
        events.push(back.event)
        emit(back.event)
        const implementer = instanceOf(roleByDuty(preset, "implementer")!.name, item.id)
        const id = nextId("msg")
        const message = runEvent(id, "message.published", {
          id,
          sender: role.name,
          recipients: [implementer],
          causationId: step.stepId,
          kind: "handoff",
          body: `Checks failed on ${item.id}:\n${red.map((check) => `${check.check.kind}: ${check.output.slice(0, 1_000)}`).join("\n")}`,
          packageId: item.id,
        })
        events.push(message)
      }
    }
  }
  const cursor = delivered.at(-1)?.seq
  if (cursor !== undefined && !signal.aborted)
    events.push(
      runEvent(nextId("read"), "message.read", { recipient: instanceOf(role.name, item?.id), upTo: cursor }),
    )
  events.push(
    runEvent(`end_${step.stepId}`.slice(0, 64), "step.ended", {
      stepId: step.stepId,
      outcome,
      usage,
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
      timing: { latencyMs: Math.round((performance.now() - began) * 1000) / 1000, turnId },
    }),
  )
  return events
}

const addUsage = (a: Usage, b: Usage): Usage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
  costUsd: a.costUsd + b.costUsd,
  modelCalls: a.modelCalls + b.modelCalls,
})

function lastError(state: RunState): string {
  const last = state.audit.findLast((entry) => entry.type === "output.rejected")
  return (last?.data as { error?: string } | undefined)?.error ?? ""
}

async function runtimeOf(
  host: StepHost,
  state: RunState,
  item: RunPackage | undefined,
): Promise<ProjectRuntime> {
  if (!item) return host.runtimes.runtimeFor({ projectId: state.projectId, runId: state.id })
  const { dir } = await host.worktrees.create({
    runId: state.id,
    packageId: item.id,
    baseCheckpoint: state.baseCheckpoint,
  })
  return host.runtimes.runtimeFor({ projectId: state.projectId, runId: state.id, packageId: item.id, dir })
}
