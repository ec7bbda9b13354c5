import { AppError } from "@xionimus/kit"
import { FileQuery, ProjectParams, UploadQuery, UploadResult } from "@xionimus/protocol"
import { defineRoute, type Route, rawResponse } from "../define-route.ts"
import { attachment, entryTypeAt } from "../file-content.ts"
import { findLiveProject } from "../project-access.ts"
import { readMultipart } from "../read-multipart.ts"
import type { RouteDeps } from "../route-deps.ts"
import { byUser } from "./file-routes.ts"

/** Bytes in and out: multipart upload (folders kept), raw download, the project as a zip. */
export function fileTransferRoutes({ config, services, activity }: RouteDeps): Route[] {
  return [
    defineRoute({
      method: "POST",
      url: "/api/projects/:projectId/files/upload",
      summary: "Upload files (and folders) into a directory",
      description:
        "Each file part's filename is its path relative to the target directory (`path` in the query), " +
        "so folder uploads keep their structure. All files are checked before any is written.",
      tags: ["files"],
      access: "project:write",
      params: ProjectParams,
      query: UploadQuery,
      multipart: {
        description: "One part per file; the filename may hold a relative path such as docs/a.md.",
        fields: { file: { description: "A file", file: true, required: true, many: true } },
      },
      response: { 201: UploadResult },
      async handler({ params, query, request, principal }) {
        await findLiveProject(services.store, params.projectId)
        const { files: uploaded, fields } = await readMultipart(request, {
          maxFileBytes: config.limits.maxFileBytes,
          maxTotalBytes: config.limits.maxUploadBytes,
          maxFiles: config.limits.maxUploadFiles,
          tooLargeCode: "FILE_TOO_LARGE",
        })
        if (uploaded.length === 0 || fields.size > 0) {
          throw new AppError("VALIDATION_FAILED", "Send one or more file parts and no other fields.", {
            issues: [
              ...[...fields.keys()].map((field) => ({
                in: "body",
                path: field,
                code: "unrecognized_keys",
                message: "unknown field",
              })),
              ...(uploaded.length === 0
                ? [
                    {
                      in: "body",
                      path: "file",
                      code: "invalid_type",
                      message: "at least one file is required",
                    },
                  ]
                : []),
            ],
          })
        }
        const base = query.path.replace(/\/+$/, "")
        const writes = uploaded.map((file) => ({
          path: base ? `${base}/${file.filename}` : file.filename,
          content: file.content,
        }))
        const projectFiles = services.workspaces.files(params.projectId)
        const existed = await Promise.all(
          writes.map(
            async (write) => (await entryTypeAt(projectFiles, write.path).catch(() => undefined)) === "file",
          ),
        )
        await services.quotas.assertStorage(
          params.projectId,
          writes.reduce((total, write) => total + write.content.length, 0),
        )
        const entries = await projectFiles.writeMany(writes)
        await activity.record(
          params.projectId,
          entries.map((entry, index) => ({
            type: "file.changed" as const,
            data: {
              path: entry.path,
              change: existed[index] ? "updated" : "created",
              entryType: "file",
              by: byUser(principal),
            },
          })),
        )
        return { items: entries }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/projects/:projectId/files/raw",
      summary: "Download a file's bytes",
      tags: ["files"],
      access: "project:read",
      params: ProjectParams,
      query: FileQuery,
      response: { 200: rawResponse("application/octet-stream", "The file's bytes, as an attachment") },
      async handler({ params, query, reply }) {
        await findLiveProject(services.store, params.projectId)
        const { entry, content } = await services.workspaces.files(params.projectId).read(query.path)
        reply.header("content-disposition", attachment(entry.name))
        reply.header("x-file-version", entry.version)
        return content
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/projects/:projectId/archive",
      summary: "Download the whole project as a zip (streamed)",
      tags: ["files"],
      access: "project:read",
      params: ProjectParams,
      response: { 200: rawResponse("application/zip", "A zip archive of the project's files") },
      async handler({ params, reply }) {
        const project = await findLiveProject(services.store, params.projectId)
        reply.header("content-disposition", attachment(`${project.name}.zip`))
        return services.workspaces.files(params.projectId).zip({ folder: archiveFolder(project.name) })
      },
    }),
  ]
}

/** A project name as a portable top-level folder name inside its archive. */
export function archiveFolder(name: string): string {
  const folder = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "")
  return folder || "project"
}
