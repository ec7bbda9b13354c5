import { useEffect } from "react"
import { useServices } from "../../app-context.tsx"
import { CloseIcon, FileIcon, ImageIcon } from "../../components/icons.tsx"
import { formatBytes } from "../../lib/format.ts"
import { seesImages } from "../../lib/message-attachments.ts"
import { useStore } from "../../lib/store.ts"
import type { Attachments } from "../../stores/attachments-store.ts"
import { useChatUi } from "./chat-context.tsx"

/**
 * The files attached to the message being written, as chips with their upload state and a remove button;
 * with an image attached, a note when the session's model cannot see images (it gets their paths).
 */
export function AttachmentsBar({
  attachments,
  model,
}: {
  attachments: Attachments
  model?: string | undefined
}) {
  const { t, locale } = useChatUi()
  const { models } = useServices()
  const items = useStore(attachments.items)
  const list = useStore(models.list)
  const fallback = useStore(models.fallback)
  const withImage = items.some((item) => item.image)
  useEffect(() => {
    if (withImage) models.load()
  }, [withImage, models])
  if (items.length === 0) return null
  // A session without a model of its own (that has not answered yet) uses the configured default.
  const effective = model ?? fallback ?? undefined
  const blind = withImage && seesImages(effective, list) === false
  return (
    <>
      {blind ? (
        <p className="px-3 pt-2 text-xs text-muted" data-testid="attachment-no-vision">
          {t("commands.attach.noVision", { model: effective ?? "" })}
        </p>
      ) : null}
      <ul
        aria-label={t("commands.attach.label")}
        className="flex flex-wrap gap-1.5 px-3 pt-2"
        data-testid="attachment-chips"
      >
        {items.map((item) => (
          <li
            key={item.id}
            data-testid="attachment-chip"
            data-status={item.status}
            title={item.error ? `${item.error.message} (${item.error.code})` : (item.path ?? item.name)}
            className={`flex max-w-64 items-center gap-1.5 rounded-full border py-0.5 pr-0.5 pl-2.5 text-xs ${
              item.status === "error" ? "border-danger text-danger" : "border-line bg-sunken text-fg"
            }`}
          >
            {item.image ? (
              <ImageIcon className="size-3.5 shrink-0" />
            ) : (
              <FileIcon className="size-3.5 shrink-0" />
            )}
            <span className="min-w-0 truncate">{item.name}</span>
            <span className="shrink-0 text-subtle">
              {item.status === "uploading"
                ? t("commands.attach.uploading")
                : item.status === "error"
                  ? t("commands.attach.failed")
                  : formatBytes(item.size, locale)}
            </span>
            <button
              type="button"
              onClick={() => attachments.remove(item.id)}
              aria-label={t("commands.attach.remove", { name: item.name })}
              title={t("commands.attach.remove", { name: item.name })}
              data-testid="attachment-remove"
              className="flex size-5 items-center justify-center rounded-full text-muted hover:bg-surface hover:text-fg"
            >
              <CloseIcon className="size-3" />
            </button>
          </li>
        ))}
      </ul>
    </>
  )
}
