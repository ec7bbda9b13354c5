import type { EventBus } from "@xionimus/bus"
import { AppError } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"
import type { RunEventInput } from "./run-events.ts"
import { applyRunEvent, type RunGate, type RunState, reduceRun } from "./run-state.ts"
import type { Template } from "./templates.ts"

/**
 * What the engine holds of a run it has loaded: its log and reduced state, its append chain (appends and
 * catch-up reads in order, each folded once), the steps running here and their commit order, the steps
 * waiting at a gate, and who waits for the run to be idle.
 */

export interface RunningStep {
  controller: AbortController
  waiting: boolean
  promise: Promise<void>
}

export interface Handle {
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
  /** The scheduler's current pass (with the passes asked for while it ran); resolved when it is done. */
  pumped: Promise<void>
  idleWaiters: (() => void)[]
  stopped: boolean
  closing: boolean
}

const page = 1000

/** True while the engine has work on the run here: its scheduler pumping or steps running. */
export const busy = (handle: Handle) => handle.pumping || handle.running.size > 0

/** Wakes whoever waits for the run to be idle, once nothing runs here but steps waiting at a gate. */
export function checkIdle(handle: Handle): void {
  if (handle.pumping) return
  if ([...handle.running.values()].some((step) => !step.waiting)) return
  const waiters = handle.idleWaiters
  handle.idleWaiters = []
  for (const resolve of waiters) resolve()
}

export interface RunHandles {
  /** The runs loaded here, by id. */
  handles: Map<string, Handle>
  /** The run's handle, loaded from its log the first time; a run not driven here catches up first. RUN_NOT_FOUND. */
  handleOf(runId: string): Promise<Handle>
  /** Appends in order (one chain per run) and folds what was stored; wakes the waiters of decided gates. */
  append(handle: Handle, events: RunEventInput[]): Promise<StoredEvent[]>
  /** Resolves once the gate is decided; the step counts as waiting meanwhile. TOOL_ABORTED on abort. */
  waitForGate(handle: Handle, entry: RunningStep, gateId: string, signal: AbortSignal): Promise<RunGate>
  busy(handle: Handle): boolean
  /** The run's whole log, read a page at a time. */
  readAll(runId: string): Promise<StoredEvent[]>
}

export function createRunHandles(deps: {
  bus: Pick<EventBus, "append" | "read">
  /** The work-package templates of a project (shipped ones and its own). */
  templates(projectId: string): Promise<Map<string, Template>>
}): RunHandles {
  const handles = new Map<string, Handle>()

  async function readAll(runId: string): Promise<StoredEvent[]> {
    const all: StoredEvent[] = []
    for (;;) {
      const events = await deps.bus.read(runId, { after: all.at(-1)?.seq ?? 0, limit: page })
      all.push(...events)
      if (events.length < page) return all
    }
  }

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
      templates: await deps.templates(state.projectId),
      running: new Map(),
      lastCommit: Promise.resolve(),
      appendChain: Promise.resolve(),
      gateWaiters: new Map(),
      pumping: false,
      again: false,
      pumped: Promise.resolve(),
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

  return { handles, handleOf, append, waitForGate, busy, readAll }
}
