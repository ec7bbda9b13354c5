import { useEffect, useMemo, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { RestoreIcon } from "../../components/icons.tsx"
import { type PanelTab, PanelTabs } from "../../components/panels/panel-tabs.tsx"
import { PanelToggles } from "../../components/panels/panel-toggles.tsx"
import { useMediaQuery, wideQuery } from "../../components/panels/use-media-query.ts"
import { Spinner } from "../../components/spinner.tsx"
import { parentOf } from "../../lib/file-kind.ts"
import { createPanelLayout } from "../../lib/panel-sizes.ts"
import { useStore } from "../../lib/store.ts"
import type { ProjectSession } from "../../stores/project-session.ts"
import { ActivityPanel } from "../activity/activity-panel.tsx"
import { SessionsWorkspace } from "../sessions/sessions-workspace.tsx"
import { TerminalPanel } from "../terminal/terminal-panel.tsx"
import { DropZone } from "./drop-zone.tsx"
import { FilePane } from "./file-pane.tsx"
import { FileTree } from "./file-tree.tsx"
import { BackLink, ProjectHeader } from "./project-header.tsx"
import { UploadButtons } from "./upload-buttons.tsx"
import { usePanelCommands } from "./use-panel-commands.ts"
import { useProjectSession } from "./use-project-session.ts"
import { RunsLink, ViewSwitch } from "./view-switch.tsx"
import { WorkspaceLayout } from "./workspace-layout.tsx"

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
  const wide = useMediaQuery(wideQuery)
  const layout = useMemo(() => createPanelLayout(localStorageOrNull()), [])
  const terminalOpen = useStore(layout.state, (state) => state.open.terminal)
  // Narrow screens: one panel at a time. Opening a file or a session (a new route) shows it.
  const [tab, setTab] = useState<PanelTab>(view.name === "sessions" ? "chat" : "files")
  const routeKey = view.name === "files" ? `files:${view.path}` : `sessions:${view.sessionId}`
  useEffect(() => setTab(routeKey.startsWith("sessions:") ? "chat" : "files"), [routeKey])
  // The terminal mounts when first shown and then stays (hidden) so that its shell survives hiding it.
  const terminalShown = wide ? terminalOpen : tab === "terminal"
  const [terminalStarted, setTerminalStarted] = useState(terminalShown)
  useEffect(() => {
    if (terminalShown) setTerminalStarted(true)
  }, [terminalShown])
  usePanelCommands({ layout, wide, tab, setTab, home: view.name === "sessions" ? "chat" : "files" })

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

  const selectTab = (next: PanelTab) => {
    setTab(next)
    if (next === "files" && view.name !== "files") {
      router.navigate({ name: "project", projectId: session.projectId, path: null })
    } else if (next === "chat" && view.name !== "sessions") {
      router.navigate({ name: "sessions", projectId: session.projectId, sessionId: null })
    }
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-4" data-testid="project-screen">
      <ProjectHeader
        project={project}
        actions={
          <>
            {wide ? (
              <ViewSwitch projectId={session.projectId} view={view.name} />
            ) : (
              <RunsLink projectId={session.projectId} />
            )}
            {wide ? <PanelToggles layout={layout} /> : null}
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
      {wide ? null : <PanelTabs current={tab} onSelect={selectTab} />}
      <section
        id="workspace-panels"
        // Narrow: the panel the tabs above control; wide: a labelled region of its own.
        aria-label={wide ? t("panels.workspace") : t(`panels.tab${tabLabel[tab]}`)}
        className="flex h-[calc(100dvh-13rem)] min-h-[420px] flex-col overflow-hidden rounded-xl border border-line bg-surface shadow-xs md:h-auto md:flex-1"
        data-testid="workspace"
      >
        <DropZone targetLabel={targetLabel} disabled={deleted || view.name === "sessions"} onDrop={upload}>
          <WorkspaceLayout
            layout={layout}
            wide={wide}
            tab={tab}
            fileOpen={Boolean(path)}
            slots={{
              tree: (
                <>
                  <div className="flex h-11 shrink-0 items-center justify-between border-b border-line px-4">
                    <span className="shrink-0 text-xs font-semibold tracking-wide whitespace-nowrap text-muted uppercase">
                      {t("tree.label")}
                    </span>
                    {target ? (
                      <span
                        className="min-w-0 truncate pl-3 text-xs text-subtle"
                        data-testid="upload-target"
                        title={targetLabel}
                      >
                        {t("project.uploadTarget")}{" "}
                        <span className="font-mono text-muted">{targetLabel}</span>
                      </span>
                    ) : null}
                  </div>
                  <FileTree tree={session.tree} currentPath={path} onOpenFile={openFile} />
                </>
              ),
              main:
                view.name === "sessions" ? (
                  // The sessions workspace brings its own frame; inside the panel it sits flush.
                  <div className="flex min-h-0 min-w-0 flex-1 flex-col *:h-auto! *:min-h-0! *:flex-1 *:rounded-none! *:border-0! *:shadow-none!">
                    <SessionsWorkspace projectId={session.projectId} sessionId={view.sessionId} />
                  </div>
                ) : (
                  <FilePane
                    session={session}
                    onBack={() =>
                      router.navigate({ name: "project", projectId: session.projectId, path: null })
                    }
                  />
                ),
              terminal: terminalStarted ? (
                <TerminalPanel
                  projectId={session.projectId}
                  onClose={wide ? () => layout.setOpen("terminal", false) : undefined}
                />
              ) : null,
              activity: (
                <ActivityPanel
                  projectId={session.projectId}
                  onClose={wide ? () => layout.setOpen("activity", false) : undefined}
                />
              ),
            }}
          />
        </DropZone>
      </section>
    </div>
  )
}

const tabLabel = { files: "Files", chat: "Chat", terminal: "Terminal", activity: "Activity" } as const

/** localStorage, or null where the browser refuses it (some private modes throw on access). */
function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

export function ProjectScreen({ projectId, view }: { projectId: string; view: ProjectView }) {
  const session = useProjectSession(projectId)
  if (!session) return null
  return <Workspace session={session} view={view} />
}
