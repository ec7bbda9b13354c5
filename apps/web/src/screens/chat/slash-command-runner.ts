import type { MessageKey } from "../../i18n/en.ts"
import type { TranslationParams } from "../../i18n/translate.ts"
import { type ParsedSlashCommand, type SlashCommandName, slashCommandNames } from "./slash-commands.ts"

/** What a slash command needs from the chat: each member does the real thing through the API. */
export interface SlashCommandDeps {
  t: (key: MessageKey, params?: TranslationParams) => string
  /** Sends a message to the agent (it runs in a turn like any message, with its approvals). */
  send(text: string): Promise<boolean>
  /** Rewinds the last message and its turn; the message's text, or undefined when nothing was rewound. */
  undoLast(): Promise<string | undefined>
  busy(): boolean
  fork(): Promise<void>
  openShare(): void
  download(format: "json" | "markdown"): void
  /** The session's model (null: the server's default) and the names that can be chosen. */
  model(): string | null
  models(): Promise<string[]>
  setModel(model: string | null): Promise<void>
  /** Compacts the conversation now (the server's compaction on demand). */
  compact(): Promise<{ compacted: boolean; tokensBefore: number | null; tokensAfter: number | null }>
}

/** What the composer shows after a command: a notice (kept until the next command or send), or nothing. */
export type SlashOutcome =
  | { kind: "done" }
  | { kind: "notice"; tone: "info" | "error"; text: string; lines?: string[] }
  /** The command needs more from the user; the composer keeps the text. */
  | { kind: "keep"; tone: "error"; text: string }

export const slashDescriptionKeys: Record<SlashCommandName, MessageKey> = {
  run: "commands.slash.run",
  test: "commands.slash.test",
  undo: "commands.slash.undo",
  fork: "commands.slash.fork",
  share: "commands.slash.share",
  export: "commands.slash.export",
  compact: "commands.slash.compact",
  model: "commands.slash.model",
  help: "commands.slash.help",
}

export function slashHelpLines(t: SlashCommandDeps["t"]): string[] {
  return slashCommandNames.map((name) => `/${name} — ${t(slashDescriptionKeys[name])}`)
}

const commandList = slashCommandNames.map((name) => `/${name}`).join(", ")

/** Runs a parsed command (plain text is not a command: the caller sends it). */
export async function runSlashCommand(
  command: Exclude<ParsedSlashCommand, { kind: "text" }>,
  deps: SlashCommandDeps,
): Promise<SlashOutcome> {
  const { t } = deps
  if (command.kind === "unknown")
    return {
      kind: "keep",
      tone: "error",
      text: t("commands.slash.unknown", { name: command.name, list: commandList }),
    }
  const { argument } = command
  switch (command.name) {
    case "run":
    case "test": {
      const key =
        command.name === "run"
          ? argument
            ? "commands.slash.runPromptWith"
            : "commands.slash.runPrompt"
          : argument
            ? "commands.slash.testPromptWith"
            : "commands.slash.testPrompt"
      return (await deps.send(t(key, { command: argument })))
        ? { kind: "done" }
        : { kind: "keep", tone: "error", text: t("commands.slash.notSent") }
    }
    case "undo": {
      if (deps.busy()) return { kind: "notice", tone: "error", text: t("commands.slash.busy") }
      const text = await deps.undoLast()
      if (text === undefined)
        return { kind: "notice", tone: "error", text: t("commands.slash.nothingToUndo") }
      const short = text.length > 60 ? `${text.slice(0, 57)}…` : text
      return { kind: "notice", tone: "info", text: t("commands.slash.undone", { text: short }) }
    }
    case "fork":
      await deps.fork()
      return { kind: "done" }
    case "share":
      deps.openShare()
      return { kind: "done" }
    case "export": {
      const format = argument.toLowerCase()
      if (format === "" || format === "json") deps.download("json")
      else if (format === "markdown" || format === "md") deps.download("markdown")
      else return { kind: "keep", tone: "error", text: t("commands.slash.exportFormat") }
      return { kind: "done" }
    }
    case "compact": {
      if (deps.busy()) return { kind: "notice", tone: "error", text: t("commands.slash.compactBusy") }
      const result = await deps.compact()
      if (!result.compacted) return { kind: "notice", tone: "info", text: t("commands.slash.compactNothing") }
      return {
        kind: "notice",
        tone: "info",
        text: t("commands.slash.compactDone", {
          before: result.tokensBefore ?? 0,
          after: result.tokensAfter ?? 0,
        }),
      }
    }
    case "model": {
      const names = await deps.models()
      const list = names.join(", ") || "—"
      if (!argument) {
        const current = deps.model() ?? t("commands.slash.modelDefault")
        return {
          kind: "notice",
          tone: "info",
          text: t("commands.slash.modelCurrent", { model: current, list }),
        }
      }
      if (argument === "default") {
        await deps.setModel(null)
        return {
          kind: "notice",
          tone: "info",
          text: t("commands.slash.modelSet", { model: t("commands.slash.modelDefault") }),
        }
      }
      const chosen =
        names.find((name) => name === argument) ?? names.find((name) => name.endsWith(`/${argument}`))
      if (!chosen)
        return {
          kind: "keep",
          tone: "error",
          text: t("commands.slash.modelUnknown", { name: argument, list }),
        }
      await deps.setModel(chosen)
      return { kind: "notice", tone: "info", text: t("commands.slash.modelSet", { model: chosen }) }
    }
    case "help":
      return { kind: "notice", tone: "info", text: t("commands.slash.helpTitle"), lines: slashHelpLines(t) }
  }
}
