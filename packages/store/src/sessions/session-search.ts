/** The form `q` and tags are compared in: Unicode NFC, lower case (SQLite's lower() folds ASCII only). */
export function searchKey(text: string): string {
  return text.normalize("NFC").toLowerCase()
}

/** `%`, `_` and `\` as plain characters, for `like … escape '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`)
}

/** Matches text containing `q`. */
export function containsPattern(q: string): string {
  return `%${escapeLike(searchKey(q))}%`
}

/** The `tags_text` column: `|a|b|`, so that `%|tag|%` matches one whole tag. */
export function tagsText(tags: readonly string[]): string {
  return tags.length === 0 ? "|" : `|${tags.map(searchKey).join("|")}|`
}

export function tagPattern(tag: string): string {
  return `%|${escapeLike(searchKey(tag))}|%`
}
