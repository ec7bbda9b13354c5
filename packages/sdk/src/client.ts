import type {
  ExecBody,
  FileContent,
  FileEntry,
  Page,
  Project,
  StoredEvent,
  Template,
} from "@xionimus/protocol"
import {
  EventPage,
  ExecStarted,
  FileContent as FileContentSchema,
  FileEntry as FileEntrySchema,
  Health,
  ProjectPage,
  Project as ProjectSchema,
  TemplateList,
  TreePage,
  UploadResult,
  Version,
} from "@xionimus/protocol"
import { createHttp, type FetchFunction } from "./http.ts"
import { type UploadInput, uploadForm } from "./upload-form.ts"

export interface ClientOptions {
  /** Where the server answers, e.g. "http://127.0.0.1:4100" or "" for the page's own origin. */
  baseUrl: string
  /** A fetch to use instead of the global one (tests, instrumentation). */
  fetch?: FetchFunction
  /** Sent with every request: `{ authorization: "Bearer xk_…" }` for programs with an API key. */
  headers?: Record<string, string>
  /** The browser session's CSRF token, sent with every change (see csrfTokenFromCookie). */
  csrfToken?: () => string | undefined
}

/** Every call takes an optional AbortSignal. */
export interface CallOptions {
  signal?: AbortSignal
}

export interface ListProjectsOptions extends CallOptions {
  limit?: number
  cursor?: string
  /** exclude (default): live projects; only: the trash; include: both. */
  deleted?: "exclude" | "only" | "include"
  /** Case-insensitive substring of the name. */
  q?: string
}

export interface CreateProjectInput {
  name: string
  template?: Template["id"]
  git?: { url: string; ref?: string; token?: string }
  /** A new stream (newProgressId()) on which the server publishes the clone's progress. */
  progressId?: string
}

/** A random import progress stream name (imp_ + 22 characters), for createProject and importProject. */
export function newProgressId(): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
  const bytes = crypto.getRandomValues(new Uint8Array(22))
  return `imp_${Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("")}`
}

export interface TreeOptions extends CallOptions {
  /** Directory relative to the project root; "" (default) is the root. */
  path?: string
  limit?: number
  cursor?: string
}

export type TreeResult = Page<FileEntry> & { path: string }

export interface WriteFileInput {
  path: string
  content: string
  encoding?: "utf8" | "base64"
  /** The version read before editing; null = the file must not exist yet; omitted = overwrite. */
  expectedVersion?: string | null
}

export interface CreateEntryInput {
  path: string
  type: "file" | "directory"
  content?: string
  encoding?: "utf8" | "base64"
}

export interface MoveInput {
  from: string
  to: string
  overwrite?: boolean
}

export interface EventsOptions extends CallOptions {
  /** Only events with a greater seq (default 0: from the start). */
  after?: number
  limit?: number
}

/** The typed REST client of docs/api.md. Every failure is thrown as an ApiError. */
export interface Client {
  health(options?: CallOptions): Promise<{ status: "ok" }>
  version(options?: CallOptions): Promise<{ version: string; node: string }>
  templates(options?: CallOptions): Promise<Template[]>
  listProjects(options?: ListProjectsOptions): Promise<Page<Project>>
  createProject(input: CreateProjectInput, options?: CallOptions): Promise<Project>
  /** Creates a project from a zip archive. */
  importProject(
    input: { name: string; file: Blob; filename?: string; progressId?: string },
    options?: CallOptions,
  ): Promise<Project>
  getProject(projectId: string, options?: CallOptions): Promise<Project>
  renameProject(projectId: string, name: string, options?: CallOptions): Promise<Project>
  /** Moves the project to the trash; it can be restored until `purgeAfter`. */
  deleteProject(projectId: string, options?: CallOptions): Promise<Project>
  restoreProject(projectId: string, options?: CallOptions): Promise<Project>
  /** One page of one directory: directories first, then files, by name. */
  tree(projectId: string, options?: TreeOptions): Promise<TreeResult>
  readFile(projectId: string, path: string, options?: CallOptions): Promise<FileContent>
  writeFile(projectId: string, input: WriteFileInput, options?: CallOptions): Promise<FileEntry>
  createEntry(projectId: string, input: CreateEntryInput, options?: CallOptions): Promise<FileEntry>
  move(projectId: string, input: MoveInput, options?: CallOptions): Promise<FileEntry>
  /** Removes a file or a directory with everything in it. */
  remove(projectId: string, path: string, options?: CallOptions): Promise<void>
  /** Uploads files into `path` (default the root); folder uploads keep their relative paths. */
  upload(
    projectId: string,
    files: readonly UploadInput[],
    options?: CallOptions & { path?: string },
  ): Promise<FileEntry[]>
  /** URL of a file's bytes (served as an attachment; fine for <img src> and download links). */
  rawUrl(projectId: string, path: string): string
  /** URL of the whole project as a zip. */
  archiveUrl(projectId: string): string
  /** A page of a stream's stored events, with the stream's current head seq. */
  events(stream: string, options?: EventsOptions): Promise<{ items: StoredEvent[]; head: number }>
  /**
   * Runs a command in the project's sandbox: answers at once with the run's stream (exec.output.appended,
   * exec.run.finished…), or with `wait: true` when it ended, with its result and output.
   */
  exec(projectId: string, body: ExecInput, options?: CallOptions): Promise<ExecStarted>
}

