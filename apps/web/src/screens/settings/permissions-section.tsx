import type { Project } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { useCallback, useEffect, useMemo, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { toApiError } from "../../lib/to-api-error.ts"
import { createPermissionEditor } from "../../stores/settings-permissions-store.ts"
import { PermissionsEditor } from "./permissions-editor.tsx"

/** Permissions: the user's own mode and rules, and a project's (which only its owners may change). */
export default function PermissionsSection() {
  const t = useT()
  const { sessions, client } = useServices()
  const mine = useMemo(
    () =>
      createPermissionEditor({
        read: () => sessions.myPermissions(),
        write: (settings) => sessions.setMyPermissions(settings),
      }),
    [sessions],
  )
  useEffect(() => {
    void mine.load()
  }, [mine])

  const [projects, setProjects] = useState<Project[] | null>(null)
  const [projectsError, setProjectsError] = useState<ApiError | null>(null)
  const [projectId, setProjectId] = useState("")
  const loadProjects = useCallback(() => {
    setProjectsError(null)
    client.listProjects({ limit: 200 }).then(
      (page) => setProjects(page.items),
      (error: unknown) => setProjectsError(toApiError(error)),
    )
  }, [client])
  useEffect(loadProjects, [loadProjects])
  const project = useMemo(
    () =>
      projectId
        ? createPermissionEditor({
            read: () => sessions.projectPermissions(projectId),
            write: ({ mode, rules }) =>
              sessions.setProjectPermissions(projectId, { mode: mode ?? "ask", rules }),
          })
        : null,
    [sessions, projectId],
  )
  useEffect(() => {
    void project?.load()
  }, [project])

  return (
    <div className="flex flex-col gap-8" data-testid="permissions-section">
      <section className="flex flex-col gap-3">
        <h2 className="text-base font-semibold">{t("settings.permissions.mine")}</h2>
        <p className="text-[13px] text-muted">{t("settings.permissions.mineHelp")}</p>
        <PermissionsEditor editor={mine} idPrefix="mine" allowNoMode testId="permissions-mine" />
      </section>
      <section className="flex flex-col gap-3">
        <h2 className="text-base font-semibold">{t("settings.permissions.project")}</h2>
        <p className="text-[13px] text-muted">{t("settings.permissions.projectHelp")}</p>
        {projectsError ? (
          <ErrorNotice error={projectsError} onRetry={loadProjects} testId="permissions-projects-error" />
        ) : (
          <div className="flex flex-col gap-1.5">
            <label htmlFor="permissions-project" className="text-[13px] font-medium">
              {t("settings.permissions.projectPick")}
            </label>
            <select
              id="permissions-project"
              data-testid="permissions-project"
              className="h-9 w-full max-w-md rounded-lg border border-line-strong bg-surface px-3"
              value={projectId}
              disabled={!projects}
              onChange={(event) => setProjectId(event.target.value)}
            >
              <option value="">{t("settings.permissions.projectNone")}</option>
              {(projects ?? []).map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {project ? (
          <PermissionsEditor
            key={projectId}
            editor={project}
            idPrefix="project"
            allowNoMode={false}
            testId="permissions-project-editor"
          />
        ) : null}
      </section>
    </div>
  )
}
