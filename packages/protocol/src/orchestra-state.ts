import type { z } from "zod"
import type { StoredEvent } from "./event.ts"
import { PlanEdit, RunBudget, type RunEventType, type RunUsage, runEventSchemas } from "./orchestra-events.ts"
import type { ContextSection } from "./orchestra-roles.ts"
import type {
  ContextSectionState,
  GateStatus,
  RunGate,
  RunMessage,
  RunPackage,
  RunState,
  RunStep,
} from "./orchestra-state-types.ts"

/**
 * An orchestra run as its event log says it is: the one reducer that the engine (scheduling, resume,
 * exports), the server (the run list) and the browser (the run view) fold the same events with. Pure and
 * browser-safe; unknown event types and data their schema rejects are skipped, so an older reader folds a
 * newer log (docs/orchestra.md "The run is an event log").
 */

const zeroUsage = (): RunUsage => ({ inputTokens: 0, outputTokens: 0, costUsd: 0, modelCalls: 0 })
const sections: ContextSection[] = ["goal", "decisions", "plan", "status", "open_questions"]

export function emptyRunState(id: string): RunState {
  return {
    id,
    projectId: "",
    goal: "",
    preset: null,
    budget: {},
    baseCheckpoint: "",
    createdBy: null,
    forkedFrom: null,
    ended: null,
    messages: [],
    readCursors: {},
    context: {
      version: 0,
      sections: Object.fromEntries(
        sections.map((name) => [name, { version: 0, text: "", by: null }]),
      ) as Record<ContextSection, ContextSectionState>,
    },
    audit: [],
    packages: [],
    gates: [],
    steps: [],
    totals: { run: zeroUsage(), byRole: {}, byPackage: {} },
    runMalformed: 0,
    head: 0,
  }
}

const addRunUsage = (total: RunUsage | undefined, usage: RunUsage): RunUsage => ({
  inputTokens: (total?.inputTokens ?? 0) + usage.inputTokens,
  outputTokens: (total?.outputTokens ?? 0) + usage.outputTokens,
  costUsd: (total?.costUsd ?? 0) + usage.costUsd,
  modelCalls: (total?.modelCalls ?? 0) + usage.modelCalls,
})

/** Folds a run's events (pure; unknown types and invalid data are skipped, so older readers cope). */
export function reduceRun(events: readonly StoredEvent[], initial?: RunState): RunState {
  let state = initial ?? emptyRunState(events[0]?.stream ?? "")
  for (const event of events) state = applyRunEvent(state, event)
  return state
}

/** Applies one event; returns a new state (the inputs are not changed). */
export function applyRunEvent(previous: RunState, event: StoredEvent): RunState {
  if (event.seq <= previous.head) return previous
  const state: RunState = { ...previous, head: event.seq }
  const schema = runEventSchemas[event.type as RunEventType]
  if (!schema) return state
  const parsed = schema.safeParse(event.data)
  if (!parsed.success) return state
  const data = parsed.data as never
  apply[event.type as RunEventType](state, data, event)
  return state
}

const updatePackage = (state: RunState, id: string, change: (item: RunPackage) => Partial<RunPackage>) => {
  state.packages = state.packages.map((item) => (item.id === id ? { ...item, ...change(item) } : item))
}
const updateGate = (state: RunState, id: string, change: (gate: RunGate) => Partial<RunGate>) => {
  state.gates = state.gates.map((gate) => (gate.id === id ? { ...gate, ...change(gate) } : gate))
}
const audit = (state: RunState, event: StoredEvent) => {
  state.audit = [...state.audit, { seq: event.seq, type: event.type, data: event.data }]
}

type Appliers = {
  [T in RunEventType]: (
    state: RunState,
    data: z.infer<(typeof runEventSchemas)[T]>,
    event: StoredEvent,
  ) => void
}

