import type { AssistantMessage, UserMessage } from "@xionimus/protocol"
import { memo, useState } from "react"
import { Button } from "../../components/button.tsx"
import { ForkIcon, PencilIcon, PlayIcon, RewindIcon } from "../../components/icons.tsx"
import { messageContent } from "../../lib/message-attachments.ts"
import { useStore } from "../../lib/store.ts"
import { type Chat, lastUserMessage } from "../../stores/chat-store.ts"
import { isBusy } from "../../stores/chat-view.ts"
import { AttachmentsView } from "./attachments-view.tsx"
import { useChatUi } from "./chat-context.tsx"
import { MarkdownView } from "./markdown-view.tsx"
import { ToolCard } from "./tool-card.tsx"

export const UserMessageView = memo(function UserMessageView({ message }: { message: UserMessage }) {
  const { t, chat } = useChatUi()
  const { text, paths } = messageContent(message)
  const [editing, setEditing] = useState(false)
  return (
    <article
      className="group flex flex-col items-end gap-1"
      data-testid="user-message"
      data-message-id={message.id}
      data-queued={message.queued}
    >
      <div className="flex items-center gap-2 text-xs text-subtle">
        {message.queued ? (
          <span
            className="rounded-full bg-sunken px-2 py-0.5 font-medium text-muted"
            data-testid="queued-badge"
          >
            {t("chat.queued")}
          </span>
        ) : null}
        <span>{t("chat.you")}</span>
      </div>
      {editing && chat ? (
        <EditMessage messageId={message.id} text={text} paths={paths} onDone={() => setEditing(false)} />
      ) : text ? (
        <div className="max-w-[85%] rounded-2xl rounded-tr-md bg-accent-soft px-4 py-2.5 whitespace-pre-wrap break-words">
          {text}
        </div>
      ) : null}
      {paths.length > 0 ? <AttachmentsView paths={paths} /> : null}
      {chat && !message.queued && !editing ? (
        <UserMessageActions chat={chat} message={message} onEdit={() => setEditing(true)} />
      ) : null}
    </article>
  )
})

const actionClass =
  "inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs text-muted hover:bg-sunken hover:text-fg"

function UserMessageActions({
  chat,
  message,
  onEdit,
}: {
  chat: Chat
  message: UserMessage
  onEdit: () => void
}) {
  const { t, onRewind, onFork } = useChatUi()
  // Only the newest message's row re-renders when the turn starts or ends.
  const canRetry = useStore(
    chat.state,
    ({ state }) => !isBusy(state) && lastUserMessage(state)?.id === message.id,
  )
  return (
    <div className="flex flex-wrap justify-end gap-1 opacity-70 group-focus-within:opacity-100 group-hover:opacity-100">
      <button
        type="button"
        onClick={() => onRewind?.(message.id)}
        className={actionClass}
        data-testid="rewind-here"
      >
        <RewindIcon className="size-3.5" />
        {t("chat.rewind")}
      </button>
      <button
        type="button"
        onClick={() => onFork?.(message.id)}
        className={actionClass}
        data-testid="fork-here"
      >
        <ForkIcon className="size-3.5" />
        {t("chat.forkHere")}
      </button>
      <button type="button" onClick={onEdit} className={actionClass} data-testid="edit-resend">
        <PencilIcon className="size-3.5" />
        {t("commands.edit")}
      </button>
      {canRetry ? (
        <button
          type="button"
          onClick={() => void chat.retry()}
          className={actionClass}
          title={t("commands.retry.title")}
          data-testid="retry-turn"
        >
          <PlayIcon className="size-3.5" />
          {t("commands.retry")}
        </button>
      ) : null}
    </div>
  )
}

