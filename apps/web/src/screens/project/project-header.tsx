import type { Project } from "@xionimus/protocol"
import type { ReactNode } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { LinkButton } from "../../components/button.tsx"
import { ChevronLeftIcon, DownloadIcon } from "../../components/icons.tsx"
import { routeHref } from "../../lib/router.ts"
import { SourceBadge } from "../projects/source-badge.tsx"

/** The way back to the project list. */
export function BackLink() {
  const t = useT()
  return (
    <a
      href={routeHref({ name: "projects" })}
      className="flex w-fit items-center gap-1 rounded-md text-[13px] text-muted hover:text-fg"
      data-testid="back-to-projects"
    >
      <ChevronLeftIcon className="size-3.5" />
      {t("project.back")}
    </a>
  )
}

export function ProjectHeader({ project, actions }: { project: Project | null; actions: ReactNode }) {
  const { client } = useServices()
  const t = useT()
  return (
    <div className="flex flex-col gap-3">
      <BackLink />
      <div className="flex items-center gap-3">
        <div className="flex min-w-0 flex-1 items-center gap-3">
          <h1
            className="truncate text-xl font-semibold tracking-tight sm:text-2xl"
            data-testid="project-name"
          >
            {project?.name ?? "\u00a0"}
          </h1>
          {project ? (
            <span className="hidden sm:inline-flex">
              <SourceBadge source={project.source} />
            </span>
          ) : null}
        </div>
        <div className="flex shrink-0 items-center gap-2">
          {actions}
          {project ? (
            <LinkButton
              href={client.archiveUrl(project.id)}
              download={`${project.name}.zip`}
              size="sm"
              aria-label={t("project.downloadZipLabel", { name: project.name })}
              title={t("project.downloadZipLabel", { name: project.name })}
              data-testid="download-zip"
            >
              <DownloadIcon className="size-3.5" />
              <span className="hidden lg:inline">{t("project.downloadZip")}</span>
            </LinkButton>
          ) : null}
        </div>
      </div>
    </div>
  )
}
