import type { CallDiff, ToolPart } from "@xionimus/protocol"
import { type CallChanges, serverCallChanges } from "./call-diff.ts"
import { replayCall } from "./turn-replay.ts"

/**
 * The before and after of an agent's file change, for the diff view, from the most faithful source there
 * is (docs/web.md, "Editor"). The server's answer from the checkpoints around the call comes first
 * (`callChanges`); what follows is the client-side rebuild, for servers without that route:
 * - `whole`: the whole file before and after the call. First choice: the file at the start of the call's
 *   turn (`TurnSource`) with the turn's earlier edit/write_file calls on it replayed, then this call.
 *   Else for `edit`: the file as it is now, when its version is still the one the call wrote, with the
 *   call's edits undone (exact: each edit's new text occurs exactly once); for `write_file` that created
 *   the file: the written content against an empty file.
 * - `after-only`: `write_file` replaced a file whose earlier content could not be rebuilt; the written
 *   content against an empty left side.
 * - `fragments`: the edits' old and new texts only (the file changed since, or an edit cannot be undone
 *   unambiguously).
 */
export interface ToolDiff {
  path: string
  before: string
  after: string
  fidelity: "whole" | "after-only" | "fragments"
}

interface Edit {
  oldText: string
  newText: string
  replaceAll?: boolean
}

const fileTools = new Set(["edit", "write_file"])

/** The file a completed edit/write_file call changed, or null for any other call. */
export function changedPath(part: Pick<ToolPart, "tool" | "status" | "input">): string | null {
  if (!fileTools.has(part.tool) || part.status !== "completed") return null
  const path = (part.input as { path?: unknown } | null)?.path
  return typeof path === "string" && path !== "" ? path : null
}

function editsOf(input: unknown): Edit[] {
  const edits = (input as { edits?: unknown } | null)?.edits
  if (!Array.isArray(edits)) return []
  return edits.filter(
    (edit): edit is Edit => typeof edit?.oldText === "string" && typeof edit?.newText === "string",
  )
}

function occurrences(text: string, search: string): number {
  if (search === "") return 0
  return text.split(search).length - 1
}

/**
 * Takes edits back, last first: each edit's new text must occur exactly once (then it is where the edit
 * put it) and must not have been a replace-all. Null when that cannot be told exactly.
 */
export function undoEdits(after: string, edits: readonly Edit[]): string | null {
  let text = after
  for (const edit of [...edits].reverse()) {
    if (edit.replaceAll) return null
    let { oldText, newText } = edit
    if (occurrences(text, newText) !== 1 && text.includes("\r\n") && !newText.includes("\r")) {
      // The edit tool matched a "\n" edit against a file with Windows line ends, and kept them.
      oldText = oldText.replaceAll("\n", "\r\n")
      newText = newText.replaceAll("\n", "\r\n")
    }
    if (occurrences(text, newText) !== 1) return null
    const at = text.indexOf(newText)
    text = text.slice(0, at) + oldText + text.slice(at + newText.length)
  }
  return text
}

const separator = "\n⋯\n"

/** Where the file stood when the call's turn started. */
export interface TurnSource {
  /** The turn's calls before this one; null when one of them changed files some other way (a command). */
  earlier: readonly Pick<ToolPart, "tool" | "status" | "input">[] | null
  /** The file at the start of the turn ("" when it did not exist); null when that cannot be told. */
  atTurnStart(path: string): Promise<string | null>
}

async function replayed(
  part: Pick<ToolPart, "tool" | "input">,
  path: string,
  turn: TurnSource,
): Promise<ToolDiff | null> {
  if (!turn.earlier) return null
  let text = await turn.atTurnStart(path).catch(() => null)
  for (const call of turn.earlier) {
    if (text === null) return null
    if (changedPath(call) === path) text = replayCall(call, text)
  }
  if (text === null) return null
  const after = replayCall(part, text)
  return after === null ? null : { path, before: text, after, fidelity: "whole" }
}

/** Before/after of a completed edit or write_file call; `read` gives the file as it is now (null: gone). */
export async function toolDiff(
  part: Pick<ToolPart, "tool" | "status" | "input" | "metadata">,
  read: (path: string) => Promise<{ content: string; version: string } | null>,
  turn?: TurnSource,
): Promise<ToolDiff | null> {
  const path = changedPath(part)
  if (!path) return null
  const exact = turn ? await replayed(part, path, turn) : null
  if (exact) return exact
  const written = typeof part.metadata?.version === "string" ? part.metadata.version : undefined
  if (part.tool === "write_file") {
    const content = (part.input as { content?: unknown }).content
    const after = typeof content === "string" ? content : ""
    const changes = part.metadata?.changes
    const created =
      Array.isArray(changes) &&
      changes.some((change) => change?.path === path && change?.change === "created")
    return { path, before: "", after, fidelity: created ? "whole" : "after-only" }
  }
  const edits = editsOf(part.input)
  const now = await read(path).catch(() => null)
  if (now && written !== undefined && now.version === written) {
    const before = undoEdits(now.content, edits)
    if (before !== null) return { path, before, after: now.content, fidelity: "whole" }
  }
  return {
    path,
    before: edits.map((edit) => edit.oldText).join(separator),
    after: edits.map((edit) => edit.newText).join(separator),
    fidelity: "fragments",
  }
}

/**
 * Every file a call changed: first the server's exact answer from the checkpoints around the call (any
 * tool: edit, write_file, a command); when the server cannot give it (an older server, no checkpoint),
 * the client-side rebuild of an edit or write_file (`toolDiff`). Null when neither has anything.
 */
export async function callChanges(
  part: Pick<ToolPart, "tool" | "status" | "input" | "metadata">,
  sources: {
    server?: (() => Promise<CallDiff>) | undefined
    read: (path: string) => Promise<{ content: string; version: string } | null>
    turn?: TurnSource | undefined
  },
): Promise<{ changes: CallChanges; fidelity: ToolDiff["fidelity"] } | null> {
  const exact = sources.server ? await serverCallChanges(sources.server) : null
  if (exact && exact.files.length > 0) return { changes: exact, fidelity: "whole" }
  const rebuilt = await toolDiff(part, sources.read, sources.turn)
  if (!rebuilt) return null
  const { path, before, after, fidelity } = rebuilt
  const change =
    part.tool === "write_file" && fidelity !== "after-only" && before === "" ? "added" : "modified"
  return { changes: { files: [{ path, change, omitted: null, before, after }], truncated: false }, fidelity }
}
