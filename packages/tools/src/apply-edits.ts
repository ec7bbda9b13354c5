import { AppError } from "@xionimus/kit"

export interface TextEdit {
  oldText: string
  newText: string
  /** Replace every occurrence instead of requiring exactly one. */
  replaceAll?: boolean
}

/**
 * Applies edits in order, each to the result of the one before. An edit's old text must occur exactly
 * once (or at least once with replaceAll); otherwise nothing is applied and the error says which edit
 * failed, how often its text occurs and where, and what to do.
 */
export function applyEdits(text: string, edits: readonly TextEdit[], path: string): string {
  let current = text
  edits.forEach((edit, index) => {
    const label = edits.length > 1 ? `Edit ${index + 1} of ${edits.length}` : "The edit"
    if (edit.oldText === edit.newText) {
      throw new AppError(
        "VALIDATION_FAILED",
        `${label} has the same old and new text, so it changes nothing. Give the text as it should become. No edit was applied.`,
        { path, edit: index },
      )
    }
    let { oldText, newText } = edit
    let offsets = occurrences(current, oldText)
    // Models write "\n"; a file with Windows line ends holds "\r\n". Match it, and keep its line ends.
    if (
      offsets.length === 0 &&
      current.includes("\r\n") &&
      oldText.includes("\n") &&
      !oldText.includes("\r")
    ) {
      oldText = oldText.replaceAll("\n", "\r\n")
      newText = newText.replaceAll("\r\n", "\n").replaceAll("\n", "\r\n")
      offsets = occurrences(current, oldText)
    }
    if (offsets.length === 0) {
      const near = similarLine(current, edit.oldText)
      throw new AppError(
        "EDIT_NO_MATCH",
        `${label}: its old text does not occur in "${path}"${index > 0 ? " (after the edits before it)" : ""}. It must match the file exactly, including whitespace and indentation, without line numbers.${near ? ` Its first line occurs at line ${near} with different whitespace.` : ""} Read the file again and copy the text exactly. No edit was applied.`,
        { path, edit: index, ...(near ? { similarLine: near } : {}) },
      )
    }
    if (offsets.length > 1 && !edit.replaceAll) {
      const lines = offsets.map((offset) => lineOf(current, offset))
      throw new AppError(
        "EDIT_AMBIGUOUS",
        `${label}: its old text occurs ${offsets.length} times in "${path}" (at lines ${lines.join(", ")}). Include more of the surrounding lines so that it matches exactly once, or set replaceAll to replace every occurrence. No edit was applied.`,
        { path, edit: index, count: offsets.length, lines },
      )
    }
    current = edit.replaceAll
      ? current.split(oldText).join(newText)
      : current.slice(0, offsets[0]) + newText + current.slice(offsets[0]! + oldText.length)
  })
  return current
}

/** The line (1-based) equal to the search's first line once whitespace is ignored, if exactly one is. */
function similarLine(text: string, search: string): number | undefined {
  const squash = (line: string) => line.replace(/\s+/g, "")
  const first = squash(search.split("\n").find((line) => line.trim() !== "") ?? "")
  if (first === "") return undefined
  const found = text.split("\n").flatMap((line, index) => (squash(line) === first ? [index + 1] : []))
  return found.length === 1 ? found[0] : undefined
}

/** Start offsets of non-overlapping occurrences. */
function occurrences(text: string, search: string): number[] {
  const found: number[] = []
  let from = 0
  for (;;) {
    const at = text.indexOf(search, from)
    if (at === -1) return found
    found.push(at)
    from = at + search.length
  }
}

function lineOf(text: string, offset: number): number {
  let line = 1
  for (let index = text.indexOf("\n"); index !== -1 && index < offset; index = text.indexOf("\n", index + 1))
    line += 1
  return line
}
