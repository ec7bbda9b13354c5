import type { Authenticated } from "@xionimus/auth"
import { AppError } from "@xionimus/kit"
import {
  CreateProjectBody,
  Project,
  ProjectListQuery,
  ProjectPage,
  ProjectParams,
  RenameProjectBody,
} from "@xionimus/protocol"
import type { WorkspaceSource } from "@xionimus/workspace"
import type { FastifyRequest } from "fastify"
import { metaOf } from "../auth/request-identity.ts"
import { abortOnDisconnect, createProject, withoutCredentials } from "../create-project.ts"
import { defineRoute, type Route } from "../define-route.ts"
import { openImportProgress } from "../import-progress.ts"
import { findProject } from "../project-access.ts"
import type { RouteDeps } from "../route-deps.ts"

/** Projects: list, create (empty, template, git), read, rename, soft delete and restore. */
export function projectRoutes({ config, services, activity }: RouteDeps): Route[] {
  const { projects } = services.store
  const auditProject = (
    action: string,
    projectId: string,
    request: FastifyRequest,
    principal: Authenticated | null,
    details: Record<string, unknown>,
  ) =>
    services.auth.audit({
      action,
      outcome: "success",
      actorUserId: principal?.user.id ?? null,
      actorKeyId: principal?.keyId ?? null,
      target: projectId,
      ...metaOf(request),
      details,
    })
  return [
    defineRoute({
      method: "GET",
      url: "/api/projects",
      summary: "List projects, newest first",
      tags: ["projects"],
      access: "project:read",
      query: ProjectListQuery,
      response: { 200: ProjectPage },
      async handler({ query, principal }) {
        // Only the projects of the caller's teams (all of them for instance admins).
        const visible = await services.teams.visibleProjects(principal!)
        return projects.list(query, visible ? { onlyIds: visible } : {})
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/projects",
      summary: "Create a project: empty, from a template or from a git URL",
      description:
        "Give at most one of template and git. A git token is used for this clone only. With `progressId` the " +
        "clone's progress is published on that stream (subscribe to it on /api/stream before sending).",
      tags: ["projects"],
      access: "project:write",
      body: CreateProjectBody,
      response: { 201: Project },
      async handler({ body, request, reply, principal }) {
        if (body.template && body.git) {
          throw new AppError("VALIDATION_FAILED", "Give either a template or a git URL, not both.", {
            issues: [
              { in: "body", path: "git", code: "custom", message: "not allowed together with template" },
            ],
          })
        }
        const source: WorkspaceSource = body.template
          ? { kind: "template", template: body.template }
          : body.git
            ? { kind: "git", ...body.git }
            : { kind: "empty" }
        const recordedSource = body.template
          ? { kind: "template" as const, template: body.template }
          : body.git
            ? { kind: "git" as const, url: withoutCredentials(body.git.url) }
            : { kind: "empty" as const }
        const teamId = await services.teams.teamForNewProject(principal!, body.teamId)
        // A team whose storage quota is used up gets no new projects.
        await services.quotas.assertTeamStorage(teamId, 0)
        const progress = await openImportProgress(
          services.bus,
          request.log,
          body.progressId,
          principal?.user.id ?? null,
        )
        const project = await createProject(
          services,
          activity,
          request.log,
          { name: body.name, source, recordedSource, progress },
          abortOnDisconnect(reply),
        )
        await services.teams.assignProject(project.id, teamId)
        return project
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/projects/:projectId",
      summary: "One project (deleted ones too, with deletedAt set)",
      tags: ["projects"],
      access: "project:read",
      params: ProjectParams,
      response: { 200: Project },
      handler: ({ params }) => findProject(services.store, params.projectId),
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/projects/:projectId",
      summary: "Rename a project",
      tags: ["projects"],
      access: "project:write",
      params: ProjectParams,
      body: RenameProjectBody,
      response: { 200: Project },
      async handler({ params, body }) {
        const before = await findProject(services.store, params.projectId)
        const project = await projects.rename(params.projectId, body.name)
        await activity.record(project.id, [
          { type: "project.renamed", data: { name: project.name, previousName: before.name } },
        ])
        return project
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/projects/:projectId",
      summary: "Delete a project (restorable until purgeAfter)",
      tags: ["projects"],
      access: "project:manage",
      params: ProjectParams,
      response: { 200: Project },
      async handler({ params, request, principal }) {
        const project = await projects.softDelete(params.projectId, config.projects.purgeAfterDays)
        await activity.record(project.id, [
          { type: "project.deleted", data: { purgeAfter: project.purgeAfter } },
        ])
        await auditProject("project.deleted", project.id, request, principal, { name: project.name })
        return project
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/projects/:projectId/restore",
      summary: "Restore a deleted project",
      tags: ["projects"],
      access: "project:manage",
      params: ProjectParams,
      response: { 200: Project },
      async handler({ params, request, principal }) {
        const project = await projects.restore(params.projectId)
        await activity.record(project.id, [{ type: "project.restored", data: {} }])
        await auditProject("project.restored", project.id, request, principal, { name: project.name })
        return project
      },
    }),
  ]
}
