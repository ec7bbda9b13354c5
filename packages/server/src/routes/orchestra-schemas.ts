import { z } from "zod"

/** Request and answer shapes of the orchestra routes (docs/orchestra.md, docs/api.md "Orchestra"). */

export const RunId = z.string().regex(/^orc_[0-9A-Za-z_-]{1,64}$/, "a run id such as orc_…")
export const RunParams = z.strictObject({ runId: RunId })
export const GateParams = z.strictObject({ runId: RunId, gateId: z.string().min(1).max(128) })

export const StartRunBody = z.strictObject({
  goal: z.string().trim().min(1).max(20_000).describe("What the run should achieve, in a person's words"),
  preset: z
    .unknown()
    .optional()
    .describe(
      "Roles as data (docs/orchestra.md), or the name of one of the project's presets " +
        "(.xionimus/orchestra/presets/<name>.json); the default four-role preset when absent. PRESET_INVALID",
    ),
  budget: z
    .strictObject({
      tokens: z.number().int().min(1).optional(),
      costUsd: z.number().min(0).optional(),
      modelCalls: z.number().int().min(1).optional(),
    })
    .optional()
    .describe("Limits of the whole run; reaching one opens a budget gate"),
})

export const GateDecisionBody = z.strictObject({
  decision: z.enum(["approve", "reject", "edit"]),
  comment: z.string().max(20_000).optional().describe("Required for reject: the agent reads it"),
  payload: z.unknown().optional().describe("Required for edit: the gate's payload as it should be"),
})

export const GatesQuery = z.strictObject({
  all: z.enum(["true", "false"]).default("false").describe("true: decided gates too, not only the open ones"),
})

export const ForkRunBody = z.strictObject({
  seq: z.number().int().min(1).optional().describe("Copy the log up to this seq (default: all of it)"),
})

// Answers are sent as the engine returns them (routes do not parse answers): these document the main fields.
const Gate = z
  .object({
    id: z.string(),
    kind: z.enum(["plan", "dangerous-tool", "review", "budget", "stuck"]),
    status: z.enum(["open", "approved", "rejected", "edited"]),
    reason: z.string(),
    payload: z.unknown(),
  })
  .describe("A human gate (more fields: packageId, stepId, decision, comment, editedPayload, decidedBy)")

export const RunStatusBody = z.object({
  runId: RunId,
  state: z
    .object({ projectId: z.string(), goal: z.string(), ended: z.unknown() })
    .describe("The run reduced from its events: packages, gates, steps, messages, totals"),
  context: z.string().describe("CONTEXT.md as rendered from the run"),
  waiting: z.array(Gate).describe("Gates waiting for a person's decision"),
  active: z.array(z.string()).describe("Steps running now"),
})

export const GateList = z.object({ items: z.array(Gate) })

export const RunContextBody = z.object({
  runId: RunId,
  version: z.number().int().min(0),
  markdown: z.string(),
})
