import {
  createModelError,
  type ModelErrorReason,
  type ModelPart,
  type ModelPort,
  type ModelRequest,
  type ModelUsage,
} from "@xionimus/llm"

/** One scripted answer: the parts to stream, or a shorthand for the common ones. */
export type ScriptedTurn = { model?: string } & (
  | { parts: ModelPart[] }
  | { text: string; usage?: Partial<ModelUsage> }
  | { toolCalls: { name: string; input: unknown; id?: string }[]; text?: string; usage?: Partial<ModelUsage> }
  | { error: ModelErrorReason; retryAfterMs?: number }
)

export interface ScriptedModel extends ModelPort {
  /** Appends turns; each model call takes the next one. */
  enqueue(...turns: ScriptedTurn[]): void
  /** Every request the model received, in order. */
  readonly requests: ModelRequest[]
  /** Throws when a call found no turn, a turn expected another model, or turns are left unused. */
  verify(): void
}

const usageOf = (usage: Partial<ModelUsage> | undefined): ModelUsage => ({
  inputTokens: 10,
  outputTokens: 5,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  ...usage,
})

function partsOf(turn: ScriptedTurn, request: ModelRequest, index: number): ModelPart[] {
  if ("parts" in turn) return turn.parts
  if ("error" in turn) {
    const [provider = "scripted", model = request.model] = request.model.split("/", 2)
    return [
      {
        type: "error",
        error: createModelError({
          provider,
          model,
          reason: turn.error,
          ...(turn.retryAfterMs !== undefined ? { retryAfterMs: turn.retryAfterMs } : {}),
        }),
      },
    ]
  }
  const parts: ModelPart[] = []
  if (turn.text) for (const word of turn.text.split(/(?<= )/)) parts.push({ type: "text-delta", text: word })
  if ("toolCalls" in turn) {
    turn.toolCalls.forEach((call, callIndex) => {
      const toolCallId = call.id ?? `call_${index}_${callIndex}`
      const input = JSON.stringify(call.input)
      parts.push({ type: "tool-input-start", toolCallId, toolName: call.name })
      parts.push({ type: "tool-input-delta", toolCallId, delta: input })
      parts.push({ type: "tool-input-end", toolCallId })
      parts.push({ type: "tool-call", toolCallId, toolName: call.name, input: call.input })
    })
  }
  const reason = "toolCalls" in turn && turn.toolCalls.length > 0 ? "tool-calls" : "stop"
  parts.push({ type: "finish", reason, usage: usageOf(turn.usage), model: request.model })
  return parts
}

/**
 * A model port without HTTP for agent and orchestra tests: a queue of scripted turns (a turn may name
 * the model it answers, so each role's model has its own queue). A call with
 * nothing queued throws (and is remembered), and `verify()` — registered on the test's `after` when
 * a test context is given — fails the test if any turn was left unused.
 */
export function createScriptedModel(
  turns: ScriptedTurn[] = [],
  context?: { after(fn: () => void): void },
): ScriptedModel {
  const queue = [...turns]
  const requests: ModelRequest[] = []
  const problems: string[] = []
  const model: ScriptedModel = {
    requests,
    enqueue: (...more) => queue.push(...more),
    async *stream(request) {
      requests.push(request)
      const index = requests.length
      // Turns naming this model form its own queue (roles running in parallel stay deterministic);
      // turns naming no model serve any call, in order.
      let at = queue.findIndex((candidate) => candidate.model === request.model)
      if (at < 0) at = queue.findIndex((candidate) => candidate.model === undefined)
      const turn = at < 0 ? undefined : queue.splice(at, 1)[0]
      if (!turn) {
        const waiting = [...new Set(queue.map((candidate) => candidate.model))].join(", ")
        const problem = `the scripted model ran out: call #${index} (${request.model}) has no scripted turn${waiting ? ` (turns are left for ${waiting})` : ""}`
        problems.push(problem)
        throw new Error(problem)
      }
      for (const part of partsOf(turn, request, index)) {
        if (request.signal?.aborted) {
          const [provider = "scripted", name = request.model] = request.model.split("/", 2)
          yield { type: "error", error: createModelError({ provider, model: name, reason: "aborted" }) }
          return
        }
        yield part
      }
    },
    verify() {
      const left = queue.length > 0 ? [`${queue.length} scripted turn(s) were never used`] : []
      const all = [...problems, ...left]
      if (all.length > 0) throw new Error(all.join("; "))
    },
  }
  context?.after(() => model.verify())
  return model
}
