import {
  CreateEntryBody,
  FileContent,
  FileEntry,
  FileQuery,
  MoveEntryBody,
  ProjectParams,
  TreePage,
  TreeQuery,
  WriteFileBody,
} from "@xionimus/protocol"
import { defineRoute, emptyResponse, type Route } from "../define-route.ts"
import { decodeContent, encodeContent, entryTypeAt } from "../file-content.ts"
import { findLiveProject } from "../project-access.ts"
import type { RouteDeps } from "../route-deps.ts"

/** A project's files: tree, read, write (with optimistic concurrency), create, move, delete. */
export function fileRoutes({ services, activity }: RouteDeps): Route[] {
  async function filesOf(projectId: string) {
    await findLiveProject(services.store, projectId)
    return services.workspaces.files(projectId)
  }

  return [
    defineRoute({
      method: "GET",
      url: "/api/projects/:projectId/tree",
      summary: "One directory's entries, directories first",
      tags: ["files"],
      access: "project:read",
      params: ProjectParams,
      query: TreeQuery,
      response: { 200: TreePage },
      async handler({ params, query }) {
        const files = await filesOf(params.projectId)
        const page = await files.list(query.path, {
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        })
        return { items: page.entries, nextCursor: page.nextCursor, path: query.path }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/projects/:projectId/files",
      summary: "Read a file (UTF-8 text, or base64 for other bytes)",
      tags: ["files"],
      access: "project:read",
      params: ProjectParams,
      query: FileQuery,
      response: { 200: FileContent },
      async handler({ params, query }) {
        const files = await filesOf(params.projectId)
        const { entry, content } = await files.read(query.path)
        return { entry, ...encodeContent(content) }
      },
    }),
    defineRoute({
      method: "PUT",
      url: "/api/projects/:projectId/files",
      summary: "Write a file",
      description:
        "expectedVersion: the version read before editing (VERSION_CONFLICT when the file changed since), " +
        "null when the file must not exist yet, omitted to overwrite.",
      tags: ["files"],
      access: "project:write",
      params: ProjectParams,
      body: WriteFileBody,
      response: { 200: FileEntry },
      async handler({ params, body, principal }) {
        const files = await filesOf(params.projectId)
        const content = decodeContent(body.content, body.encoding)
        await services.quotas.assertStorage(params.projectId, content.length)
        const existed =
          body.expectedVersion === undefined
            ? (await entryTypeAt(files, body.path)) !== undefined
            : body.expectedVersion !== null
        const entry = await files.write(body.path, content, {
          ...(body.expectedVersion === undefined ? {} : { expectedVersion: body.expectedVersion }),
        })
        await activity.record(params.projectId, [
          {
            type: "file.changed",
            data: {
              path: entry.path,
              change: existed ? "updated" : "created",
              entryType: "file",
              by: byUser(principal),
            },
          },
        ])
        return entry
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/projects/:projectId/files",
      summary: "Create a file or a directory (FILE_EXISTS when the path is taken)",
      tags: ["files"],
      access: "project:write",
      params: ProjectParams,
      body: CreateEntryBody,
      response: { 201: FileEntry },
      async handler({ params, body, principal }) {
        const files = await filesOf(params.projectId)
        const content = body.content === undefined ? undefined : decodeContent(body.content, body.encoding)
        await services.quotas.assertStorage(params.projectId, content?.length ?? 0)
        const entry = await files.create(body.path, body.type, content)
        await activity.record(params.projectId, [
          {
            type: "file.changed",
            data: { path: entry.path, change: "created", entryType: body.type, by: byUser(principal) },
          },
        ])
        return entry
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/projects/:projectId/files",
      summary: "Delete a file or a directory with everything in it",
      tags: ["files"],
      access: "project:write",
      params: ProjectParams,
      query: FileQuery,
      response: { 204: emptyResponse("Deleted") },
      async handler({ params, query, principal }) {
        const files = await filesOf(params.projectId)
        const entry = await files.stat(query.path)
        await files.remove(query.path)
        await activity.record(params.projectId, [
          {
            type: "file.changed",
            data: {
              path: entry.path,
              change: "deleted",
              entryType: entry.type === "directory" ? "directory" : "file",
              by: byUser(principal),
            },
          },
        ])
        return undefined
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/projects/:projectId/files/move",
      summary: "Move or rename a file or a directory",
      tags: ["files"],
      access: "project:write",
      params: ProjectParams,
      body: MoveEntryBody,
      response: { 200: FileEntry },
      async handler({ params, body, principal }) {
        const files = await filesOf(params.projectId)
        const entry = await files.move(body.from, body.to, { overwrite: body.overwrite })
        await activity.record(params.projectId, [
          {
            type: "file.changed",
            data: {
              path: entry.path,
              from: body.from,
              change: "moved",
              entryType: entry.type === "directory" ? "directory" : "file",
              by: byUser(principal),
            },
          },
        ])
        return entry
      },
    }),
  ]
}

/** Who changed a file through the API, for the activity stream. */
export function byUser(principal: { user: { id: string } } | null): { userId: string | null } {
  return { userId: principal?.user.id ?? null }
}