/** The body of exec() (`wait` defaults to false). */
export type ExecInput = Omit<ExecBody, "wait"> & { wait?: boolean }

export function createClient(options: ClientOptions): Client {
  const http = createHttp(options)
  const project = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}`
  const signalOf = (callOptions?: CallOptions) => (callOptions?.signal ? { signal: callOptions.signal } : {})

  return {
    health: (callOptions) => http.json("/healthz", Health, signalOf(callOptions)),
    version: (callOptions) => http.json("/api/version", Version, signalOf(callOptions)),
    async templates(callOptions) {
      const answer = await http.json("/api/templates", TemplateList, signalOf(callOptions))
      return answer.items
    },
    listProjects: ({ limit, cursor, deleted, q, signal } = {}) =>
      http.json("/api/projects", ProjectPage, {
        query: { limit, cursor, deleted, q: q || undefined },
        signal,
      }),
    createProject: (input, callOptions) =>
      http.json("/api/projects", ProjectSchema, { method: "POST", body: input, ...signalOf(callOptions) }),
    importProject(input, callOptions) {
      const form = new FormData()
      form.append("name", input.name)
      if (input.progressId) form.append("progressId", input.progressId)
      form.append("file", input.file, input.filename ?? (input.file as File).name ?? "project.zip")
      return http.json("/api/projects/import", ProjectSchema, {
        method: "POST",
        body: form,
        ...signalOf(callOptions),
      })
    },
    getProject: (projectId, callOptions) =>
      http.json(project(projectId), ProjectSchema, signalOf(callOptions)),
    renameProject: (projectId, name, callOptions) =>
      http.json(project(projectId), ProjectSchema, {
        method: "PATCH",
        body: { name },
        ...signalOf(callOptions),
      }),
    deleteProject: (projectId, callOptions) =>
      http.json(project(projectId), ProjectSchema, { method: "DELETE", ...signalOf(callOptions) }),
    restoreProject: (projectId, callOptions) =>
      http.json(`${project(projectId)}/restore`, ProjectSchema, { method: "POST", ...signalOf(callOptions) }),
    tree: (projectId, { path, limit, cursor, signal } = {}) =>
      http.json(`${project(projectId)}/tree`, TreePage, { query: { path, limit, cursor }, signal }),
    readFile: (projectId, path, callOptions) =>
      http.json(`${project(projectId)}/files`, FileContentSchema, {
        query: { path },
        ...signalOf(callOptions),
      }),
    writeFile: (projectId, input, callOptions) =>
      http.json(`${project(projectId)}/files`, FileEntrySchema, {
        method: "PUT",
        body: input,
        ...signalOf(callOptions),
      }),
    createEntry: (projectId, input, callOptions) =>
      http.json(`${project(projectId)}/files`, FileEntrySchema, {
        method: "POST",
        body: input,
        ...signalOf(callOptions),
      }),
    move: (projectId, input, callOptions) =>
      http.json(`${project(projectId)}/files/move`, FileEntrySchema, {
        method: "POST",
        body: input,
        ...signalOf(callOptions),
      }),
    remove: (projectId, path, callOptions) =>
      http.empty(`${project(projectId)}/files`, {
        method: "DELETE",
        query: { path },
        ...signalOf(callOptions),
      }),
    async upload(projectId, files, { path, signal } = {}) {
      const answer = await http.json(`${project(projectId)}/files/upload`, UploadResult, {
        method: "POST",
        query: { path: path || undefined },
        body: uploadForm(files),
        signal,
      })
      return answer.items
    },
    rawUrl: (projectId, path) => http.url(`${project(projectId)}/files/raw`, { path }),
    archiveUrl: (projectId) => http.url(`${project(projectId)}/archive`),
    events: (stream, { after, limit, signal } = {}) =>
      http.json(`/api/streams/${encodeURIComponent(stream)}/events`, EventPage, {
        query: { after, limit },
        signal,
      }),
    exec: (projectId, body, callOptions) =>
      http.json(`${project(projectId)}/exec`, ExecStarted, {
        method: "POST",
        body,
        ...signalOf(callOptions),
      }),
  }
}
