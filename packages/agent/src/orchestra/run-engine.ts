import type { EventBus } from "@xionimus/bus"
import { AppError, type Logger, newId, silentLogger } from "@xionimus/kit"
import type { ModelRouter } from "@xionimus/llm"
import { type CodedReason, runReason, type StoredEvent } from "@xionimus/protocol"
import { createBuiltinRegistry, type ToolRegistry } from "@xionimus/tools"
import { defaultLimits } from "../session-engine.ts"
import type { AgentLimits, PermissionSettings } from "../types.ts"
import { renderContext, revalidatePatches } from "./context-doc.ts"
import { decideGate as decide, type GateInput } from "./gates.ts"
import { transition } from "./package-machine.ts"
import type { RunRuntimes, Worktrees } from "./ports.ts"
import { sessionIdOf } from "./role-session.ts"
import {
  defaultPresetInput,
  type PackageState,
  type PresetInput,
  parsePreset,
  roleByDuty,
  roleNamed,
} from "./roles.ts"
import { executeAction } from "./run-actions.ts"
import { type RunBudget, type RunEventInput, runEvent, type StepStartedData } from "./run-events.ts"
import { exportRun, type RunExport, renameRun, validateRunExport } from "./run-export.ts"
import {
  applyRunEvent,
  openGates,
  packageById,
  type RunGate,
  type RunState,
  type RunStatus,
  reduceRun,
} from "./run-state.ts"
import { runStep, type StepHost } from "./run-step.ts"
import { type Action, nextActions } from "./scheduler.ts"
import { type Template, templateSet } from "./templates.ts"

// This file is past 400 lines on purpose: a run's handle (its append chain, the commit order of its
// steps, gate waiters and idle tracking) and the API that drives it only make sense together. What a step
// does is run-step.ts, the engine's own actions run-actions.ts, export and hashes run-export.ts.

export interface RunEngineDeps {
  bus: EventBus
  sessions: StepHost["sessions"]
  runtimes: RunRuntimes
  worktrees: Worktrees
  /** The router the roles' models are called through. */
  router: ModelRouter
  contextWindowOf(model: string): number
  /** The project's tools (default: the built-ins); each role gets its allow-list of them. */
  tools?: ToolRegistry
  /** The project's own work-package templates (added to the shipped ones). */
  templates?(projectId: string): Promise<Template[]>
  /**
   * The permission policy of the roles' calls: fixed, or the run's project and creator's (the server's
   * settings). A call it would ask a person about waits at a dangerous-tool gate; default full-auto (then
   * only the preset's danger patterns gate commands).
   */
  permissions?:
    | PermissionSettings
    | ((projectId: string, userId: string | null) => Promise<PermissionSettings>)
  limits?: Partial<AgentLimits>
  logger?: Logger
  clock?: () => Date
}

export interface StartRunInput {
  projectId: string
  goal: string
  /** A preset (roles as data); the default four-role preset when absent. Role model "default" = the router's default. */
  preset?: PresetInput
  budget?: RunBudget
  createdBy: string | null
}

/** What the engine answers about a run (protocol's: the SDK and the browser read the same type). */
export type { RunStatus }

