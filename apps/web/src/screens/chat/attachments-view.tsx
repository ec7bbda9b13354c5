import { useContext } from "react"
import { AppContext } from "../../app-context.tsx"
import { FileIcon } from "../../components/icons.tsx"
import { fileNameOf, isImagePath } from "../../lib/message-attachments.ts"
import { routeHref } from "../../lib/router.ts"
import { useChatUi } from "./chat-context.tsx"

/**
 * A sent message's attachments: images as thumbnails, other files as chips linking to the file in the
 * project. The shared page (no sign-in, no app services) shows the names only.
 */
export function AttachmentsView({ paths }: { paths: readonly string[] }) {
  const { t, chat } = useChatUi()
  const services = useContext(AppContext)
  const projectId = chat?.state.get().state.projectId
  const linked = services && projectId ? { client: services.client, projectId } : null
  return (
    <ul className="flex max-w-[85%] flex-wrap justify-end gap-2" data-testid="message-attachments">
      {paths.map((path) => {
        const name = fileNameOf(path)
        const fileHref = linked
          ? routeHref({ name: "project", projectId: linked.projectId, path })
          : undefined
        if (linked && isImagePath(path))
          return (
            <li key={path}>
              <a
                href={fileHref}
                title={t("commands.attach.open", { name })}
                data-testid="message-attachment"
                data-path={path}
              >
                <img
                  src={linked.client.rawUrl(linked.projectId, path)}
                  alt={name}
                  loading="lazy"
                  className="h-24 max-w-48 rounded-lg border border-line object-cover"
                  data-testid="attachment-thumbnail"
                />
              </a>
            </li>
          )
        const chip = (
          <>
            <FileIcon className="size-3.5 shrink-0" />
            <span className="truncate">{name}</span>
          </>
        )
        const chipClass =
          "flex max-w-64 items-center gap-1.5 rounded-full border border-line bg-sunken px-2.5 py-0.5 text-xs"
        return (
          <li key={path}>
            {fileHref ? (
              <a
                href={fileHref}
                className={`${chipClass} hover:text-accent`}
                title={t("commands.attach.open", { name })}
                data-testid="message-attachment"
                data-path={path}
              >
                {chip}
              </a>
            ) : (
              <span className={chipClass} data-testid="message-attachment" data-path={path}>
                {chip}
              </span>
            )}
          </li>
        )
      })}
    </ul>
  )
}
