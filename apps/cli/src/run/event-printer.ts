import { writeLine } from "../cli-io.ts"
import type { StoredEvent } from "./session-types.ts"

interface ToolCall {
  tool: string
  input: unknown
}

interface EventData {
  text?: string
  callId?: string
  tool?: string
  input?: unknown
  status?: string
  title?: string
  error?: { code: string; message: string }
  decision?: { kind: string; message?: string }
  kind?: string
  model?: string
  to?: string
  outcome?: string
  message?: string
  reason?: string
}

/** What a tool call touches, for its one line: the path or the command, else compact JSON. */
function describeInput(input: unknown): string {
  if (input && typeof input === "object") {
    const record = input as Record<string, unknown>
    for (const key of ["path", "command", "pattern", "url"]) {
      if (typeof record[key] === "string") return record[key] as string
    }
  }
  const text = JSON.stringify(input) ?? ""
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/**
 * Prints a session's events for a person as they arrive: the assistant's text as it streams, one line
 * per finished tool call with its status, permission questions and answers, retries; the end of the turn
 * (failure, pause, cancel) on stderr.
 */
export function createEventPrinter(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream) {
  const calls = new Map<string, ToolCall>()
  let midLine = false

  /** Ends the streamed text's line before anything else is printed. */
  function endText(): void {
    if (midLine) stdout.write("\n")
    midLine = false
  }

  function line(text: string): void {
    endText()
    writeLine(stdout, text)
  }

  return {
    print(event: StoredEvent): void {
      const data = (event.data ?? {}) as EventData
      switch (event.type) {
        case "assistant.text":
          if (!data.text) return
          stdout.write(data.text)
          midLine = !data.text.endsWith("\n")
          return
        case "assistant.finished":
          endText()
          return
        case "tool.called":
          calls.set(data.callId ?? "", { tool: data.tool ?? "?", input: data.input })
          return
        case "tool.updated": {
          if (data.status === "running") return
          const call = calls.get(data.callId ?? "") ?? { tool: "?", input: undefined }
          const touched = describeInput(call.input)
          const what = `${call.tool} ${touched}`.trim()
          const title = data.title && data.title !== touched ? ` (${data.title})` : ""
          if (data.status === "completed") line(`✓ ${what}${title}`)
          else line(`✗ ${what}: ${data.error?.code ?? "ERROR"} ${data.error?.message ?? ""}`.trimEnd())
          return
        }
        case "permission.asked":
          line(`? ${data.title ?? data.tool ?? "permission"}`)
          return
        case "permission.decided": {
          const kind = data.decision?.kind ?? "?"
          const said = data.decision?.message ? `: ${data.decision.message}` : ""
          line(
            `  ${kind === "deny" ? "denied" : kind === "allow-always" ? "allowed always" : "allowed once"}${said}`,
          )
          return
        }
        case "model.retried":
          endText()
          writeLine(
            stderr,
            data.kind === "fallback"
              ? `model ${data.model} failed, falling back to ${data.to}`
              : `model ${data.model} failed (${(data.error as { message?: string } | undefined)?.message ?? "error"}), retrying`,
          )
          return
        case "session.compacted":
          line("(earlier messages were summarised to fit the context window)")
          return
        case "turn.paused":
          endText()
          writeLine(stderr, `paused (${data.reason}): ${data.message ?? ""}`)
          return
        case "turn.ended":
          endText()
          if (data.outcome === "failed")
            writeLine(
              stderr,
              `error ${data.error?.code ?? "INTERNAL"}: ${data.error?.message ?? data.message ?? ""}`,
            )
          else if (data.outcome === "budget" || data.outcome === "limit")
            writeLine(stderr, `paused (${data.outcome}): ${data.message ?? ""}`)
          else if (data.outcome === "cancelled") writeLine(stderr, "cancelled")
          else if (data.outcome === "interrupted") writeLine(stderr, `interrupted: ${data.message ?? ""}`)
          return
        default:
          return
      }
    },
  }
}
