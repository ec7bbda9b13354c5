/** The chat composer's slash commands: names, and a pure parser for what the user typed. */

export const slashCommandNames = [
  "run",
  "test",
  "undo",
  "fork",
  "share",
  "export",
  "compact",
  "model",
  "help",
] as const

export type SlashCommandName = (typeof slashCommandNames)[number]

export type ParsedSlashCommand =
  | { kind: "command"; name: SlashCommandName; argument: string }
  | { kind: "unknown"; name: string }
  | { kind: "text" }

/** Reads composer text: "/run npm test" is a command with argument "npm test"; text without a leading slash is plain text. */
export function parseSlashCommand(input: string): ParsedSlashCommand {
  const text = input.trim()
  if (!text.startsWith("/")) return { kind: "text" }
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(text)
  const name = (match?.[1] ?? "").toLowerCase()
  const argument = (match?.[2] ?? "").trim()
  const known = slashCommandNames.find((candidate) => candidate === name)
  return known === undefined ? { kind: "unknown", name } : { kind: "command", name: known, argument }
}

/** The commands whose name starts with what follows the slash, for the autocomplete popup. */
export function completeSlashCommand(input: string): SlashCommandName[] {
  if (!input.startsWith("/") || /\s/.test(input)) return []
  const prefix = input.slice(1).toLowerCase()
  return slashCommandNames.filter((name) => name.startsWith(prefix))
}
