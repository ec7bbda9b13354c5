import { newId, toAppError } from "@xionimus/kit"
import type { CallScope, ModelMessage, ModelPart, ModelRouter, ToolSpec } from "@xionimus/llm"
import type { SessionUsage } from "@xionimus/protocol"
import type { TurnWriter } from "./turn-writer.ts"

type ToolCallPart = Extract<ModelPart, { type: "tool-call" }>

/** How one model call of a turn ended. */
export type ModelCall =
  | { kind: "answered"; messageId: string; toolCalls: ToolCallPart[] }
  | { kind: "cancelled" }
  | { kind: "failed"; error: { code: string; message: string } }

/** What a model call writes to and bills: the turn's writer, router and session. */
export interface ModelCallContext {
  router: ModelRouter
  writer: TurnWriter
  model: string
  turnId: string
  scope: CallScope
  signal: AbortSignal
  /** Adds what the call used to the turn's and the session's usage. */
  bill(spent: SessionUsage): Promise<void>
  /** Makes the answer's text searchable. */
  indexText(text: string): Promise<void>
}

export interface ModelCallRequest {
  system: string
  tools: ToolSpec[]
  messages: ModelMessage[]
}

/**
 * One model call of a turn: `assistant.started`, the streamed text and reasoning (coalesced), each tool
 * call as `tool.called`, retries and fallbacks as `model.retried`, and `assistant.finished` with the
 * reason and usage (billed). Never throws: a failure or cancel is the result's kind.
 */
export async function callModel(context: ModelCallContext, request: ModelCallRequest): Promise<ModelCall> {
  const { router, writer, model, turnId, scope, signal } = context
  const { system, tools, messages } = request
  const messageId = newId("msg")
  await writer.event("assistant.started", { turnId, messageId, model })
  const toolCalls: ToolCallPart[] = []
  let text = ""
  const end = async (
    reason: "cancelled" | "error",
    error?: { code: string; message: string },
  ): Promise<ModelCall> => {
    await writer.event("assistant.finished", { messageId, reason, model, ...(error ? { error } : {}) })
    if (text) await context.indexText(text)
    if (reason === "cancelled") return { kind: "cancelled" }
    return {
      kind: "failed",
      error: error ?? { code: "MODEL_CALL_FAILED", message: "The model call failed." },
    }
  }
  try {
    for await (const part of router.stream({ model, system, messages, tools, scope, signal })) {
      switch (part.type) {
        case "text-delta":
          text += part.text
          writer.delta("assistant.text", messageId, part.text)
          break
        case "reasoning-delta":
          writer.delta("assistant.reasoning", messageId, part.text)
          break
        case "tool-call":
          toolCalls.push(part)
          await writer.event("tool.called", {
            messageId,
            callId: part.toolCallId,
            tool: part.toolName,
            input: part.input,
          })
          break
        case "retry":
          await writer.event("model.retried", {
            kind: "retry",
            model: part.model,
            attempt: part.attempt,
            delayMs: Math.round(part.delayMs),
            error: { reason: part.error.reason, message: part.error.message },
          })
          break
        case "fallback":
          await writer.event("model.retried", {
            kind: "fallback",
            model: part.from,
            to: part.to,
            error: { reason: part.error.reason, message: part.error.message },
          })
          break
        case "finish": {
          const spent: SessionUsage = {
            inputTokens: part.usage.inputTokens,
            outputTokens: part.usage.outputTokens,
            cachedInputTokens: part.usage.cachedInputTokens,
            costUsd: part.costUsd ?? 0,
          }
          await writer.event("assistant.finished", {
            messageId,
            reason: part.reason,
            model: part.model,
            usage: spent,
          })
          await context.bill(spent)
          if (text) await context.indexText(text)
          return { kind: "answered", messageId, toolCalls }
        }
        case "error":
          if (signal.aborted || part.error.reason === "aborted") return end("cancelled")
          return end("error", { code: part.error.code, message: part.error.message })
      }
    }
  } catch (error) {
    if (signal.aborted) return end("cancelled")
    const failure = toAppError(error)
    return end("error", { code: failure.code, message: failure.message })
  }
  if (signal.aborted) return end("cancelled")
  return end("error", { code: "MODEL_CALL_FAILED", message: "The model's answer ended without a finish." })
}
