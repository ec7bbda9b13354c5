import type { ModelError } from "./model-error.ts"

/** A model is named `<providerId>/<modelId>`, e.g. `openai/gpt-4o` or `ollama/llama3.2`. */
export type ModelName = string

export type UserContentPart =
  | { type: "text"; text: string }
  /** Bytes, base64 text or an http(s) URL; vision models only. */
  | { type: "image"; image: Uint8Array | string | URL; mediaType?: string }

export type AssistantContentPart =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown }

export interface ToolResult {
  toolCallId: string
  toolName: string
  /** Text or JSON the tool produced. */
  output: unknown
  /** The tool failed; `output` describes why (worded for the model). */
  isError?: boolean
}

export type ModelMessage =
  | { role: "user"; content: string | UserContentPart[] }
  | { role: "assistant"; content: string | AssistantContentPart[] }
  | { role: "tool"; content: ToolResult[] }

/** A tool the model may call; `parameters` is a JSON Schema object. */
export interface ToolSpec {
  name: string
  description: string
  parameters: Record<string, unknown>
}

export interface ModelRequest {
  /** `<providerId>/<modelId>`. */
  model: ModelName
  system?: string
  messages: ModelMessage[]
  tools?: ToolSpec[]
  maxOutputTokens?: number
  temperature?: number
  /** Ends the call at any point; the stream then yields an `aborted` error part and ends. */
  signal?: AbortSignal
}

export interface ModelUsage {
  inputTokens: number
  outputTokens: number
  /** Input tokens read from the provider's prompt cache (part of inputTokens). */
  cachedInputTokens: number
  /** Output tokens spent thinking (part of outputTokens), where the provider reports them. */
  reasoningTokens: number
}

export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "other"

/**
 * The typed parts of one streamed model call, in order. A stream ends with exactly one `finish` or
 * one `error` part.
 */
export type ModelPart =
  | { type: "text-delta"; text: string }
  | { type: "reasoning-delta"; text: string }
  | { type: "tool-input-start"; toolCallId: string; toolName: string }
  | { type: "tool-input-delta"; toolCallId: string; delta: string }
  | { type: "tool-input-end"; toolCallId: string }
  /**
   * A complete tool call. `invalid` is set when the arguments were not valid JSON and could not be
   * repaired: send `invalid` back to the model once (see toolCallCorrection) instead of running it.
   */
  | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown; invalid?: string }
  /** `costUsd` is set by the router (catalog prices), for showing the call's cost. */
  | { type: "finish"; reason: FinishReason; usage: ModelUsage; model: ModelName; costUsd?: number }
  | { type: "error"; error: ModelError }

/** The model port: one streamed call. Implementations never throw from the iterator; failures are `error` parts. */
export interface ModelPort {
  stream(request: ModelRequest): AsyncIterable<ModelPart>
}

export const zeroUsage: ModelUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
}
