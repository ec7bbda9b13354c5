import type { AssistantMessage, UserMessage } from "@xionimus/protocol"
import { memo } from "react"
import { ForkIcon, RewindIcon } from "../../components/icons.tsx"
import { useChatUi } from "./chat-context.tsx"
import { MarkdownView } from "./markdown-view.tsx"
import { ToolCard } from "./tool-card.tsx"

export const UserMessageView = memo(function UserMessageView({ message }: { message: UserMessage }) {
  const { t, chat, onRewind, onFork } = useChatUi()
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
      <div className="max-w-[85%] rounded-2xl rounded-tr-md bg-accent-soft px-4 py-2.5 whitespace-pre-wrap break-words">
        {message.text}
      </div>
      {chat && !message.queued ? (
        <div className="flex gap-1 opacity-70 group-focus-within:opacity-100 group-hover:opacity-100">
          <button
            type="button"
            onClick={() => onRewind?.(message.id)}
            className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs text-muted hover:bg-sunken hover:text-fg"
            data-testid="rewind-here"
          >
            <RewindIcon className="size-3.5" />
            {t("chat.rewind")}
          </button>
          <button
            type="button"
            onClick={() => onFork?.(message.id)}
            className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs text-muted hover:bg-sunken hover:text-fg"
            data-testid="fork-here"
          >
            <ForkIcon className="size-3.5" />
            {t("chat.forkHere")}
          </button>
        </div>
      ) : null}
    </article>
  )
})

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
