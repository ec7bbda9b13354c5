import { AppError, newId, silentLogger } from "@xionimus/kit"
import { type CodedReason, runReason } from "@xionimus/protocol"
import { createBuiltinRegistry } from "@xionimus/tools"
import { defaultLimits } from "../session-engine.ts"
import type { AgentLimits } from "../types.ts"
import { renderContext, revalidatePatches } from "./context-doc.ts"
import { decideGate as decide } from "./gates.ts"
import { transition } from "./package-machine.ts"
import { sessionIdOf } from "./role-session.ts"
import { defaultPresetInput, parsePreset, roleByDuty, roleNamed } from "./roles.ts"
import { executeAction } from "./run-actions.ts"
import type { RunEngine, RunEngineDeps, RunStatus } from "./run-engine-api.ts"
import { type RunEventInput, runEvent, type StepStartedData } from "./run-events.ts"
import { exportRun } from "./run-export.ts"
import { checkIdle, createRunHandles, type Handle, type RunningStep } from "./run-handle.ts"
import { forkLog, importLog } from "./run-log-copy.ts"
import { openGates, packageById, type RunState, reduceRun } from "./run-state.ts"
import { runStep, type StepHost } from "./run-step.ts"
import { type Action, nextActions } from "./scheduler.ts"
import { templateSet } from "./templates.ts"

// A run's handle (its log, append chain, gate waiters) is run-handle.ts; the API's types
// run-engine-api.ts; what a step does run-step.ts, the engine's own actions run-actions.ts, export and
// hashes run-export.ts. Here: launching steps in commit order, the scheduler's pump, and the API.

export type { RunEngine, RunEngineDeps, RunStatus, StartRunInput } from "./run-engine-api.ts"

const endedBy = (reason: CodedReason) => ({ message: reason.text, code: reason.code, params: reason.params })

