import type { SessionState } from "@xionimus/protocol"
import { type ReactNode, useEffect, useLayoutEffect, useRef } from "react"
import { EmptyState } from "../../components/empty-state.tsx"
import { ChatIcon } from "../../components/icons.tsx"
import { activeRevert } from "../../stores/chat-view.ts"
import { ApprovalPrompt } from "./approval-prompt.tsx"
import { useChatUi } from "./chat-context.tsx"
import { CompactionNotice } from "./compaction-notice.tsx"
import { AssistantMessageView, UserMessageView } from "./message-view.tsx"
import { useWindowedRows, windowingThreshold } from "./windowed-rows.ts"

/**
 * The messages of a session, the plan, the open question; follows the end while it grows. A long session
 * renders only the messages near the viewport (measured row heights, spacers for the rest).
 */
export function ChatTranscript({ state }: { state: SessionState }) {
  const { t, chat } = useChatUi()
  const end = useRef<HTMLDivElement>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const list = useRef<HTMLDivElement>(null)
  const revert = activeRevert(state)
  // The notice goes where the summary ends: before the first message the model still sees in full.
  const compaction = state.compaction
  const compactedBefore = compaction
    ? (state.messages.find((message) => message.seq > compaction.throughSeq)?.id ?? null)
    : null
  const lastMessage = state.messages.at(-1)
  const size = lastMessage?.role === "assistant" ? JSON.stringify(lastMessage.parts).length : 0

  // Stay at the bottom while new text streams in, unless the reader scrolled up to read.
  const following = useRef(true)
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the content grows
  useEffect(() => {
    if (following.current) end.current?.scrollIntoView({ block: "end" })
  }, [state.messages.length, size, state.openPermission])
  const onScroll = () => {
    const element = scroller.current
    if (element) following.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80
  }
  const ids = state.messages.map((message) => message.id)
  const windowed = state.messages.length > windowingThreshold
  const rows = useWindowedRows(ids, scroller, list, windowed)
  // Rows measured taller or shorter than estimated move the end: stay on it while following.
  useLayoutEffect(() => {
    const element = scroller.current
    if (windowed && following.current && element) element.scrollTop = element.scrollHeight
  })

  return (
    <div
      ref={scroller}
      onScroll={onScroll}
      className="min-h-0 flex-1 overflow-y-auto px-4 py-4"
      data-testid="chat-transcript"
    >
      <div className="mx-auto flex max-w-3xl flex-col gap-5">
        {revert && chat ? (
          <div
            className="flex flex-wrap items-center gap-3 rounded-lg border border-line bg-sunken px-3 py-2 text-[13px]"
            data-testid="revert-banner"
          >
            <span className="flex-1">{t("chat.rewind.banner")}</span>
            <button
              type="button"
              onClick={() => void chat.undoRewind(revert.eventId)}
              className="rounded-md px-2 py-1 font-medium text-accent-text hover:bg-surface"
              data-testid="undo-rewind"
            >
              {t("chat.rewind.undo")}
            </button>
          </div>
        ) : null}
        {state.messages.length === 0 ? (
          <EmptyState
            icon={<ChatIcon />}
            title={t("chat.empty.title")}
            body={t("chat.empty.body")}
            testId="chat-empty"
          />
        ) : null}
        <div
          ref={list}
          className="-mb-5 flex flex-col"
          style={{ paddingTop: rows.before, paddingBottom: rows.after }}
          data-testid="message-list"
          data-windowed={windowed ? "true" : "false"}
        >
          {state.messages.slice(rows.start, rows.end).map((message) => (
            <Row key={message.id} id={message.id} measure={rows.measure}>
              {compaction && message.id === compactedBefore ? (
                <div className="pb-5">
                  <CompactionNotice compaction={compaction} />
                </div>
              ) : null}
              {message.role === "user" ? (
                <UserMessageView message={message} />
              ) : (
                <AssistantMessageView message={message} />
              )}
            </Row>
          ))}
        </div>
        {compaction && compactedBefore === null ? <CompactionNotice compaction={compaction} /> : null}
        {state.todos.length > 0 ? (
          <section className="rounded-lg border border-line px-3 py-2 text-[13px]" data-testid="todos">
            <p className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">{t("chat.todos")}</p>
            <ul className="flex flex-col gap-0.5">
              {state.todos.map((todo, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the plan is replaced as a whole
                <li key={index} className={todo.status === "completed" ? "text-subtle line-through" : ""}>
                  {todo.content}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {state.openPermission ? (
          <ApprovalPrompt key={state.openPermission.id} request={state.openPermission} />
        ) : null}
        <div ref={end} />
      </div>
    </div>
  )
}

/** One message's row; reports its height while windowed (the spacing below is part of the row). */
function Row({
  id,
  measure,
  children,
}: {
  id: string
  measure: ((id: string, height: number) => void) | null
  children: ReactNode
}) {
  const ref = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => {
    const element = ref.current
    if (!measure || !element) return
    measure(id, element.offsetHeight)
    if (typeof ResizeObserver === "undefined") return
    const observer = new ResizeObserver(() => measure(id, element.offsetHeight))
    observer.observe(element)
    return () => observer.disconnect()
  }, [id, measure])
  return (
    <div ref={ref} className="flex flex-col pb-5">
      {children}
    </div>
  )
}
