import type { Logger } from "@xionimus/kit"
import type { CallScope, ModelMessage, ModelRouter, ToolSpec } from "@xionimus/llm"
import { createTokenCounter, type TokenCounter } from "@xionimus/llm"
import type { SessionMessage, SessionState, SessionUsage } from "@xionimus/protocol"
import { toModelMessages } from "./history.ts"

/** Tool outputs after this many of the latest user messages are never pruned. */
export const keptTurns = 2
/** Characters of one tool output that the summariser reads. */
const transcriptOutputCharacters = 2_000

export const summaryInstructions = `You summarise a conversation between a user and a coding agent so that the agent can continue
the work from the summary alone. Keep: the user's goals and constraints, decisions made, files read
and changed (with paths), commands run and their results, errors met and how they were solved, and
what is left to do. Leave out pleasantries and tool output that no longer matters. Write plain prose
and short lists, at most about 400 words.`

export interface Compaction {
  throughSeq: number
  summary: string
  prunedCallIds: string[]
  tokensBefore: number
  tokensAfter: number
}

export interface CompactionInput {
  state: SessionState
  system: string
  tools: ToolSpec[]
  model: string
  contextWindow: number
  /** Share of the window at which compaction starts. */
  compactAt: number
  router: ModelRouter
  scope: CallScope
  signal: AbortSignal
  counter?: TokenCounter
  logger?: Logger
}

const counterOfProcess = createTokenCounter()

/** Estimated prompt tokens of a request (one token per 3 characters: errs on the high side). */
export function promptTokens(
  request: { system: string; messages: ModelMessage[]; tools: ToolSpec[] },
  counter: TokenCounter = counterOfProcess,
): Promise<number> {
  return counter.countRequest(request, "estimate")
}

/**
 * Decides whether the prompt is near the window and, if so, how to shrink it: first the outputs of
 * tool calls older than the last two turns are pruned; if that is not enough, the model summarises
 * the messages before the latest user message (or, in one long turn, all but its last two answers).
 * Returns the `session.compacted` data to append (the log keeps the originals), or undefined when the
 * prompt fits. The summary call's usage comes back for billing.
 */
export async function planCompaction(
  input: CompactionInput,
): Promise<{ compaction: Compaction; usage?: SessionUsage } | undefined> {
  const counter = input.counter ?? counterOfProcess
  const limit = Math.floor(input.compactAt * input.contextWindow)
  const measure = (options: Parameters<typeof toModelMessages>[1]) =>
    promptTokens(
      { system: input.system, messages: toModelMessages(input.state, options), tools: input.tools },
      counter,
    )
  const tokensBefore = await measure({})
  if (tokensBefore < limit) return undefined

  const previous = input.state.compaction
  let throughSeq = previous?.throughSeq ?? 0
  let summary = previous?.summary ?? ""
  const pruned = new Set(previous?.prunedCallIds ?? [])
  for (const callId of prunableCalls(input.state.messages, throughSeq)) pruned.add(callId)
  let tokensAfter = await measure({ prunedCallIds: pruned, throughSeq, summary })
  let usage: SessionUsage | undefined

  if (tokensAfter >= limit) {
    const cut = olderMessages(input.state.messages, throughSeq)
    if (cut.older.length > 0) {
      const result = await summarise(input, summary, cut.older, pruned)
      if (result) {
        summary = result.summary
        usage = result.usage
        throughSeq = cut.throughSeq
        tokensAfter = await measure({ prunedCallIds: pruned, throughSeq, summary })
      }
    }
  }
  const prunedCallIds = [...pruned]
  const changed =
    throughSeq !== (previous?.throughSeq ?? 0) ||
    prunedCallIds.length !== (previous?.prunedCallIds.length ?? 0)
  if (!changed) return undefined
  return {
    compaction: { throughSeq, summary, prunedCallIds, tokensBefore, tokensAfter },
    ...(usage ? { usage } : {}),
  }
}

/**
 * Tool calls with output before the last `keptTurns` user messages (after any summary): the current
 * exchange and the one before keep their outputs.
 */
function prunableCalls(messages: readonly SessionMessage[], throughSeq: number): string[] {
  const users = messages.filter((message) => message.role === "user" && !message.queued)
  const keptFrom = users.at(-keptTurns)?.seq ?? 0
  const calls: string[] = []
  for (const message of messages) {
    if (message.role !== "assistant" || message.seq <= throughSeq || message.seq >= keptFrom) continue
    for (const part of message.parts)
      if (part.type === "tool" && (part.status === "completed" || part.status === "error"))
        calls.push(part.callId)
  }
  return calls
}

/**
 * The messages a summary replaces — those before the latest user message, or all but the last two in
 * one long turn — and the seq the summary then reaches (just before the first message kept).
 */
function olderMessages(
  messages: readonly SessionMessage[],
  throughSeq: number,
): { older: SessionMessage[]; throughSeq: number } {
  const open = messages.filter(
    (message) => message.seq > throughSeq && !(message.role === "user" && message.queued),
  )
  let lastUser = -1
  for (let index = open.length - 1; index >= 0; index--) {
    if (open[index]!.role === "user") {
      lastUser = index
      break
    }
  }
  const cut = lastUser > 0 ? lastUser : open.length > 3 ? open.length - 2 : 0
  if (cut === 0) return { older: [], throughSeq }
  return { older: open.slice(0, cut), throughSeq: open[cut]!.seq - 1 }
}

function transcriptOf(messages: readonly SessionMessage[], pruned: ReadonlySet<string>): string {
  const lines: string[] = []
  for (const message of messages) {
    if (message.role === "user") {
      lines.push(`User: ${message.text}`)
      continue
    }
    for (const part of message.parts) {
      if (part.type === "text") lines.push(`Agent: ${part.text}`)
      else if (part.type === "tool") {
        const result = pruned.has(part.callId)
          ? "[output pruned]"
          : (part.output ?? part.error?.message ?? "(no result)").slice(0, transcriptOutputCharacters)
        lines.push(`Agent called ${part.tool} ${JSON.stringify(part.input)} → ${result}`)
      }
    }
  }
  return lines.join("\n\n")
}

async function summarise(
  input: CompactionInput,
  previousSummary: string,
  older: readonly SessionMessage[],
  pruned: ReadonlySet<string>,
): Promise<{ summary: string; usage: SessionUsage } | undefined> {
  const transcript = transcriptOf(older, pruned)
  const content = `${previousSummary ? `Summary of the conversation before this part: ${previousSummary}\n\n` : ""}The conversation:\n\n${transcript}\n\nWrite the summary now.`
  let text = ""
  for await (const part of input.router.stream({
    model: input.model,
    system: summaryInstructions,
    messages: [{ role: "user", content }],
    scope: input.scope,
    signal: input.signal,
  })) {
    if (part.type === "text-delta") text += part.text
    else if (part.type === "error") {
      if (input.signal.aborted) return undefined
      input.logger?.warn(
        { err: part.error, model: input.model },
        "the compaction summary failed; only old tool outputs were pruned",
      )
      return undefined
    } else if (part.type === "finish") {
      const summary = text.trim()
      if (!summary) return undefined
      return {
        summary,
        usage: {
          inputTokens: part.usage.inputTokens,
          outputTokens: part.usage.outputTokens,
          cachedInputTokens: part.usage.cachedInputTokens,
          costUsd: part.costUsd ?? 0,
        },
      }
    }
  }
  return undefined
}
