import {
  CreateSessionBody,
  ProjectParams,
  Session,
  SessionListQuery,
  UpdateSessionBody,
} from "@xionimus/protocol"
import { auditAction } from "../audit-action.ts"
import { defineRoute, emptyResponse, type Route, rawResponse } from "../define-route.ts"
import { findLiveProject } from "../project-access.ts"
import type { RouteDeps } from "../route-deps.ts"
import { ExportQuery, SessionImportBody, SessionPage, SessionParams } from "./session-schemas.ts"

/**
 * Sessions of a project: list and search, create, read, change (title, tags, pin, archive, model),
 * delete, export and import. Access to a session is its project's role (the guard resolves it).
 */
export function sessionRoutes({ config, services }: RouteDeps): Route[] {
  const { sessions } = services
  return [
    defineRoute({
      method: "GET",
      url: "/api/projects/:projectId/sessions",
      summary: "List the project's sessions: pinned first, then the most recently updated",
      description: "`q` searches titles and message text; archived sessions only with `archived=true`.",
      tags: ["sessions"],
      access: "project:read",
      params: ProjectParams,
      query: SessionListQuery,
      response: { 200: SessionPage },
      handler: ({ params, query }) => sessions.list(params.projectId, query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/projects/:projectId/sessions",
      summary: "Start a session in the project",
      tags: ["sessions"],
      access: "project:write",
      params: ProjectParams,
      body: CreateSessionBody,
      response: { 201: Session },
      async handler({ params, body, principal }) {
        await findLiveProject(services.store, params.projectId)
        // Without a model: the user's default (Settings), else the configuration's models.default at turn time.
        const model =
          body.model ??
          (principal
            ? (await services.store.accountSettings.preferences(principal.user.id)).defaultModel
            : null)
        return sessions.create({
          projectId: params.projectId,
          ...(body.title ? { title: body.title } : {}),
          ...(model ? { model } : {}),
          ...(body.tags ? { tags: body.tags } : {}),
          createdBy: principal?.user.id ?? null,
        })
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/projects/:projectId/sessions/import",
      summary: "Import a session export (JSON) as a new session of the project",
      description:
        "The document is checked whole: EXPORT_INVALID when it is not an export or was changed after export " +
        "(its state hash), EXPORT_VERSION_UNSUPPORTED when a newer Xionimus wrote it.",
      tags: ["sessions"],
      access: "project:write",
      params: ProjectParams,
      body: SessionImportBody,
      // A long session's export is larger than ordinary requests: it may be as large as an upload.
      bodyLimit: config.limits.maxUploadBytes,
      response: { 201: Session },
      async handler({ params, request, principal }) {
        await findLiveProject(services.store, params.projectId)
        // The engine validates the document as sent (the schema above only documents it).
        const session = await sessions.importJson(params.projectId, request.body, principal?.user.id ?? null)
        await auditAction(services.auth, request, principal, "session.imported", session.id, {
          projectId: params.projectId,
        })
        return session
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/sessions/:sessionId",
      summary: "A session: title, tags, run state, usage, head of its log",
      tags: ["sessions"],
      access: "project:read",
      params: SessionParams,
      response: { 200: Session },
      handler: ({ params }) => sessions.get(params.sessionId),
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/sessions/:sessionId",
      summary: "Rename, tag, pin, archive a session or change its model",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      body: UpdateSessionBody,
      response: { 200: Session },
      handler: ({ params, body }) =>
        sessions.update(
          params.sessionId,
          Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)),
        ),
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/sessions/:sessionId",
      summary: "Delete a session and its log for good (a running turn is cancelled first)",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      response: { 204: emptyResponse("Deleted") },
      async handler({ params, request, principal }) {
        const session = await sessions.get(params.sessionId)
        await sessions.remove(params.sessionId)
        await auditAction(services.auth, request, principal, "session.deleted", params.sessionId, {
          projectId: session.projectId,
          title: session.title,
        })
        return undefined
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/sessions/:sessionId/export",
      summary: "Download the session: its whole log as versioned JSON, or a Markdown transcript",
      tags: ["sessions"],
      access: "project:read",
      params: SessionParams,
      query: ExportQuery,
      response: {
        200: rawResponse(
          "application/json",
          "A SessionExport document (format=json), or text/markdown (format=markdown); as an attachment",
        ),
      },
      async handler({ params, query, request, reply, principal }) {
        const markdown = query.format === "markdown"
        const body = markdown
          ? await sessions.exportMarkdown(params.sessionId)
          : JSON.stringify(await sessions.exportJson(params.sessionId), null, 2)
        await auditAction(services.auth, request, principal, "session.exported", params.sessionId, {
          format: query.format,
        })
        reply.type(markdown ? "text/markdown; charset=utf-8" : "application/json; charset=utf-8")
        reply.header(
          "content-disposition",
          `attachment; filename="${params.sessionId}.${markdown ? "md" : "json"}"`,
        )
        return body
      },
    }),
  ]
}
