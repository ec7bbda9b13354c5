import type { Session } from "@xionimus/protocol"
import { useEffect, useMemo, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { EmptyState } from "../../components/empty-state.tsx"
import { ChatIcon } from "../../components/icons.tsx"
import { createSessionList, followSessionChanges } from "../../stores/session-list-store.ts"
import { ChatPanel } from "../chat/chat-panel.tsx"
import { SessionSidebar } from "./session-sidebar.tsx"

/** Sessions sidebar and the open chat side by side; on narrow screens two tabs. */
export function SessionsWorkspace({ projectId, sessionId }: { projectId: string; sessionId: string | null }) {
  const { sessions, router, client, streams, defaultModel } = useServices()
  const t = useT()
  const list = useMemo(
    () => createSessionList(sessions, projectId, 30, defaultModel.value.get),
    [sessions, projectId, defaultModel],
  )
  useEffect(() => () => list.dispose(), [list])
  // Sessions added, changed or removed by anyone (another tab or user, `xionimus run`) show up live.
  useEffect(
    () => followSessionChanges({ client, streams, projectId, list }),
    [client, streams, projectId, list],
  )
  const [tab, setTab] = useState<"list" | "chat">(sessionId ? "chat" : "list")
  useEffect(() => setTab(sessionId ? "chat" : "list"), [sessionId])

  const open = (session: Session) => {
    list.upsert(session)
    router.navigate({ name: "sessions", projectId, sessionId: session.id })
  }
  const tabClass = (active: boolean) =>
    `flex-1 py-2 text-[13px] font-medium ${active ? "border-b-2 border-accent text-fg" : "text-muted"}`

  return (
    <div
      className="flex h-[calc(100dvh-8rem)] min-h-[420px] flex-col overflow-hidden rounded-xl border border-line bg-surface shadow-xs md:h-auto md:min-h-[480px] md:flex-1"
      data-testid="sessions-workspace"
    >
      <div className="flex border-b border-line md:hidden" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === "list"}
          className={tabClass(tab === "list")}
          onClick={() => setTab("list")}
          data-testid="tab-sessions"
        >
          {t("sessions.tabList")}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === "chat"}
          className={tabClass(tab === "chat")}
          onClick={() => setTab("chat")}
          data-testid="tab-chat"
        >
          {t("sessions.tabChat")}
        </button>
      </div>
      <div className="flex min-h-0 flex-1">
        <aside
          className={`${tab === "list" ? "flex" : "hidden"} w-full flex-col border-line md:flex md:w-72 md:shrink-0 md:border-r`}
        >
          <SessionSidebar list={list} currentId={sessionId} onOpen={open} />
        </aside>
        <div className={`${tab === "chat" ? "flex" : "hidden"} min-w-0 flex-1 md:flex`}>
          {sessionId ? (
            <ChatPanel
              key={sessionId}
              sessionId={sessionId}
              onSessionChanged={(id) => void list.refresh(id)}
              onOpenSession={open}
            />
          ) : (
            <div className="flex flex-1 items-center justify-center">
              <EmptyState
                icon={<ChatIcon />}
                title={t("sessions.pick.title")}
                body={t("sessions.pick.body")}
                testId="sessions-pick"
              />
            </div>
          )}
        </div>
      </div>
    </div>
  )
}