/** The message's text in a box; sending forks the session before the message with the new text (attachments kept). */
function EditMessage({
  messageId,
  text,
  paths,
  onDone,
}: {
  messageId: string
  text: string
  paths: readonly string[]
  onDone: () => void
}) {
  const { t, onEditResend } = useChatUi()
  const [value, setValue] = useState(text)
  const [sending, setSending] = useState(false)
  const send = async () => {
    if (!onEditResend || (!value.trim() && paths.length === 0)) return
    setSending(true)
    const sent = await onEditResend(messageId, value, paths)
    setSending(false)
    if (sent) onDone()
  }
  return (
    <form
      className="flex w-full max-w-[85%] flex-col gap-2"
      data-testid="edit-form"
      onSubmit={(event) => {
        event.preventDefault()
        void send()
      }}
    >
      <textarea
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault()
            void send()
          } else if (event.key === "Escape") {
            event.preventDefault()
            onDone()
          }
        }}
        rows={3}
        // biome-ignore lint/a11y/noAutofocus: the user asked to edit this message
        autoFocus
        aria-label={t("commands.edit.label")}
        aria-describedby={`${messageId}-edit-hint`}
        data-testid="edit-input"
        className="w-full resize-y rounded-lg border border-line-strong bg-surface px-3 py-2 text-sm"
      />
      <p id={`${messageId}-edit-hint`} className="text-xs text-muted">
        {t("commands.edit.hint")}
      </p>
      <div className="flex justify-end gap-2">
        <Button size="sm" variant="ghost" onClick={onDone}>
          {t("commands.edit.cancel")}
        </Button>
        <Button
          size="sm"
          variant="primary"
          type="submit"
          disabled={sending || !value.trim()}
          data-testid="edit-send"
        >
          <ForkIcon className="size-3.5" />
          {t("commands.edit.send")}
        </Button>
      </div>
    </form>
  )
}

export const AssistantMessageView = memo(function AssistantMessageView({
  message,
}: {
  message: AssistantMessage
}) {
  const { t } = useChatUi()
  const finish = message.finish
  return (
    <article
      className="flex flex-col gap-2"
      data-testid="assistant-message"
      data-message-id={message.id}
      data-finished={Boolean(finish)}
    >
      <div className="flex items-center gap-2 text-xs text-subtle">
        <span>{t("chat.assistant")}</span>
        <span className="font-mono">{message.model}</span>
      </div>
      {message.parts.map((part, index) => {
        const key = part.type === "tool" ? part.callId : `${index}-${part.type}`
        if (part.type === "text")
          return (
            <div key={key} data-testid="assistant-text">
              <MarkdownView text={part.text} />
            </div>
          )
        if (part.type === "reasoning")
          return (
            <details key={key} className="rounded-lg border border-line px-3 py-1.5 text-[13px] text-muted">
              <summary className="cursor-pointer select-none">{t("chat.reasoning")}</summary>
              <p className="mt-1 whitespace-pre-wrap">{part.text}</p>
            </details>
          )
        return <ToolCard key={key} part={part} />
      })}
      {!finish && message.parts.length === 0 ? (
        <span className="flex gap-1 py-2" data-testid="assistant-thinking">
          <span className="size-1.5 animate-pulse rounded-full bg-subtle" />
          <span className="size-1.5 animate-pulse rounded-full bg-subtle [animation-delay:150ms]" />
          <span className="size-1.5 animate-pulse rounded-full bg-subtle [animation-delay:300ms]" />
        </span>
      ) : null}
      {finish?.reason === "length" ? <p className="text-xs text-warning">{t("chat.finish.length")}</p> : null}
      {finish?.reason === "cancelled" ? (
        <p className="text-xs text-muted">{t("chat.finish.cancelled")}</p>
      ) : null}
      {finish?.reason === "interrupted" ? (
        <p className="text-xs text-warning">{t("chat.finish.interrupted")}</p>
      ) : null}
      {finish?.reason === "error" ? (
        <p className="text-xs text-danger" data-testid="assistant-error">
          {t("chat.finish.error")} {finish.error?.message}{" "}
          {finish.error ? <code className="font-mono">{finish.error.code}</code> : null}
        </p>
      ) : null}
    </article>
  )
})
