import type { EncodedError, MockErrorKind, MockStreamReply } from "./mock-reply.ts"

/** One wire format: how a scripted reply and an error look on that provider's HTTP API. */
export interface WireFormat {
  /** Content type of a streamed answer. */
  contentType: string
  /** The events of a streamed answer, each a complete piece of text to write. */
  stream(reply: MockStreamReply, model: string): string[]
  error(kind: MockErrorKind, retryAfterSeconds: number | undefined): EncodedError
  /** The error event a provider sends inside a stream that already answered 200. */
  streamError(kind: MockErrorKind): string
}

/** One server-sent event; `event` is omitted by formats that only use `data:` lines. */
export function sse(data: unknown, event?: string): string {
  const text = typeof data === "string" ? data : JSON.stringify(data)
  return `${event ? `event: ${event}\n` : ""}data: ${text}\n\n`
}

export function retryHeaders(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { "retry-after": String(seconds) }
}
