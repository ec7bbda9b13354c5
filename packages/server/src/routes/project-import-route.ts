import { AppError } from "@xionimus/kit"
import { ImportProgressId, Project, ProjectName } from "@xionimus/protocol"
import { z } from "zod"
import { createProject } from "../create-project.ts"
import { defineRoute, type Route } from "../define-route.ts"
import { openImportProgress } from "../import-progress.ts"
import { readMultipart } from "../read-multipart.ts"
import type { RouteDeps } from "../route-deps.ts"
import { validateInput } from "../validate-input.ts"

const ImportFields = z.strictObject({ name: ProjectName, progressId: ImportProgressId.optional() })

/** POST /api/projects/import: a new project from an uploaded zip archive. */
export function projectImportRoute({ config, services, activity }: RouteDeps): Route {
  return defineRoute({
    method: "POST",
    url: "/api/projects/import",
    summary: "Create a project from an uploaded zip archive",
    description: "The name defaults to the archive's file name without .zip.",
    tags: ["projects"],
    access: "project:write",
    multipart: {
      description: "One zip archive and, optionally, the project's name.",
      fields: {
        file: { description: "The zip archive", file: true, required: true },
        name: { description: "The project's name" },
        progressId: { description: "A new stream (imp_…) on which the unpacking's progress is published" },
      },
    },
    response: { 201: Project },
    async handler({ request, principal }) {
      const teamId = await services.teams.teamForNewProject(principal!, undefined)
      const { files, fields } = await readMultipart(request, {
        maxFileBytes: config.limits.maxUploadBytes,
        maxTotalBytes: config.limits.maxUploadBytes,
        maxFiles: 1,
        tooLargeCode: "UPLOAD_TOO_LARGE",
      })
      const unknown = [...fields.keys(), ...files.map((file) => file.field)].filter(
        (field) => field !== "name" && field !== "file" && field !== "progressId",
      )
      const archive = files.find((file) => file.field === "file")
      if (unknown.length > 0 || !archive) {
        const issues = [
          ...unknown.map((field) => ({
            in: "body",
            path: field,
            code: "unrecognized_keys",
            message: "unknown field",
          })),
          ...(archive
            ? []
            : [{ in: "body", path: "file", code: "invalid_type", message: "a zip file is required" }]),
        ]
        throw new AppError("VALIDATION_FAILED", "Send one part `file` (the zip) and optionally `name`.", {
          issues,
        })
      }
      const filename = archive.filename.split("/").pop() ?? ""
      const { name, progressId } = validateInput("body", ImportFields, {
        name: fields.get("name") ?? filename.replace(/\.zip$/i, ""),
        ...(fields.get("progressId") ? { progressId: fields.get("progressId") } : {}),
      })
      // The archive's size is a lower bound of what it unpacks to.
      await services.quotas.assertTeamStorage(teamId, archive.content.length)
      const progress = await openImportProgress(
        services.bus,
        request.log,
        progressId,
        principal?.user.id ?? null,
      )
      const project = await createProject(services, activity, request.log, {
        name,
        source: { kind: "zip", data: archive.content },
        recordedSource: { kind: "zip", ...(filename ? { filename } : {}) },
        progress,
      })
      await services.teams.assignProject(project.id, teamId)
      return project
    },
  })
}
