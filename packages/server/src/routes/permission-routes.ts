import { ProjectParams } from "@xionimus/protocol"
import { auditAction } from "../audit-action.ts"
import { defineRoute, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { ProjectPermissionSettings, UserPermissionSettings } from "./session-schemas.ts"

/**
 * The permission settings the agent's policy starts from: a project's (mode and rules, set by its
 * owners) and each user's own (rules, and a mode that can only make a project's stricter).
 */
export function permissionRoutes({ config, services }: RouteDeps): Route[] {
  const settings = services.store.permissionSettings
  return [
    defineRoute({
      method: "GET",
      url: "/api/projects/:projectId/permissions",
      summary: "The project's permission mode and rules",
      description: "A project that set no mode answers the server's default (`agent.mode`).",
      tags: ["sessions"],
      access: "project:read",
      params: ProjectParams,
      response: { 200: ProjectPermissionSettings },
      async handler({ params }) {
        const stored = await settings.get("project", params.projectId)
        return { mode: stored?.mode ?? config.agent.mode, rules: stored?.rules ?? [] }
      },
    }),
    defineRoute({
      method: "PUT",
      url: "/api/projects/:projectId/permissions",
      summary: "Set the project's permission mode and rules (project owners)",
      tags: ["sessions"],
      access: "project:manage",
      params: ProjectParams,
      body: ProjectPermissionSettings,
      response: { 200: ProjectPermissionSettings },
      async handler({ params, body, request, principal }) {
        const stored = await settings.put("project", params.projectId, { mode: body.mode, rules: body.rules })
        await auditAction(
          services.auth,
          request,
          principal,
          "project.permissions.changed",
          params.projectId,
          {
            mode: body.mode,
            rules: body.rules.length,
          },
        )
        return { mode: stored.mode ?? body.mode, rules: stored.rules }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/me/permissions",
      summary: "Your own permission rules and mode",
      tags: ["sessions"],
      access: "self:read",
      response: { 200: UserPermissionSettings },
      async handler({ principal }) {
        const stored = await settings.get("user", principal!.user.id)
        return { ...(stored?.mode ? { mode: stored.mode } : {}), rules: stored?.rules ?? [] }
      },
    }),
    defineRoute({
      method: "PUT",
      url: "/api/me/permissions",
      summary: "Set your own permission rules and mode (omit mode to follow each project's)",
      tags: ["sessions"],
      access: "self:write",
      body: UserPermissionSettings,
      response: { 200: UserPermissionSettings },
      async handler({ body, request, principal }) {
        const stored = await settings.put("user", principal!.user.id, {
          mode: body.mode ?? null,
          rules: body.rules,
        })
        await auditAction(services.auth, request, principal, "user.permissions.changed", principal!.user.id, {
          mode: body.mode ?? null,
          rules: body.rules.length,
        })
        return { ...(stored.mode ? { mode: stored.mode } : {}), rules: stored.rules }
      },
    }),
  ]
}
