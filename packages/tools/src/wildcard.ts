/**
 * How a rule's pattern is matched: `path` patterns are globs (`*` within one segment, `**` across
 * segments, `?` one character other than "/"); `text` patterns (commands) let `*` match anything.
 */
export type WildcardKind = "path" | "text"

export function matchWildcard(pattern: string, value: string, kind: WildcardKind = "text"): boolean {
  return compile(pattern, kind).test(value)
}

function compile(pattern: string, kind: WildcardKind): RegExp {
  let source = ""
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index]!
    if (character === "*") {
      if (kind === "path" && pattern[index + 1] === "*") {
        index += 1
        // "**/" also matches nothing, so that "src/**/a.ts" matches "src/a.ts".
        if (pattern[index + 1] === "/") {
          index += 1
          source += "(?:.*/)?"
        } else source += ".*"
      } else source += kind === "path" ? "[^/]*" : ".*"
    } else if (character === "?") source += kind === "path" ? "[^/]" : "."
    else source += character.replace(/[.+^${}()|[\]\\]/g, "\\$&")
  }
  return new RegExp(`^${source}$`, "s")
}

/** How specific a pattern is: literal characters count, wildcards do not. */
export function specificity(pattern: string): number {
  return pattern.replace(/[*?]/g, "").length
}
