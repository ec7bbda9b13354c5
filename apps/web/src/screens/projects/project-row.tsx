import type { Project } from "@xionimus/protocol"
import { useState } from "react"
import { useLocale, useServices, useT } from "../../app-context.tsx"
import { IconButton } from "../../components/button.tsx"
import { PencilIcon, TrashIcon } from "../../components/icons.tsx"
import { formatRelative } from "../../lib/format.ts"
import { routeHref } from "../../lib/router.ts"
import { ProjectAvatar } from "./project-avatar.tsx"
import { RenameForm } from "./rename-form.tsx"
import { SourceBadge } from "./source-badge.tsx"

export function ProjectRow({ project }: { project: Project }) {
  const { actions } = useServices()
  const t = useT()
  const locale = useLocale()
  const [renaming, setRenaming] = useState(false)

  return (
    <li
      data-testid="project-row"
      data-project-id={project.id}
      className="group flex items-center gap-3 px-4 py-3 sm:px-5"
    >
      <ProjectAvatar name={project.name} />
      {renaming ? (
        <RenameForm project={project} onDone={() => setRenaming(false)} />
      ) : (
        <>
          <div className="min-w-0 flex-1">
            <a
              href={routeHref({ name: "project", projectId: project.id, path: null })}
              data-testid="project-link"
              className="block truncate rounded-sm font-medium text-fg hover:text-accent-text"
            >
              {project.name}
            </a>
            <p className="mt-0.5 flex items-center gap-2 text-xs text-muted">
              <SourceBadge source={project.source} />
              <span className="truncate">
                {t("projects.updated", { time: formatRelative(project.updatedAt, locale) })}
              </span>
            </p>
          </div>
          <div className="flex items-center gap-0.5 sm:opacity-60 sm:transition-opacity sm:group-focus-within:opacity-100 sm:group-hover:opacity-100">
            <IconButton
              label={t("projects.renameLabel", { name: project.name })}
              data-testid="project-rename"
              onClick={() => setRenaming(true)}
            >
              <PencilIcon />
            </IconButton>
            <IconButton
              variant="danger"
              label={t("projects.deleteLabel", { name: project.name })}
              data-testid="project-delete"
              onClick={() => void actions.remove(project)}
            >
              <TrashIcon />
            </IconButton>
          </div>
        </>
      )}
    </li>
  )
}
