// Loaded on demand (its own chunk, with the language's parser): syntax colours for chat code blocks, from the
// same Lezer grammars as the editor, as spans with `tok-*` classes (styled in styles.css).
import { LanguageDescription } from "@codemirror/language"
import { languages } from "@codemirror/language-data"
import { classHighlighter, highlightCode } from "@lezer/highlight"

export interface CodeToken {
  text: string
  /** Space-separated `tok-*` classes; "" for plain text. */
  classes: string
}

/** Longer blocks stay plain: colouring them is not worth blocking the page. */
const maxLength = 20_000

/** The tokens of `code` in `language` (a fence's name: ts, python, sh…); null for an unknown language. */
export async function highlight(language: string, code: string): Promise<CodeToken[] | null> {
  if (!language || code.length > maxLength) return null
  const description = LanguageDescription.matchLanguageName(languages, language, true)
  if (!description) return null
  const support = await description.load()
  const tree = support.language.parser.parse(code)
  const tokens: CodeToken[] = []
  highlightCode(
    code,
    tree,
    classHighlighter,
    (text, classes) => tokens.push({ text, classes }),
    () => tokens.push({ text: "\n", classes: "" }),
  )
  return tokens
}
