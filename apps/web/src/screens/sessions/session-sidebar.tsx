import type { Session } from "@xionimus/protocol"
import { useEffect, useRef, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { PlusIcon, SearchIcon, UploadIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import type { SessionList } from "../../stores/session-list-store.ts"
import { SessionRow } from "./session-row.tsx"

/** The project's sessions: search, archive view, new, import, and "load more". */
export function SessionSidebar({
  list,
  currentId,
  onOpen,
}: {
  list: SessionList
  currentId: string | null
  onOpen: (session: Session) => void
}) {
  const { toasts } = useServices()
  const t = useT()
  const { items, status, loaded, error, nextCursor, archived, query, tag } = useStore(list.state)
  const [text, setText] = useState(query)
  const fileInput = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void list.load()
  }, [list])
  useEffect(() => {
    const trimmed = text.trim()
    if (trimmed === list.state.get().query) return
    const timer = setTimeout(() => void list.load({ query: trimmed }), 250)
    return () => clearTimeout(timer)
  }, [text, list])

  const create = async () => {
    const created = await list.create()
    if (created) onOpen(created)
  }
  const importFile = async (file: File) => {
    let document: unknown
    try {
      document = JSON.parse(await file.text())
    } catch {
      toasts.show({ tone: "error", message: t("sessions.importInvalid") })
      return
    }
    const imported = await list.importJson(document)
    if (imported) {
      toasts.show({ tone: "success", message: t("sessions.imported", { title: imported.title }) })
      onOpen(imported)
    }
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="session-sidebar">
      <div className="flex flex-col gap-2 border-b border-line p-3">
        <div className="flex gap-2">
          <Button
            variant="primary"
            size="sm"
            className="flex-1"
            onClick={() => void create()}
            data-testid="session-new"
          >
            <PlusIcon className="size-3.5" />
            {t("sessions.new")}
          </Button>
          <Button
            size="sm"
            onClick={() => fileInput.current?.click()}
            title={t("sessions.import")}
            data-testid="session-import"
          >
            <UploadIcon className="size-3.5" />
            <span className="sr-only sm:not-sr-only">{t("sessions.import")}</span>
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            className="hidden"
            data-testid="session-import-input"
            onChange={(event) => {
              const file = event.target.files?.[0]
              event.target.value = ""
              if (file) void importFile(file)
            }}
          />
        </div>
        <div className="relative">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-subtle" />
          <input
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-label={t("sessions.search")}
            placeholder={t("sessions.searchPlaceholder")}
            data-testid="session-search"
            className="h-8 w-full rounded-lg border border-line-strong bg-surface pr-2 pl-8 text-[13px] placeholder:text-subtle"
          />
        </div>
        <label className="flex items-center gap-2 text-xs text-muted">
          <input
            type="checkbox"
            checked={archived}
            onChange={(event) => void list.load({ archived: event.target.checked })}
            data-testid="session-show-archived"
          />
          {t("sessions.showArchived")}
        </label>
        {tag ? (
          <p className="flex items-center gap-2 text-xs text-muted" data-testid="session-tag-filter">
            {t("sessions.taggedWith", { tag })}
            <button
              type="button"
              onClick={() => void list.load({ tag: null })}
              className="rounded-md px-1.5 font-medium text-accent-text"
              data-testid="session-tag-clear"
            >
              {t("sessions.clearTag")}
            </button>
          </p>
        ) : null}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-2">
        {error ? (
          <ErrorNotice error={error} compact testId="session-list-error" onRetry={() => void list.load()} />
        ) : null}
        {!loaded && status === "loading" ? (
          <div className="flex justify-center p-4">
            <Spinner />
          </div>
        ) : null}
        {loaded && items.length === 0 ? (
          <p className="p-3 text-[13px] text-muted" data-testid="session-list-empty">
            {query
              ? t("sessions.noMatch", { query })
              : tag
                ? t("sessions.noTagMatch", { tag })
                : t("sessions.empty.body")}
          </p>
        ) : null}
        <ul className="flex flex-col gap-0.5" aria-label={t("sessions.label")} data-testid="session-list">
          {items.map((session) => (
            <SessionRow
              key={session.id}
              session={session}
              list={list}
              current={session.id === currentId}
              onTag={(chosen) => void list.load({ tag: chosen })}
            />
          ))}
        </ul>
        {nextCursor ? (
          <div className="flex justify-center p-2">
            <Button
              size="sm"
              variant="ghost"
              disabled={status !== "idle"}
              onClick={() => void list.loadMore()}
              data-testid="session-load-more"
            >
              {status === "more" ? <Spinner className="size-3.5" /> : null}
              {t("sessions.loadMore")}
            </Button>
          </div>
        ) : null}
      </div>
    </div>
  )
}
