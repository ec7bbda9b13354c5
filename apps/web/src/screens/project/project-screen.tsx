import { useEffect } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { RestoreIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { parentOf } from "../../lib/file-kind.ts"
import { useStore } from "../../lib/store.ts"
import type { ProjectSession } from "../../stores/project-session.ts"
import { SessionsWorkspace } from "../sessions/sessions-workspace.tsx"
import { DropZone } from "./drop-zone.tsx"
import { FilePane } from "./file-pane.tsx"
import { FileTree } from "./file-tree.tsx"
import { BackLink, ProjectHeader } from "./project-header.tsx"
import { UploadButtons } from "./upload-buttons.tsx"
import { useProjectSession } from "./use-project-session.ts"
import { ViewSwitch } from "./view-switch.tsx"

export type ProjectView =
  | { name: "files"; path: string | null }
  | { name: "sessions"; sessionId: string | null }

function Workspace({ session, view }: { session: ProjectSession; view: ProjectView }) {
  const path = view.name === "files" ? view.path : null
  const { router, actions } = useServices()
  const t = useT()
  const { project, error } = useStore(session.project)
  const target = useStore(session.tree.state, (state) => state.target)
  const pending = useStore(session.uploads.state, (state) => state.pending)
  const deleted = Boolean(project?.deletedAt)
  const targetLabel = target ? `/${target}` : t("project.root")

  useEffect(() => {
    const known = path
      ? session.tree.state.get().directories[parentOf(path)]?.entries.find((entry) => entry.path === path)
      : undefined
    session.file.open(path, known?.size)
    if (path) session.tree.reveal(path)
  }, [session, path])

  if (error && !project) {
    // Nothing to show without the project (not found, server unreachable): say why and offer a retry.
    return (
      <div className="flex flex-col gap-4" data-testid="project-screen">
        <BackLink />
        <ErrorNotice error={error} testId="project-error" onRetry={() => session.reload()} />
      </div>
    )
  }

  const openFile = (filePath: string) =>
    router.navigate({ name: "project", projectId: session.projectId, path: filePath })
  const upload = (files: Parameters<typeof session.uploads.upload>[0]) =>
    void session.uploads.upload(files, target)

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-4" data-testid="project-screen">
      <ProjectHeader
        project={project}
        actions={
          <>
            <ViewSwitch projectId={session.projectId} view={view.name} />
            {view.name === "sessions" ? null : pending > 0 ? (
              <span className="flex items-center gap-2 text-xs text-muted" data-testid="upload-pending">
                <Spinner className="size-3.5" />
                <span className="hidden sm:inline">{t("project.uploading", { count: pending })}</span>
              </span>
            ) : null}
            {view.name === "sessions" ? null : <UploadButtons onFiles={upload} disabled={deleted} />}
          </>
        }
      />
      {error ? <ErrorNotice error={error} testId="project-error" /> : null}
      {project && deleted ? (
        <div
          className="flex flex-wrap items-center gap-3 rounded-lg border border-warning/30 bg-warning-soft px-4 py-2.5"
          data-testid="project-in-trash"
        >
          <p className="flex-1">{t("project.inTrash")}</p>
          <Button
            size="sm"
            onClick={() => void actions.restore(project).then(() => session.tree.refreshSoon(""))}
          >
            <RestoreIcon className="size-3.5" />
            {t("trash.restore")}
          </Button>
        </div>
      ) : null}
      {view.name === "sessions" ? (
        <SessionsWorkspace projectId={session.projectId} sessionId={view.sessionId} />
      ) : (
        <div className="flex min-h-[420px] flex-1 overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
          <DropZone targetLabel={targetLabel} disabled={deleted} onDrop={upload}>
            <aside
              className={`${path ? "hidden md:flex" : "flex"} w-full flex-col border-line md:w-72 md:shrink-0 md:border-r lg:w-80`}
            >
              <div className="flex h-11 shrink-0 items-center justify-between border-b border-line px-4">
                <span className="text-xs font-semibold tracking-wide text-muted uppercase">
                  {t("tree.label")}
                </span>
                {target ? (
                  <span
                    className="min-w-0 truncate pl-3 text-xs text-subtle"
                    data-testid="upload-target"
                    title={targetLabel}
                  >
                    {t("project.uploadTarget")} <span className="font-mono text-muted">{targetLabel}</span>
                  </span>
                ) : null}
              </div>
              <FileTree tree={session.tree} currentPath={path} onOpenFile={openFile} />
            </aside>
            <div className={`${path ? "flex" : "hidden md:flex"} min-w-0 flex-1`}>
              <FilePane
                session={session}
                onBack={() => router.navigate({ name: "project", projectId: session.projectId, path: null })}
              />
            </div>
          </DropZone>
        </div>
      )}
    </div>
  )
}

export function ProjectScreen({ projectId, view }: { projectId: string; view: ProjectView }) {
  const session = useProjectSession(projectId)
  if (!session) return null
  return <Workspace session={session} view={view} />
}