export function createRunEngine(deps: RunEngineDeps): RunEngine {
  const logger = deps.logger ?? silentLogger()
  const clock = deps.clock ?? (() => new Date())
  const tools = deps.tools ?? createBuiltinRegistry()
  const limits: AgentLimits = { ...defaultLimits, ...deps.limits }
  const policy = deps.permissions ?? { mode: "full-auto", project: [], user: [] }
  const permissionsFor = typeof policy === "function" ? policy : async () => policy
  const { handles, handleOf, append, waitForGate, busy, readAll } = createRunHandles({
    bus: deps.bus,
    templates: async (projectId) => templateSet((await deps.templates?.(projectId)) ?? []),
  })
  let closed = false

  function hostOf(handle: Handle, entry: RunningStep): StepHost {
    return {
      bus: deps.bus,
      sessions: deps.sessions,
      runtimes: deps.runtimes,
      worktrees: deps.worktrees,
      router: deps.router,
      tools,
      contextWindowOf: deps.contextWindowOf,
      permissionsFor,
      limits,
      logger,
      clock,
      templates: handle.templates,
      live: () => handle.state,
      append: async (events) => {
        await append(handle, events)
      },
      waitForGate: (gateId, signal) => waitForGate(handle, entry, gateId, signal),
    }
  }

  /** The state right after a step started: what the step's briefing and tools see (also when it runs again). */
  const stateAtStart = (handle: Handle, startedSeq: number) =>
    reduceRun(handle.events.filter((event) => event.seq <= startedSeq))

  function launch(handle: Handle, step: StepStartedData, startState: RunState): void {
    const previous = handle.lastCommit
    let release!: () => void
    handle.lastCommit = new Promise((resolve) => {
      release = resolve
    })
    const entry: RunningStep = {
      controller: new AbortController(),
      waiting: false,
      promise: Promise.resolve(),
    }
    handle.running.set(step.stepId, entry)
    entry.promise = (async () => {
      try {
        let events: RunEventInput[]
        try {
          events = await runStep(hostOf(handle, entry), step, startState, entry.controller.signal)
        } catch (error) {
          logger.error({ err: error, runId: handle.id, stepId: step.stepId }, "an orchestra step failed")
          const message = error instanceof Error ? error.message : String(error)
          events = [
            runEvent(`out_${step.stepId}_x`, "output.rejected", {
              stepId: step.stepId,
              role: step.role,
              ...(step.packageId ? { packageId: step.packageId } : {}),
              error: `The step could not run: ${message}`,
            }),
            runEvent(`end_${step.stepId}`, "step.ended", {
              stepId: step.stepId,
              outcome: "failed",
              usage: { inputTokens: 0, outputTokens: 0, costUsd: 0, modelCalls: 0 },
              error: { code: "STEP_FAILED", message },
            }),
          ]
        }
        await previous
        // On close the step stays open, so that resume runs it again.
        if (!handle.closing) await append(handle, revalidatePatches(handle.state, events))
      } finally {
        handle.running.delete(step.stepId)
        // The next commit waits for the scheduler's pass on this one: the log never depends on timing.
        await pump(handle).finally(release)
      }
    })().catch((error: unknown) =>
      // The commit could not be appended (the store is gone): the step stays open for resume.
      logger.error(
        { err: error, runId: handle.id, stepId: step.stepId },
        "an orchestra step could not be recorded",
      ),
    )
  }

  function parentOf(state: RunState, action: Extract<Action, { kind: "step" }>): string | null {
    if (!action.packageId) return null
    const before = state.steps.findLast(
      (step) => step.packageId === action.packageId && step.status === "ended",
    )
    if (before) return before.stepId
    return state.steps.findLast((step) => step.purpose === "plan" && step.status === "ended")?.stepId ?? null
  }

  async function startStep(handle: Handle, action: Extract<Action, { kind: "step" }>): Promise<void> {
    const state = handle.state
    const role = roleNamed(state.preset!, action.role)!
    const stepId = `stp_${handle.id.slice(4)}_${state.steps.length + 1}`
    const data: StepStartedData = {
      stepId,
      parentStepId: parentOf(state, action),
      role: role.name,
      model: role.model ?? "",
      ...(action.packageId ? { packageId: action.packageId } : {}),
      sessionId: sessionIdOf(handle.id, role.name, action.packageId),
      purpose: action.purpose,
      contextVersion: state.context.version,
    }
    const events: RunEventInput[] = []
    const item = action.packageId ? packageById(state, action.packageId) : undefined
    if (action.purpose === "implement" && item?.state === "assigned") {
      const begun = transition(state, item.id, "in_progress", role, "work started", `mv_${stepId}_start`)
      if (begun.ok) events.push(begun.event)
    }
    const stored = await append(handle, [...events, runEvent(`start_${stepId}`, "step.started", data)])
    const seq = stored.at(-1)!.seq
    launch(handle, data, handle.state.head === seq ? handle.state : stateAtStart(handle, seq))
  }

  /** Runs the scheduler on the run's state; while a pass runs, asks it for another and returns it. */
  function pump(handle: Handle): Promise<void> {
    if (handle.pumping) {
      handle.again = true
      return handle.pumped
    }
    handle.pumping = true
    handle.pumped = schedule(handle)
    return handle.pumped
  }

  async function schedule(handle: Handle): Promise<void> {
    try {
      do {
        handle.again = false
        if (handle.stopped || closed) break
        for (const action of nextActions(handle.state)) {
          if (handle.stopped) break
          if (action.kind === "step") {
            await startStep(handle, action)
            continue
          }
          await executeAction(
            {
              runId: handle.id,
              worktrees: deps.worktrees,
              runtimes: deps.runtimes,
              logger,
              append: (events) => append(handle, events),
            },
            handle.state,
            action,
          )
          handle.again = true
          break
        }
      } while (handle.again)
    } catch (error) {
      logger.error({ err: error, runId: handle.id }, "driving the run failed")
    } finally {
      handle.pumping = false
      checkIdle(handle)
    }
  }

  /** Runs the unfinished steps again (in step order, under their ids), then the scheduler. */
  function drive(handle: Handle): void {
    handle.stopped = false
    for (const step of handle.state.steps)
      if (step.status === "running" && !handle.running.has(step.stepId)) {
        const {
          status: _status,
          startedSeq,
          outcome: _o,
          usage: _u,
          error: _e,
          latencyMs: _l,
          ...data
        } = step
        launch(handle, data, stateAtStart(handle, startedSeq))
      }
    void pump(handle)
  }

  function statusOf(handle: Handle): RunStatus {
    return {
      runId: handle.id,
      state: handle.state,
      context: renderContext(handle.state),
      waiting: openGates(handle.state),
      active: [...handle.running.keys()],
    }
  }

  function refuseWhenClosed(): void {
    if (closed) throw new AppError("SHUTTING_DOWN", "The server is shutting down; try again in a moment.")
  }

  async function refuseWhenEnded(handle: Handle): Promise<void> {
    if (handle.state.ended)
      throw new AppError(
        "RUN_ENDED",
        `The run ${handle.id} has ended (${handle.state.ended.outcome}); fork it to go on from a step.`,
      )
  }

  async function newRun(runId: string, events: RunEventInput[]): Promise<Handle> {
    await deps.bus.append(runId, events)
    return handleOf(runId)
  }

  return {
    async start(input) {
      refuseWhenClosed()
      const preset = parsePreset(input.preset ?? defaultPresetInput, (model) =>
        model === "default" ? deps.router.choose({}) : model,
      )
      const runId = newId("orc")
      const baseCheckpoint = await deps.runtimes.baseCheckpoint(input.projectId)
      const handle = await newRun(runId, [
        runEvent(`started_${runId.slice(4)}`, "run.started", {
          projectId: input.projectId,
          goal: input.goal,
          preset,
          budget: input.budget ?? {},
          baseCheckpoint,
          createdBy: input.createdBy,
        }),
        runEvent(`ctx_goal_${runId.slice(4)}`, "context.patched", {
          section: "goal",
          by: roleByDuty(preset, "human")!.name,
          baseVersion: 0,
          version: 1,
          text: input.goal,
        }),
      ])
      drive(handle)
      return statusOf(handle)
    },

    async status(runId) {
      return statusOf(await handleOf(runId))
    },

    async decideGate(runId, gateId, input, by) {
      refuseWhenClosed()
      const handle = await handleOf(runId)
      await refuseWhenEnded(handle)
      await append(handle, decide(handle.state, gateId, input, by))
      drive(handle)
      return statusOf(handle)
    },

    async movePackage(runId, packageId, to, reason, by) {
      refuseWhenClosed()
      const handle = await handleOf(runId)
      await refuseWhenEnded(handle)
      const preset = handle.state.preset!
      const human = roleNamed(preset, roleByDuty(preset, "human")!.name)!
      const running = handle.state.steps.some(
        (step) => step.status === "running" && step.packageId === packageId,
      )
      if (running && to !== "cancelled" && to !== "blocked")
        throw new AppError("TRANSITION_NOT_ALLOWED", `A step works on ${packageId} now; wait for it to end.`)
      const result = transition(
        handle.state,
        packageId,
        to,
        human,
        reason || `moved by ${by ?? "a person"}`,
        `mv_${handle.id.slice(4)}_${handle.state.head}_h`,
      )
      if (!result.ok) {
        if (result.event) await append(handle, [result.event])
        throw new AppError(result.code, result.reason)
      }
      await append(handle, [result.event])
      drive(handle)
      return statusOf(handle)
    },

    async cancel(runId, by) {
      const handle = await handleOf(runId)
      await refuseWhenEnded(handle)
      handle.stopped = true
      for (const step of handle.running.values()) step.controller.abort()
      await Promise.all([...handle.running.values()].map((step) => step.promise))
      await append(handle, [
        runEvent(`ended_${handle.id.slice(4)}`, "run.ended", {
          outcome: "cancelled",
          ...endedBy(by ? runReason("run.cancelledBy", { by }) : runReason("run.cancelled")),
        }),
      ])
      checkIdle(handle)
      return statusOf(handle)
    },

    async resume(runId) {
      refuseWhenClosed()
      const handle = await handleOf(runId)
      await refuseWhenEnded(handle)
      drive(handle)
      return statusOf(handle)
    },

    async fork(runId, input) {
      refuseWhenClosed()
      const events = await readAll(runId)
      if (events[0]?.type !== "run.started") throw new AppError("RUN_NOT_FOUND", `There is no run ${runId}.`)
      const forkId = newId("orc")
      return statusOf(await newRun(forkId, forkLog(events, runId, forkId, input)))
    },

    async exportRun(runId) {
      const events = await readAll(runId)
      if (events[0]?.type !== "run.started") throw new AppError("RUN_NOT_FOUND", `There is no run ${runId}.`)
      return exportRun(runId, events, clock().toISOString())
    },

    async importRun(projectId, data, createdBy) {
      refuseWhenClosed()
      const runId = newId("orc")
      const events = importLog(data, runId, projectId, createdBy)
      return statusOf(await newRun(runId, events))
    },

    async idle(runId) {
      const handle = await handleOf(runId)
      await new Promise<void>((resolve) => {
        handle.idleWaiters.push(resolve)
        checkIdle(handle)
      })
      return handle.state
    },

    driving(runId) {
      const handle = handles.get(runId)
      return handle !== undefined && busy(handle)
    },

    async release(runId) {
      const handle = handles.get(runId)
      if (!handle) return
      handle.closing = true
      handle.stopped = true
      for (const step of handle.running.values()) step.controller.abort()
      await Promise.all([...handle.running.values()].map((step) => step.promise))
      if (handles.get(runId) === handle) handles.delete(runId)
      checkIdle(handle)
    },

    async close() {
      closed = true
      for (const handle of handles.values()) {
        handle.closing = true
        handle.stopped = true
        for (const step of handle.running.values()) step.controller.abort()
      }
      await Promise.all(
        [...handles.values()].flatMap((handle) => [...handle.running.values()].map((step) => step.promise)),
      )
      for (const handle of handles.values()) checkIdle(handle)
    },
  }
}
