import { AppError } from "@xionimus/kit"
import { type CodedReason, PlanEdit, raisedBudget, runReason } from "@xionimus/protocol"
import { z } from "zod"
import { instanceOf } from "./role-session.ts"
import { roleByDuty } from "./roles.ts"
import { type GateDecision, type GateKind, RunBudget, type RunEventInput, runEvent } from "./run-events.ts"
import { packageById, type RunGate, type RunState } from "./run-state.ts"

/** Human gates: plan, dangerous tool, review, budget, stuck (docs/orchestra.md "Gates"). */

/**
 * An edited dangerous tool call: the command that runs instead, or the call's whole input (a gate the
 * permission policy opened for another tool; the gate's payload with a changed `input` is accepted).
 */
export const ToolEdit = z.union([
  z.strictObject({ command: z.string().min(1).max(10_000) }),
  z.object({ input: z.record(z.string(), z.unknown()) }),
])
export type ToolEdit = z.infer<typeof ToolEdit>

/** The input a call runs with after a person edited it at its gate. */
export function editedInput(input: unknown, payload: unknown): unknown {
  const edit = ToolEdit.parse(payload)
  return "command" in edit ? { ...(input as object), command: edit.command } : edit.input
}

export interface GateInput {
  decision: GateDecision
  comment?: string
  payload?: unknown
}

/** A gate to open: its reason is always one of the engine's coded reasons (the web translates it). */
export interface GateToOpen {
  kind: GateKind
  reason: CodedReason
  payload: unknown
  packageId?: string
  stepId?: string
}

export function openGate(id: string, { reason, ...data }: GateToOpen): RunEventInput {
  return runEvent(`${id}_open`, "gate.opened", {
    id,
    ...data,
    reason: reason.text,
    code: reason.code,
    params: reason.params,
  })
}

const payloadSchemas: Partial<Record<GateKind, z.ZodType>> = {
  plan: PlanEdit,
  "dangerous-tool": ToolEdit,
  budget: RunBudget,
}

/**
 * A person's decision: `gate.decided` and what follows from it, in one append. Raises GATE_NOT_FOUND,
 * GATE_ALREADY_DECIDED, GATE_DECISION_INVALID (a reject without a comment, an edit without a valid
 * payload, an edit of a gate that takes none).
 */
export function decideGate(
  state: RunState,
  gateId: string,
  input: GateInput,
  by: string | null,
): RunEventInput[] {
  const gate = state.gates.find((candidate) => candidate.id === gateId)
  if (!gate) throw new AppError("GATE_NOT_FOUND", `There is no gate ${gateId} in this run.`)
  if (gate.status !== "open")
    throw new AppError("GATE_ALREADY_DECIDED", `The gate ${gateId} was decided already (${gate.status}).`)
  if (input.decision === "reject" && !input.comment?.trim())
    throw new AppError(
      "GATE_DECISION_INVALID",
      "A rejection needs a comment: the agent reads it to know what to do instead.",
    )
  let payload: unknown
  if (input.decision === "edit") {
    const schema = payloadSchemas[gate.kind]
    if (!schema)
      throw new AppError(
        "GATE_DECISION_INVALID",
        `A ${gate.kind} gate cannot be edited; approve or reject it.`,
      )
    const parsed = schema.safeParse(input.payload)
    if (!parsed.success)
      throw new AppError(
        "GATE_DECISION_INVALID",
        `The edited payload is not valid: ${z.prettifyError(parsed.error)}`,
      )
    payload = parsed.data
  }
  const decided = runEvent(`${gateId}_decided`, "gate.decided", {
    id: gateId,
    decision: input.decision,
    ...(input.comment?.trim() ? { comment: input.comment.trim() } : {}),
    ...(payload !== undefined ? { payload } : {}),
    by,
  })
  return [decided, ...consequences(state, gate, input, gateId)]
}

function consequences(state: RunState, gate: RunGate, input: GateInput, gateId: string): RunEventInput[] {
  const human = roleByDuty(state.preset!, "human")?.name ?? "human"
  const conductor = roleByDuty(state.preset!, "conductor")?.name ?? "conductor"
  const implementerRole = roleByDuty(state.preset!, "implementer")?.name ?? "implementer"
  // A package's comment goes to the implementer of that package (its own read cursor).
  const implementer = gate.packageId ? instanceOf(implementerRole, gate.packageId) : implementerRole
  const rejected = input.decision === "reject"
  const comment = input.comment?.trim() ?? ""
  const events: RunEventInput[] = []
  const move = (id: string, from: string, to: string, byRole: string, reason: CodedReason, n: number) =>
    events.push(
      runEvent(`${gateId}_mv${n}`, "package.moved", {
        id,
        from: from as never,
        to: to as never,
        by: byRole,
        reason: reason.text,
        code: reason.code,
        params: reason.params,
      }),
    )
  const ended = (outcome: "failed" | "budget", reason: CodedReason) =>
    events.push(
      runEvent(`${gateId}_end`, "run.ended", {
        outcome,
        message: reason.text,
        code: reason.code,
        params: reason.params,
      }),
    )
  const tell = (recipient: string, packageId?: string) =>
    events.push(
      runEvent(`msg_${gateId}`, "message.published", {
        id: `msg_${gateId}`,
        sender: human,
        recipients: [recipient],
        causationId: gateId,
        kind: "gate-comment",
        body: `The ${gate.kind} gate was rejected: ${comment}`,
        ...(packageId ? { packageId } : {}),
      }),
    )
  const item = gate.packageId ? packageById(state, gate.packageId) : undefined
  switch (gate.kind) {
    case "plan": {
      const planned = state.packages.filter((candidate) => candidate.state === "planned")
      planned.forEach((candidate, index) => {
        if (rejected)
          move(
            candidate.id,
            "planned",
            "cancelled",
            human,
            runReason("package.planRejected", { comment }),
            index,
          )
        else move(candidate.id, "planned", "assigned", conductor, runReason("package.planApproved"), index)
      })
      if (rejected) tell(conductor)
      break
    }
    case "review":
      if (rejected && item) {
        move(item.id, item.state, "in_progress", human, runReason("package.reviewRejected", { comment }), 0)
        tell(implementer, item.id)
      }
      break
    case "stuck":
      if (item) {
        if (rejected)
          move(item.id, item.state, "cancelled", human, runReason("package.stuckRejected", { comment }), 0)
        else move(item.id, item.state, "in_progress", human, runReason("package.letGoOn"), 0)
        if (!rejected && input.comment) tell(implementer, item.id)
      } else if (rejected) ended("failed", runReason("run.stuckRejected", { comment }))
      break
    case "budget":
      if (rejected) ended("budget", runReason("run.budgetNotRaised", { comment }))
      break
    case "dangerous-tool":
      // The waiting call reads the decision itself: rejected, it is never executed.
      break
  }
  return events
}

// The plan gate's edit payload and the budget a decided budget gate leaves are part of the run's state
// (packages/protocol/src/orchestra-state.ts folds them).
export { PlanEdit, raisedBudget }
