/**
 * The form of a project name that uniqueness and search compare: Unicode NFC, lower case.
 * Computed here rather than with SQL lower(), which folds only ASCII on SQLite.
 */
export function nameKey(name: string): string {
  return name.normalize("NFC").toLowerCase()
}

/** A LIKE pattern matching names that contain `text`, for `like … escape '\'`. */
export function containsPattern(text: string): string {
  return `%${nameKey(text).replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}
