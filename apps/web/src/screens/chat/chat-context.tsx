import type { Client, StreamClient } from "@xionimus/sdk"
import { createContext, useContext } from "react"
import type { MessageKey } from "../../i18n/en.ts"
import type { TranslationParams } from "../../i18n/translate.ts"
import type { Chat } from "../../stores/chat-store.ts"

/**
 * What the chat components need: texts, the locale, and the open chat's actions. The shared-session
 * page renders the same components without a chat (read-only) and without the app's services.
 */
export interface ChatUi {
  t: (key: MessageKey, params?: TranslationParams) => string
  locale: string
  /** null: read-only (a shared link); no composer, approvals, rewind or fork. */
  chat: Chat | null
  onRewind?: (messageId: string) => void
  onFork?: (messageId: string) => void
  /** Edit and resend: forks before the message and sends `text` there (opens the fork). */
  onEditResend?: (messageId: string, text: string, attachments: readonly string[]) => Promise<boolean>
  /** What code blocks need to be applied to a file and run in the sandbox (absent when read-only). */
  code?: CodeBlockActions
}

export interface CodeBlockActions {
  projectId: string
  client: Pick<Client, "exec" | "readFile" | "writeFile">
  streams: Pick<StreamClient, "subscribe">
  /** The link that opens a project file in the editor. */
  fileHref(path: string): string
}

export const ChatUiContext = createContext<ChatUi | null>(null)

export function useChatUi(): ChatUi {
  const ui = useContext(ChatUiContext)
  if (!ui) throw new Error("useChatUi() outside <ChatUiContext>")
  return ui
}
