/**
 * The pattern an "allow always" answer to a command adds: the program and its first word that is not
 * a flag, then a wildcard ("npm test --watch" → "npm test*"), so that the user allows a kind of
 * command, not every command. A command joining several (&&, ;, |) is allowed only as it is.
 */
export function commandPattern(command: string): string {
  const trimmed = command.trim()
  if (/[;&|`$()<>\n]/.test(trimmed)) return trimmed
  const words = trimmed.split(/\s+/)
  const kept = [words[0]!]
  const second = words[1]
  if (second !== undefined && !second.startsWith("-")) kept.push(second)
  return `${kept.join(" ")}*`
}