export interface RunEngine {
  /** Appends `run.started` and drives the run in the background; returns at once. */
  start(input: StartRunInput): Promise<RunStatus>
  /** RUN_NOT_FOUND. */
  status(runId: string): Promise<RunStatus>
  /** A person's decision at a gate (approve, reject + comment, edit + payload); the run goes on. */
  decideGate(runId: string, gateId: string, input: GateInput, by: string | null): Promise<RunStatus>
  /**
   * A person moves a work package (the preset's human role: cancel or block one, let a blocked one go
   * on). A transition the human may not make, or whose guard fails, raises TRANSITION_NOT_ALLOWED with
   * the reason (and is recorded); PACKAGE_NOT_FOUND.
   */
  movePackage(
    runId: string,
    packageId: string,
    to: PackageState,
    reason: string,
    by: string | null,
  ): Promise<RunStatus>
  /** Stops running steps (their commands are killed) and ends the run as cancelled. RUN_ENDED when over. */
  cancel(runId: string, by: string | null): Promise<RunStatus>
  /** Drives a run again after a restart or crash: unfinished steps run again under their ids. */
  resume(runId: string): Promise<RunStatus>
  /**
   * A new run from this one's log up to `seq`, or up to the end of step `stepId` (default: all); the
   * parent is not changed. The fork is not driven until `resume`.
   */
  fork(runId: string, input: { seq?: number; stepId?: string }): Promise<RunStatus>
  exportRun(runId: string): Promise<RunExport>
  /** A new run of the project from an export; EXPORT_INVALID, EXPORT_VERSION_UNSUPPORTED. Not started. */
  importRun(projectId: string, data: unknown, createdBy: string | null): Promise<RunStatus>
  /** Resolves once the run waits for nobody but a person (a gate), or has ended, or nothing is left to do. */
  idle(runId: string): Promise<RunState>
  /** True while this engine has work on the run: its scheduler pumping or steps running (waiting ones too). */
  driving(runId: string): boolean
  /**
   * Stops driving one run here and forgets what was loaded of it (its lease went to another server): its
   * running steps are aborted and stay open for resume; the next call reads the run from its log again.
   */
  release(runId: string): Promise<void>
  /** Stops driving runs; their unfinished steps stay open for resume. */
  close(): Promise<void>
}

interface RunningStep {
  controller: AbortController
  waiting: boolean
  promise: Promise<void>
}

interface Handle {
  id: string
  events: StoredEvent[]
  state: RunState
  templates: Map<string, Template>
  running: Map<string, RunningStep>
  lastCommit: Promise<void>
  appendChain: Promise<unknown>
  gateWaiters: Map<string, ((gate: RunGate) => void)[]>
  pumping: boolean
  again: boolean
  idleWaiters: (() => void)[]
  stopped: boolean
  closing: boolean
}

const page = 1000
const endedBy = (reason: CodedReason) => ({ message: reason.text, code: reason.code, params: reason.params })

