import type { Project } from "@xionimus/protocol"
import { useState } from "react"
import { useLocale, useServices, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { RestoreIcon } from "../../components/icons.tsx"
import { formatDate, formatRelative } from "../../lib/format.ts"
import { ProjectAvatar } from "../projects/project-avatar.tsx"
import { SourceBadge } from "../projects/source-badge.tsx"

export function TrashRow({ project }: { project: Project }) {
  const { actions } = useServices()
  const t = useT()
  const locale = useLocale()
  const [busy, setBusy] = useState(false)
  const deleted = project.deletedAt
    ? t("trash.deletedAt", { time: formatRelative(project.deletedAt, locale) })
    : ""
  const purge = project.purgeAfter
    ? t("trash.purgeAfter", { date: formatDate(project.purgeAfter, locale) })
    : ""
  return (
    <li
      data-testid="trash-row"
      data-project-id={project.id}
      className="flex items-center gap-3 px-4 py-3 sm:px-5"
    >
      <ProjectAvatar name={project.name} muted />
      <div className="min-w-0 flex-1">
        <p className="truncate font-medium text-fg">{project.name}</p>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted">
          <SourceBadge source={project.source} />
          <span>{[deleted, purge].filter(Boolean).join(" · ")}</span>
        </p>
      </div>
      <Button
        size="sm"
        disabled={busy}
        aria-label={t("trash.restoreLabel", { name: project.name })}
        data-testid="project-restore"
        onClick={async () => {
          setBusy(true)
          await actions.restore(project)
          setBusy(false)
        }}
      >
        <RestoreIcon className="size-3.5" />
        <span className="hidden sm:inline">{t("trash.restore")}</span>
      </Button>
    </li>
  )
}
