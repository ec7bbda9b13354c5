import type { Session } from "@xionimus/protocol"
import { useState } from "react"
import { useLocale, useT } from "../../app-context.tsx"
import { IconButton } from "../../components/button.tsx"
import { ArchiveIcon, PencilIcon, PinIcon, RestoreIcon } from "../../components/icons.tsx"
import { formatRelative } from "../../lib/format.ts"
import { routeHref } from "../../lib/router.ts"
import { parseTags, type SessionList } from "../../stores/session-list-store.ts"

/** One session in the sidebar: a link that opens it, its tags (a click filters by one), pin, archive and edit. */
export function SessionRow({
  session,
  list,
  current,
  onTag,
}: {
  session: Session
  list: SessionList
  current: boolean
  onTag: (tag: string) => void
}) {
  const t = useT()
  const locale = useLocale()
  const [renaming, setRenaming] = useState(false)
  const [title, setTitle] = useState(session.title)
  const [tags, setTags] = useState(session.tags.join(", "))
  const href = routeHref({ name: "sessions", projectId: session.projectId, sessionId: session.id })

  if (renaming)
    return (
      <li className="px-2 py-1.5">
        <form
          className="flex flex-wrap gap-1.5"
          onSubmit={(event) => {
            event.preventDefault()
            void list.update(session.id, {
              ...(title.trim() ? { title: title.trim() } : {}),
              tags: parseTags(tags),
            })
            setRenaming(false)
          }}
        >
          <input
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            aria-label={t("sessions.renameLabel")}
            data-testid="session-rename-input"
            // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to rename
            autoFocus
            onKeyDown={(event) => event.key === "Escape" && setRenaming(false)}
            className="h-8 min-w-0 flex-1 rounded-lg border border-line-strong bg-surface px-2 text-sm"
          />
          <input
            value={tags}
            onChange={(event) => setTags(event.target.value)}
            aria-label={t("sessions.tagsLabel")}
            placeholder={t("sessions.tagsPlaceholder")}
            data-testid="session-tags-input"
            onKeyDown={(event) => event.key === "Escape" && setRenaming(false)}
            className="order-last h-8 w-full rounded-lg border border-line-strong bg-surface px-2 text-sm placeholder:text-subtle"
          />
          <button
            type="submit"
            className="rounded-md px-2 text-[13px] font-medium text-accent-text"
            data-testid="session-rename-save"
          >
            {t("sessions.save")}
          </button>
        </form>
      </li>
    )

  return (
    <li
      className={`group flex items-center gap-1 rounded-lg pr-1 ${current ? "bg-accent-soft" : "hover:bg-sunken"}`}
      data-testid="session-row"
      data-session-id={session.id}
      data-pinned={session.pinned}
    >
      <a
        href={href}
        className="flex min-w-0 flex-1 flex-col px-2.5 py-2"
        aria-current={current ? "page" : undefined}
      >
        <span className="flex items-center gap-1.5">
          {session.pinned ? <PinIcon className="size-3 text-accent-text" /> : null}
          <span className="truncate text-[13px] font-medium" data-testid="session-title">
            {session.title}
          </span>
        </span>
        <span className="flex items-center gap-1.5 text-xs text-subtle">
          {session.runState === "running" ? (
            <span className="size-1.5 rounded-full bg-accent" title={t("sessions.running")} />
          ) : null}
          {formatRelative(session.updatedAt, locale)}
        </span>
      </a>
      {session.tags.length > 0 ? (
        <ul className="flex max-w-[40%] flex-wrap justify-end gap-1" aria-label={t("sessions.tags")}>
          {session.tags.map((tag) => (
            <li key={tag}>
              <button
                type="button"
                onClick={() => onTag(tag)}
                title={t("sessions.filterByTag", { tag })}
                data-testid="session-tag"
                className="max-w-24 truncate rounded-full bg-sunken px-1.5 py-0.5 text-[11px] text-muted hover:text-fg"
              >
                {tag}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex shrink-0 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 max-md:opacity-100">
        <IconButton
          label={session.pinned ? t("sessions.unpin") : t("sessions.pin")}
          onClick={() => void list.update(session.id, { pinned: !session.pinned })}
          data-testid="session-pin"
          className="size-7"
        >
          <PinIcon className="size-3.5" />
        </IconButton>
        <IconButton
          label={t("sessions.rename")}
          onClick={() => {
            setTitle(session.title)
            setTags(session.tags.join(", "))
            setRenaming(true)
          }}
          data-testid="session-rename"
          className="size-7"
        >
          <PencilIcon className="size-3.5" />
        </IconButton>
        <IconButton
          label={session.archived ? t("sessions.unarchive") : t("sessions.archive")}
          onClick={() => void list.update(session.id, { archived: !session.archived })}
          data-testid="session-archive"
          className="size-7"
        >
          {session.archived ? <RestoreIcon className="size-3.5" /> : <ArchiveIcon className="size-3.5" />}
        </IconButton>
      </div>
    </li>
  )
}
