/**
 * What the mock provider answers, independent of the wire format: each format's encoder turns the
 * same reply into its own events, so one scenario is spoken by every provider alike.
 */
export type MockBlock =
  | { type: "text"; chunks: string[] }
  | { type: "reasoning"; chunks: string[] }
  | { type: "tool-call"; id: string; name: string; argumentChunks: string[] }

export interface MockUsage {
  input: number
  output: number
  cached?: number
  reasoning?: number
}

export interface MockStreamReply {
  type: "stream"
  blocks: MockBlock[]
  usage?: MockUsage
  /** Pause between two events, in ms (the "slow stream" scenario). */
  delayMs?: number
  /** Destroy the socket after this many events (the "disconnect mid-stream" scenario). */
  disconnectAfter?: number
  /** Stop writing after this many events and keep the connection open (a stall mid-stream). */
  stallAfter?: number
  /** After this many events, send the format's in-stream error event and end (HTTP status stays 200). */
  errorAfter?: { events: number; error: MockErrorKind }
}

/** The failures every provider has, each answered with that provider's status, headers and body. */
export type MockErrorKind = "rate_limit" | "quota" | "auth" | "context_overflow" | "internal" | "overloaded"

export interface MockErrorReply {
  type: "error"
  error: MockErrorKind
  /** Sent as `retry-after` (seconds) and, for OpenAI, `retry-after-ms`. */
  retryAfterSeconds?: number
}

/** Accept the request and never answer: the client's own timeout has to fire. */
export interface MockHangReply {
  type: "hang"
}

export type MockReply = MockStreamReply | MockErrorReply | MockHangReply

/** An HTTP error answer of one wire format. */
export interface EncodedError {
  status: number
  headers: Record<string, string>
  body: unknown
}

/** The usage a reply reports when its script gives none. */
export function usageOf(reply: MockStreamReply): Required<MockUsage> {
  return { input: 12, output: 8, cached: 0, reasoning: 0, ...reply.usage }
}

/** Whether the reply ends in tool calls (the finish reason each format reports). */
export function endsWithToolCalls(reply: MockStreamReply): boolean {
  return reply.blocks.some((block) => block.type === "tool-call")
}
