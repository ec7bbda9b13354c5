import type { RunMessage } from "@xionimus/protocol"
import { useMemo } from "react"
import { useT } from "../../app-context.tsx"
import { messageFlow } from "../../stores/orchestra-view.ts"

/** The agents' messages in order: sender → recipients, kind, the message each answers, the body. */
export function MessageFlow({ messages }: { messages: readonly RunMessage[] }) {
  const t = useT()
  const flow = useMemo(() => messageFlow(messages), [messages])
  if (flow.length === 0)
    return (
      <p className="text-[13px] text-muted" data-testid="messages-empty">
        {t("run.messages.empty")}
      </p>
    )
  return (
    <ol className="flex max-h-[28rem] flex-col gap-2 overflow-y-auto" data-testid="messages">
      {flow.map((message) => (
        <li
          key={message.id}
          id={`message-${message.seq}`}
          className="rounded-lg border border-line p-2.5 text-[13px]"
          data-testid="message"
          data-sender={message.sender}
        >
          <p className="flex flex-wrap items-center gap-x-1.5 text-xs text-muted">
            <span className="font-mono">#{message.seq}</span>
            <span className="font-semibold text-fg" data-testid="message-route">
              {message.sender} →{" "}
              {message.recipients === "*" ? t("run.messages.everyone") : message.recipients.join(", ")}
            </span>
            <span className="rounded-full bg-sunken px-1.5">{t(`run.messages.kind.${message.kind}`)}</span>
            {message.packageId ? <span className="font-mono">{message.packageId}</span> : null}
            {message.replyTo ? (
              <a
                href={`#message-${message.replyTo.seq}`}
                className="underline"
                onClick={(event) => {
                  event.preventDefault()
                  document
                    .getElementById(`message-${message.replyTo?.seq}`)
                    ?.scrollIntoView({ block: "nearest" })
                }}
              >
                {t("run.messages.replyTo", { seq: message.replyTo.seq, sender: message.replyTo.sender })}
              </a>
            ) : null}
          </p>
          <p className="mt-1 whitespace-pre-wrap break-words" data-testid="message-body">
            {message.body}
          </p>
        </li>
      ))}
    </ol>
  )
}
