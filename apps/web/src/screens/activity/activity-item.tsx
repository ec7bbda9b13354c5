import { FileChangedData, ProjectSessionChange, type StoredEvent } from "@xionimus/protocol"
import type { ReactNode } from "react"
import { useLocale, useT } from "../../app-context.tsx"
import { ChatIcon, FileIcon, FolderIcon, TrashIcon } from "../../components/icons.tsx"
import { formatDate, formatRelative } from "../../lib/format.ts"

/** Where a click on an activity item leads. */
export type ActivityTarget = { kind: "file"; path: string } | { kind: "session"; sessionId: string }

/** One event of the feed: what happened, when, and (for a file or session) a button that opens it. */
export function ActivityItem({
  event,
  count,
  titles,
  onOpen,
  onDiff,
}: {
  event: StoredEvent
  /** How many events this line stands for (a run of the same change, folded). */
  count: number
  titles: Record<string, string>
  onOpen: (target: ActivityTarget) => void
  /** Opens what the agent's call changed (a file event of the agent names its session and call). */
  onDiff?: (change: AgentChange) => void
}) {
  const t = useT()
  const locale = useLocale()
  const { text, target, icon, sessionId } = describe(event, t)
  const agent = agentChangeOf(event)
  const title = sessionId ? titles[sessionId] : undefined
  const time = (
    <time
      dateTime={event.time}
      title={formatDate(event.time, locale)}
      className="shrink-0 text-xs text-subtle"
    >
      {formatRelative(event.time, locale)}
    </time>
  )
  const body = (
    <>
      <span className="mt-0.5 text-muted">{icon}</span>
      <span className="flex min-w-0 flex-1 flex-col">
        <span className="break-words">
          {text}
          {count > 1 ? (
            <span className="ml-1.5 text-xs text-subtle" data-testid="activity-count">
              {t("activity.times", { count })}
            </span>
          ) : null}
        </span>
        {title ? (
          <span className="truncate text-xs text-muted" data-testid="activity-session-title">
            {title}
          </span>
        ) : null}
      </span>
      {time}
    </>
  )
  const diffButton =
    agent && onDiff ? (
      <button
        type="button"
        className="mt-1 shrink-0 rounded-md border border-line px-1.5 py-0.5 text-xs text-muted hover:bg-sunken hover:text-fg"
        aria-label={t("calldiff.activityLabel", { path: agent.path })}
        onClick={() => onDiff(agent)}
        data-testid="activity-diff"
      >
        {t("calldiff.open")}
      </button>
    ) : null
  return (
    <li
      data-testid="activity-item"
      data-type={event.type}
      data-seq={event.seq}
      className={diffButton ? "flex items-start gap-1" : undefined}
    >
      {target ? (
        <button
          type="button"
          className="flex w-full min-w-0 flex-1 items-start gap-2.5 rounded-md px-2 py-1.5 text-left text-[13px] hover:bg-sunken"
          aria-label={`${text}${title ? ` (${title})` : ""}. ${target.kind === "file" ? t("activity.openFile", { path: target.path }) : t("activity.openSession")}`}
          onClick={() => onOpen(target)}
          data-testid="activity-open"
        >
          {body}
        </button>
      ) : (
        <div className="flex min-w-0 flex-1 items-start gap-2.5 px-2 py-1.5 text-[13px]">{body}</div>
      )}
      {diffButton}
    </li>
  )
}

/** An agent's file change: the session and tool call that made it. */
export interface AgentChange {
  path: string
  sessionId: string
  callId: string
}

function agentChangeOf(event: StoredEvent): AgentChange | null {
  if (event.type !== "file.changed") return null
  const data = FileChangedData.safeParse(event.data)
  const by = data.success ? data.data.by : undefined
  return data.success && by?.sessionId && by.callId
    ? { path: data.data.path, sessionId: by.sessionId, callId: by.callId }
    : null
}

type T = ReturnType<typeof useT>

function describe(
  event: StoredEvent,
  t: T,
): { text: string; target: ActivityTarget | null; icon: ReactNode; sessionId?: string } {
  const small = "size-3.5"
  if (event.type === "file.changed") {
    const data = FileChangedData.safeParse(event.data)
    if (data.success) {
      const { path, change, from } = data.data
      const text = t(`activity.file.${change}`, { path, from: from ?? "" })
      const isFile = data.data.entryType !== "directory"
      const target: ActivityTarget | null = change !== "deleted" && isFile ? { kind: "file", path } : null
      const icon =
        change === "deleted" ? (
          <TrashIcon className={small} />
        ) : isFile ? (
          <FileIcon className={small} />
        ) : (
          <FolderIcon className={small} />
        )
      return { text, target, icon }
    }
  }
  if (
    event.type === "session.added" ||
    event.type === "session.changed" ||
    event.type === "session.removed"
  ) {
    const data = ProjectSessionChange.safeParse(event.data)
    if (data.success) {
      const { change, sessionId } = data.data
      return {
        text: t(`activity.session.${change}`),
        target: change === "removed" ? null : { kind: "session", sessionId },
        icon: <ChatIcon className={small} />,
        sessionId,
      }
    }
  }
  const project = ["project.created", "project.renamed", "project.deleted", "project.restored"] as const
  const known = project.find((type) => type === event.type)
  if (known) return { text: t(`activity.${known}`), target: null, icon: <FolderIcon className={small} /> }
  return {
    text: t("activity.other", { type: event.type }),
    target: null,
    icon: <FileIcon className={small} />,
  }
}
