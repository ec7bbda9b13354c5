/** The title of a session nobody named; the first message replaces it. */
export const defaultTitle = "New session"
export const titleCharacters = 60

/** A title from a message: its first non-empty line, at most 60 characters (cut at a word, with …). */
export function automaticTitle(text: string): string | undefined {
  const line = text
    .split("\n")
    .map((candidate) => candidate.replace(/\s+/g, " ").trim())
    .find((candidate) => candidate !== "")
  if (!line) return undefined
  if (line.length <= titleCharacters) return line
  const cut = line.slice(0, titleCharacters - 1)
  const space = cut.lastIndexOf(" ")
  return `${(space > titleCharacters / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}
