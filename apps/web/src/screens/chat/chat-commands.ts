import { useCallback, useEffect, useRef } from "react"
import type { AppServices } from "../../app-services.ts"
import type { MessageKey } from "../../i18n/en.ts"
import type { TranslationParams } from "../../i18n/translate.ts"
import type { Action } from "../../lib/actions.ts"
import { messageContent } from "../../lib/message-attachments.ts"
import { type Chat, lastUserMessage } from "../../stores/chat-store.ts"
import { isBusy } from "../../stores/chat-view.ts"
import { runSlashCommand, type SlashOutcome } from "./slash-command-runner.ts"
import type { ParsedSlashCommand } from "./slash-commands.ts"

export interface ChatCommandsInput {
  chat: Chat
  services: Pick<AppServices, "commands" | "sessions">
  t: (key: MessageKey, params?: TranslationParams) => string
  fork: () => Promise<void>
  openShare: () => void
  openRewind: (messageId: string) => void
}

/** Downloads a session export through a link, as the header's export buttons do. */
function download(href: string): void {
  const link = document.createElement("a")
  link.href = href
  link.download = ""
  document.body.append(link)
  link.click()
  link.remove()
}

/**
 * The open session's commands: registered in the action registry while the chat is open (palette,
 * shortcuts), and the runner of the composer's slash commands. Both call the same functions the
 * header's and the messages' buttons call.
 */
export function useChatCommands(
  input: ChatCommandsInput,
): (command: Exclude<ParsedSlashCommand, { kind: "text" }>) => Promise<SlashOutcome> {
  const latest = useRef(input)
  latest.current = input
  const { chat, services } = input
  const { commands, sessions } = services

  useEffect(() => {
    const state = () => chat.state.get().state
    const idleWithMessage = () => !isBusy(state()) && lastUserMessage(state()) !== undefined
    const actions: Action[] = [
      {
        id: "session.stop",
        title: "commands.action.stop",
        shortcut: "mod+.",
        when: () => isBusy(state()),
        run: () => void chat.stop(),
      },
      {
        id: "session.retry",
        title: "commands.action.retry",
        when: idleWithMessage,
        run: () => void chat.retry(),
      },
      {
        id: "session.rewind",
        title: "commands.action.rewind",
        when: idleWithMessage,
        run: () => {
          const message = lastUserMessage(state())
          if (message) latest.current.openRewind(message.id)
        },
      },
      { id: "session.fork", title: "commands.action.fork", run: () => void latest.current.fork() },
      { id: "session.share", title: "commands.action.share", run: () => latest.current.openShare() },
      {
        id: "session.exportJson",
        title: "commands.action.exportJson",
        run: () => download(sessions.exportUrl(chat.sessionId, "json")),
      },
      {
        id: "session.exportMarkdown",
        title: "commands.action.exportMarkdown",
        run: () => download(sessions.exportUrl(chat.sessionId, "markdown")),
      },
    ]
    const disposers = actions.map((action) => commands.register(action))
    return () => {
      for (const dispose of disposers) dispose()
    }
  }, [chat, commands, sessions])

  return useCallback(
    (command) => {
      const { t, fork, openShare } = latest.current
      const state = () => chat.state.get().state
      return runSlashCommand(command, {
        t,
        send: (text) => chat.send(text),
        undoLast: async () => {
          const message = await chat.undoLast()
          return message ? messageContent(message).text : undefined
        },
        busy: () => isBusy(state()),
        fork,
        openShare,
        download: (format) => download(sessions.exportUrl(chat.sessionId, format)),
        model: () => state().model,
        models: async () => (await sessions.models()).models.map((model) => model.name),
        setModel: (model) => chat.setModel(model),
        compact: () => sessions.compact(chat.sessionId),
      })
    },
    [chat, sessions],
  )
}