const apply: Appliers = {
  "run.started"(state, data) {
    Object.assign(state, {
      projectId: data.projectId,
      goal: data.goal,
      preset: data.preset,
      budget: data.budget,
      baseCheckpoint: data.baseCheckpoint,
      createdBy: data.createdBy,
    })
  },
  "run.forked"(state, data) {
    state.forkedFrom = data.from
    state.ended = null
  },
  "run.ended"(state, data) {
    state.ended = data
  },
  "message.published"(state, data, event) {
    if (state.messages.some((message) => message.id === data.id)) return
    state.messages = [...state.messages, { ...data, seq: state.messages.length + 1, eventSeq: event.seq }]
  },
  "message.read"(state, data) {
    const current = state.readCursors[data.recipient] ?? 0
    state.readCursors = { ...state.readCursors, [data.recipient]: Math.max(current, data.upTo) }
  },
  "context.patched"(state, data) {
    state.context = {
      version: state.context.version + 1,
      sections: {
        ...state.context.sections,
        [data.section]: { version: data.version, text: data.text, by: data.by },
      },
    }
  },
  "context.refused"(state, _data, event) {
    audit(state, event)
  },
  "package.created"(state, data) {
    if (state.packages.some((item) => item.id === data.id)) return
    state.packages = [
      ...state.packages,
      {
        ...data,
        state: "draft",
        revision: 0,
        files: [],
        reviewRounds: 0,
        malformed: 0,
        approvedRevision: null,
        lastReview: null,
        checks: data.acceptance.map(() => null),
        merged: false,
        conflict: null,
        reason: "",
      },
    ]
  },
  "package.moved"(state, data) {
    // The reason is replaced whole: a reason without a code drops the previous one's code.
    state.packages = state.packages.map(({ reasonCode: _code, reasonParams: _params, ...item }, index) =>
      item.id !== data.id
        ? state.packages[index]!
        : {
            ...item,
            state: data.to,
            reason: data.reason,
            ...(data.code ? { reasonCode: data.code, reasonParams: data.params ?? {} } : {}),
            ...(data.from === "blocked" ? { malformed: 0, reviewRounds: 0 } : {}),
          },
    )
  },
  "package.refused"(state, _data, event) {
    audit(state, event)
  },
  "package.changed"(state, data) {
    updatePackage(state, data.id, (item) => ({
      revision: data.revision,
      files: [...new Set([...item.files, ...data.files])].sort(),
    }))
  },
  "review.submitted"(state, data) {
    updatePackage(state, data.packageId, (item) => ({
      lastReview: { verdict: data.verdict, comment: data.comment, revision: data.revision },
      approvedRevision: data.verdict === "approve" ? data.revision : item.approvedRevision,
      reviewRounds: item.reviewRounds + (data.verdict === "request_changes" ? 1 : 0),
    }))
  },
  "check.ran"(state, data) {
    updatePackage(state, data.packageId, (item) => ({
      checks: item.checks.map((check, index) => (index === data.index ? data : check)),
    }))
  },
  "gate.opened"(state, data, event) {
    if (state.gates.some((gate) => gate.id === data.id)) return
    state.gates = [...state.gates, { ...data, status: "open", openedSeq: event.seq }]
  },
  "gate.decided"(state, data) {
    const gate = state.gates.find((candidate) => candidate.id === data.id)
    if (gate?.status !== "open") return
    const status: GateStatus =
      data.decision === "approve" ? "approved" : data.decision === "reject" ? "rejected" : "edited"
    updateGate(state, data.id, (gate) =>
      gate.status !== "open"
        ? {}
        : {
            status,
            decision: data.decision,
            decidedBy: data.by,
            ...(data.comment !== undefined ? { comment: data.comment } : {}),
            ...(data.decision === "edit" ? { editedPayload: data.payload } : {}),
          },
    )
    const decided = state.gates.find((candidate) => candidate.id === data.id)!
    if (gate.kind === "budget" && status !== "rejected") state.budget = raisedBudget(decided, state.budget)
    if (gate.kind === "stuck" && !gate.packageId && status !== "rejected") state.runMalformed = 0
    if (gate.kind === "plan" && status === "edited") {
      const edits = PlanEdit.safeParse(data.payload)
      for (const edit of edits.success ? edits.data.packages : [])
        updatePackage(state, edit.id, () => ({
          ...(edit.title ? { title: edit.title } : {}),
          ...(edit.instructions ? { instructions: edit.instructions } : {}),
        }))
    }
  },
  "step.started"(state, data, event) {
    if (state.steps.some((step) => step.stepId === data.stepId)) return
    state.steps = [...state.steps, { ...data, status: "running", startedSeq: event.seq }]
  },
  "step.ended"(state, data) {
    const step = state.steps.find((candidate) => candidate.stepId === data.stepId)
    if (!step || step.status === "ended") return
    state.steps = state.steps.map((candidate) =>
      candidate === step
        ? {
            ...candidate,
            status: "ended",
            outcome: data.outcome,
            usage: data.usage,
            ...(data.error ? { error: data.error } : {}),
            ...(data.timing ? { latencyMs: data.timing.latencyMs } : {}),
          }
        : candidate,
    )
    const totals = state.totals
    state.totals = {
      run: addRunUsage(totals.run, data.usage),
      byRole: { ...totals.byRole, [step.role]: addRunUsage(totals.byRole[step.role], data.usage) },
      byPackage: step.packageId
        ? { ...totals.byPackage, [step.packageId]: addRunUsage(totals.byPackage[step.packageId], data.usage) }
        : totals.byPackage,
    }
  },
  "tool.refused"(state, _data, event) {
    audit(state, event)
  },
  "output.rejected"(state, data, event) {
    audit(state, event)
    if (data.packageId) updatePackage(state, data.packageId, (item) => ({ malformed: item.malformed + 1 }))
    else state.runMalformed += 1
  },
  "merge.applied"(state, data) {
    updatePackage(state, data.packageId, () => ({ merged: true, conflict: null }))
  },
  "merge.conflicted"(state, data) {
    updatePackage(state, data.packageId, () => ({ conflict: data.paths }))
  },
}

