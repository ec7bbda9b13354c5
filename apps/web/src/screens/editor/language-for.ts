import { LanguageDescription } from "@codemirror/language"
import { languages } from "@codemirror/language-data"
import type { Extension } from "@codemirror/state"

/**
 * The language support for a file name (CodeMirror's language data: 100+ languages by extension or
 * name, each loaded on first use), or none for plain text.
 */
export async function languageFor(path: string): Promise<Extension | null> {
  const name = path.slice(path.lastIndexOf("/") + 1)
  const description = LanguageDescription.matchFilename(languages, name)
  if (!description) return null
  try {
    return await description.load()
  } catch {
    // A language chunk that failed to load (offline after a deploy) leaves the text plain but editable.
    return null
  }
}

/** How many languages the editor knows (the docs and a test quote it). */
export const languageCount = languages.length