export function createRunEngine(deps: RunEngineDeps): RunEngine {
  const logger = deps.logger ?? silentLogger()
  const clock = deps.clock ?? (() => new Date())
  const tools = deps.tools ?? createBuiltinRegistry()
  const limits: AgentLimits = { ...defaultLimits, ...deps.limits }
  const policy = deps.permissions ?? { mode: "full-auto", project: [], user: [] }
  const permissionsFor = typeof policy === "function" ? policy : async () => policy
  const handles = new Map<string, Handle>()
  let closed = false

  async function readAll(runId: string): Promise<StoredEvent[]> {
    const all: StoredEvent[] = []
    for (;;) {
      const events = await deps.bus.read(runId, { after: all.at(-1)?.seq ?? 0, limit: page })
      all.push(...events)
      if (events.length < page) return all
    }
  }

  const busy = (handle: Handle) => handle.pumping || handle.running.size > 0

  async function handleOf(runId: string): Promise<Handle> {
    const known = handles.get(runId)
    if (known) {
      // A run this engine does not drive now may have moved on elsewhere (another server, the CLI).
      if (!busy(known)) await catchUp(known)
      return known
    }
    const events = await readAll(runId)
    if (events[0]?.type !== "run.started") throw new AppError("RUN_NOT_FOUND", `There is no run ${runId}.`)
    const state = reduceRun(events)
    const handle: Handle = {
      id: runId,
      events,
      state,
      templates: templateSet((await deps.templates?.(state.projectId)) ?? []),
      running: new Map(),
      lastCommit: Promise.resolve(),
      appendChain: Promise.resolve(),
      gateWaiters: new Map(),
      pumping: false,
      again: false,
      idleWaiters: [],
      stopped: false,
      closing: false,
    }
    // Another call may have loaded it meanwhile: keep the first.
    const loaded = handles.get(runId)
    if (loaded) return loaded
    handles.set(runId, handle)
    return handle
  }

  /** Folds what others appended since the handle's head (in the append chain, so never twice). */
  function catchUp(handle: Handle): Promise<unknown> {
    const next = handle.appendChain.then(async () => {
      for (;;) {
        const events = await deps.bus.read(handle.id, { after: handle.state.head, limit: page })
        for (const event of events)
          if (event.seq > handle.state.head) {
            handle.events.push(event)
            handle.state = applyRunEvent(handle.state, event)
          }
        if (events.length < page) return
      }
    })
    handle.appendChain = next.catch(() => undefined)
    return next
  }

  /** Appends in order (one chain per run) and folds what was stored into the handle's state. */
  function append(handle: Handle, events: RunEventInput[]): Promise<StoredEvent[]> {
    const next = handle.appendChain.then(async () => {
      const stored = await deps.bus.append(handle.id, events)
      for (const event of stored)
        if (event.seq > handle.state.head) {
          handle.events.push(event)
          handle.state = applyRunEvent(handle.state, event)
        }
      for (const [gateId, waiters] of handle.gateWaiters) {
        const gate = handle.state.gates.find((candidate) => candidate.id === gateId)
        if (!gate || gate.status === "open") continue
        handle.gateWaiters.delete(gateId)
        for (const wake of waiters) wake(gate)
      }
      return stored
    })
    handle.appendChain = next.catch(() => undefined)
    return next
  }

  function waitForGate(
    handle: Handle,
    entry: RunningStep,
    gateId: string,
    signal: AbortSignal,
  ): Promise<RunGate> {
    const gate = handle.state.gates.find((candidate) => candidate.id === gateId)
    if (gate && gate.status !== "open") return Promise.resolve(gate)
    return new Promise((resolve, reject) => {
      const wake = (decided: RunGate) => {
        entry.waiting = false
        signal.removeEventListener("abort", onAbort)
        resolve(decided)
      }
      const onAbort = () => {
        entry.waiting = false
        handle.gateWaiters.set(
          gateId,
          (handle.gateWaiters.get(gateId) ?? []).filter((other) => other !== wake),
        )
        reject(new AppError("TOOL_ABORTED", "The step stopped while its call waited at a gate."))
      }
      if (signal.aborted) return onAbort()
      signal.addEventListener("abort", onAbort, { once: true })
      handle.gateWaiters.set(gateId, [...(handle.gateWaiters.get(gateId) ?? []), wake])
      entry.waiting = true
      checkIdle(handle)
    })
  }

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

  function checkIdle(handle: Handle): void {
    if (handle.pumping) return
    if ([...handle.running.values()].some((step) => !step.waiting)) return
    const waiters = handle.idleWaiters
    handle.idleWaiters = []
    for (const resolve of waiters) resolve()
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
        release()
        void pump(handle)
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

  async function pump(handle: Handle): Promise<void> {
    if (handle.pumping) {
      handle.again = true
      return
    }
    handle.pumping = true
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
      const ended = (stepId: string) =>
        events.find(
          (event) => event.type === "step.ended" && (event.data as { stepId?: string }).stepId === stepId,
        )?.seq
      if (input.stepId && !ended(input.stepId))
        throw new AppError("VALIDATION_FAILED", `The run has no ended step ${input.stepId} to fork at.`)
      const seq = input.stepId ? ended(input.stepId)! : (input.seq ?? events.length)
      if (seq < 1 || seq > events.length)
        throw new AppError("VALIDATION_FAILED", `seq must be between 1 and ${events.length}.`)
      const forkId = newId("orc")
      const copies = events
        .filter((event) => event.seq <= seq)
        .map((event) => ({
          id: renameRun(event.id, runId, forkId),
          type: event.type,
          data: renameRun(event.data, runId, forkId),
        }))
      const handle = await newRun(forkId, [
        ...(copies as RunEventInput[]),
        runEvent(`forked_${forkId.slice(4)}`, "run.forked", { from: { runId, seq } }),
      ])
      return statusOf(handle)
    },

    async exportRun(runId) {
      const events = await readAll(runId)
      if (events[0]?.type !== "run.started") throw new AppError("RUN_NOT_FOUND", `There is no run ${runId}.`)
      return exportRun(runId, events, clock().toISOString())
    },

    async importRun(projectId, data, createdBy) {
      refuseWhenClosed()
      const file = validateRunExport(data)
      const runId = newId("orc")
      const events = file.events.map((event) => {
        const renamed = {
          id: renameRun(event.id, file.runId, runId),
          type: event.type,
          data: renameRun(event.data, file.runId, runId),
        }
        if (event.type === "run.started") renamed.data = { ...(renamed.data as object), projectId, createdBy }
        return renamed as RunEventInput
      })
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
