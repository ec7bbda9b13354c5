import type { SessionState, ToolPart } from "@xionimus/protocol"

/**
 * Rebuilding a file as it was before an agent's call: the file at the start of the call's turn (the
 * rewind preview's git diff from now back to the turn's checkpoint, applied to the file as it is now),
 * then the turn's earlier edit/write_file calls on it replayed in order, exactly as the tools apply them.
 */

type Call = Pick<ToolPart, "tool" | "status" | "input" | "metadata" | "callId">

/** One line with its line end ("\n"), the last one possibly without. */
function linesOf(text: string): string[] {
  const lines = text.split("\n").map((line) => `${line}\n`)
  const last = lines.pop()!
  if (last !== "\n") lines.push(last.slice(0, -1))
  return lines
}

function unquotedHeader(path: string): string {
  return `diff --git a/${path} b/${path}`
}

/**
 * Applies one file's part of a git patch (as `git diff` writes it) to `text`; null when the patch holds
 * no part for it that can be applied exactly (not named, a quoted path, binary, a context line that does
 * not match, a truncated hunk). A file the patch does not touch needs no call.
 */
export function applyGitPatch(text: string, patch: string, path: string): string | null {
  const lines = patch.split("\n")
  const start = lines.indexOf(unquotedHeader(path))
  if (start === -1) return null
  let end = lines.findIndex((line, index) => index > start && line.startsWith("diff --git "))
  if (end === -1) end = lines.length
  const section = lines.slice(start + 1, end)
  if (section.some((line) => line.startsWith("Binary files ") || line.startsWith("GIT binary patch")))
    return null
  const source = linesOf(text)
  const result: string[] = []
  let cursor = 0
  let index = section.findIndex((line) => line.startsWith("@@ "))
  if (index === -1) return section.some((line) => line.startsWith("deleted file")) ? "" : text
  while (index < section.length && section[index]!.startsWith("@@ ")) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(section[index]!)
    if (!header) return null
    const oldStart = Number(header[1])
    const oldLength = header[2] === undefined ? 1 : Number(header[2])
    const newLength = header[3] === undefined ? 1 : Number(header[3])
    const from = oldLength === 0 ? oldStart : oldStart - 1
    if (from < cursor || from > source.length) return null
    result.push(...source.slice(cursor, from))
    cursor = from
    index += 1
    // The hunk's operations, each line with its "\n" unless a "\ No newline" marker follows it.
    const operations: { kind: string; text: string }[] = []
    while (index < section.length && !section[index]!.startsWith("@@ ")) {
      const line = section[index]!
      index += 1
      if (line.startsWith("\\")) {
        const previous = operations.at(-1)
        if (previous) previous.text = previous.text.slice(0, -1)
      } else if (line === "" && index >= section.length) break
      else operations.push({ kind: line[0] ?? " ", text: `${line.slice(1)}\n` })
    }
    // A hunk cut short (a truncated patch) holds fewer lines than its header says.
    const consumed = operations.filter((operation) => operation.kind !== "+").length
    const produced = operations.filter((operation) => operation.kind !== "-").length
    if (consumed !== oldLength || produced !== newLength) return null
    for (const operation of operations) {
      if (operation.kind === "+") result.push(operation.text)
      else if (operation.kind === " " || operation.kind === "-") {
        if (source[cursor] !== operation.text) return null
        if (operation.kind === " ") result.push(operation.text)
        cursor += 1
      } else return null
    }
  }
  result.push(...source.slice(cursor))
  return result.join("")
}

interface Edit {
  oldText: string
  newText: string
  replaceAll?: boolean
}

/** The edit tool's own rule (packages/tools apply-edits.ts), for replaying: null where it would refuse. */
export function applyToolEdits(text: string, edits: readonly Edit[]): string | null {
  let current = text
  for (const edit of edits) {
    let { oldText, newText } = edit
    if (oldText === "" || oldText === newText) return null
    let count = current.split(oldText).length - 1
    if (count === 0 && current.includes("\r\n") && oldText.includes("\n") && !oldText.includes("\r")) {
      oldText = oldText.replaceAll("\n", "\r\n")
      newText = newText.replaceAll("\r\n", "\n").replaceAll("\n", "\r\n")
      count = current.split(oldText).length - 1
    }
    if (count === 0 || (count > 1 && !edit.replaceAll)) return null
    if (edit.replaceAll) current = current.split(oldText).join(newText)
    else {
      const at = current.indexOf(oldText)
      current = current.slice(0, at) + newText + current.slice(at + oldText.length)
    }
  }
  return current
}

/** What a completed edit or write_file call made of `text`; null when it cannot be told. */
export function replayCall(call: Pick<Call, "tool" | "input">, text: string): string | null {
  const input = call.input as { content?: unknown; edits?: unknown } | null
  if (call.tool === "write_file") return typeof input?.content === "string" ? input.content : null
  if (call.tool === "edit" && Array.isArray(input?.edits)) return applyToolEdits(text, input.edits as Edit[])
  return null
}

const fileTools = new Set(["edit", "write_file"])

/**
 * The user message whose turn holds `callId` (from the call's checkpoint) and the turn's calls before it.
 * `earlier` is null when a call before it changed files some other way (a command): then replaying the
 * file tools alone would not be exact.
 */
export function turnOf(
  state: Pick<SessionState, "allMessages" | "checkpoints">,
  callId: string,
): { messageId: string; earlier: Call[] | null } | null {
  const checkpoint = state.checkpoints.find((entry) => entry.callId === callId)
  if (!checkpoint) return null
  const message = state.allMessages.find(
    (entry) =>
      entry.role === "assistant" &&
      entry.parts.some((part) => part.type === "tool" && part.callId === callId),
  )
  if (message?.role !== "assistant") return null
  const calls = state.allMessages
    .filter((entry) => entry.role === "assistant" && entry.turnId === message.turnId)
    .flatMap((entry) => (entry.role === "assistant" ? entry.parts : []))
    .filter((part): part is ToolPart => part.type === "tool")
  const earlier = calls.slice(
    0,
    calls.findIndex((part) => part.callId === callId),
  )
  const changedFiles = new Set(
    state.checkpoints.filter((entry) => entry.changed && entry.callId).map((entry) => entry.callId),
  )
  const otherChange = earlier.some((part) => !fileTools.has(part.tool) && changedFiles.has(part.callId))
  return { messageId: checkpoint.messageId, earlier: otherChange ? null : earlier }
}