/**
 * Messages for the role `recipient`, or for its instance on `packageId` (`implementer_2`), after that
 * instance's own read cursor: broadcast, directed to the role (every instance reads it once) or to the
 * instance; never its own.
 */
export function inbox(state: RunState, recipient: string, packageId?: string): RunMessage[] {
  const reader = instanceOf(recipient, packageId)
  const cursor = state.readCursors[reader] ?? 0
  return state.messages.filter(
    (message) =>
      message.seq > cursor &&
      instanceOf(message.sender, message.packageId) !== reader &&
      (message.recipients === "*" ||
        message.recipients.includes(recipient) ||
        message.recipients.includes(reader)),
  )
}

export const openGates = (state: RunState): RunGate[] => state.gates.filter((gate) => gate.status === "open")
export const packageById = (state: RunState, id: string): RunPackage | undefined =>
  state.packages.find((item) => item.id === id)
export const runningSteps = (state: RunState): RunStep[] =>
  state.steps.filter((step) => step.status === "running")

/**
 * The agent a step is: the role itself for run-wide work (planning), `<role>_<n>` for its work on package
 * n (`implementer_2`). Parallel implementers are instances of one role; each has its own session and its
 * own read cursor. Role names have no `_`, so an instance name never clashes with a role's.
 */
export function instanceOf(role: string, packageId?: string): string {
  return packageId ? `${role}_${packageId.split("_").at(-1)}` : role
}

/** The budget that applies after a budget gate was approved (the same amount again) or edited. */
export function raisedBudget(gate: RunGate, current: RunState["budget"]): RunState["budget"] {
  if (gate.status === "edited") return RunBudget.parse(gate.editedPayload)
  const raise = (gate.payload as { budget?: RunState["budget"] } | undefined)?.budget ?? {}
  return {
    ...(current.tokens !== undefined ? { tokens: current.tokens + (raise.tokens ?? current.tokens) } : {}),
    ...(current.costUsd !== undefined
      ? { costUsd: current.costUsd + (raise.costUsd ?? current.costUsd) }
      : {}),
    ...(current.modelCalls !== undefined
      ? { modelCalls: current.modelCalls + (raise.modelCalls ?? current.modelCalls) }
      : {}),
  }
}
