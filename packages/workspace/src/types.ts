import type { Readable } from "node:stream"
import type { Logger } from "@xionimus/kit"

export type TemplateId = "node-ts" | "python" | "static-web"

export interface TemplateInfo {
  id: TemplateId
  name: string
  description: string
  testCommand: string
}

export interface FileEntry {
  /** Relative to the project root, forward slashes, no leading slash. */
  path: string
  name: string
  type: "file" | "directory" | "symlink"
  size: number
  modifiedAt: string
  /** Opaque, changes on every write (inode, mtime and size). */
  version: string
}

export type WorkspaceSource =
  | { kind: "empty" }
  | { kind: "template"; template: TemplateId }
  | { kind: "git"; url: string; ref?: string; token?: string }
  | { kind: "zip"; data: Uint8Array }

export interface WorkspaceLimits {
  /** Largest file that may be read, written or uploaded (FILE_TOO_LARGE). */
  maxFileBytes: number
  /** Largest upload (writeMany, zip import: the archive and its unpacked total) (UPLOAD_TOO_LARGE). */
  maxUploadBytes: number
  /** Most files in one upload or imported zip (UPLOAD_TOO_LARGE). */
  maxUploadFiles: number
}

export interface WorkspaceManagerOptions {
  /** Directory holding one workspace directory per project; created if missing. */
  root: string
  limits: WorkspaceLimits
  /** The git executable for imports; defaults to "git" on PATH. */
  gitBinary?: string
  logger?: Logger
  /** How long one git clone may run before it is killed; defaults to 10 minutes. */
  gitTimeoutMs?: number
  /**
   * Transports git imports may use; defaults to all of http, https, ssh, git and file. A server
   * shared by several people should drop "file": it lets a project import any repository the
   * server process can read (another project's workspace included).
   */
  gitProtocols?: readonly ("http" | "https" | "ssh" | "git" | "file")[]
  /**
   * The directory of a project that works on a folder outside the root (`xionimus run --project <dir>`),
   * or undefined for a workspace under the root. Its files are used in place and never removed.
   */
  externalDirectory?: (projectId: string) => Promise<string | undefined>
}

export interface ProgressEvent {
  phase: string
  message: string
  /** 0..1 where known. */
  ratio?: number
}

/** Root-confined file access for one project. Every path is relative to the project root. */
export interface ProjectFiles {
  /** One directory's entries, directories first then by name; paginated by opaque cursor. */
  list(
    dir: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ entries: FileEntry[]; nextCursor: string | null }>
  /** The entry itself: a final symlink is described, not followed. Raises FILE_NOT_FOUND. */
  stat(path: string): Promise<FileEntry>
  /** A regular file's content, following a symlink that stays inside. Raises FILE_TOO_LARGE, NOT_A_FILE. */
  read(path: string): Promise<{ entry: FileEntry; content: Buffer }>
  /**
   * Atomic write (temp file + rename). `expectedVersion`: string = must match the current version;
   * null = must not exist; undefined = overwrite. Raises VERSION_CONFLICT, FILE_TOO_LARGE, NOT_A_FILE.
   * Missing parent directories are created.
   */
  write(path: string, content: Uint8Array, options?: { expectedVersion?: string | null }): Promise<FileEntry>
  /** Raises FILE_EXISTS. Creates parent directories. */
  create(path: string, type: "file" | "directory", content?: Uint8Array): Promise<FileEntry>
  /** Renames a file or directory; raises FILE_EXISTS unless `overwrite`. Creates parent directories. */
  move(from: string, to: string, options?: { overwrite?: boolean }): Promise<FileEntry>
  /** Files and directories (recursively). A symlink is removed as itself, never its target. */
  remove(path: string): Promise<void>
  /**
   * Many files at once (upload; folders as relative paths); all are validated before any is written
   * and on failure none is left changed. Raises UPLOAD_TOO_LARGE, FILE_TOO_LARGE, PATH_INVALID.
   */
  writeMany(files: { path: string; content: Uint8Array }[]): Promise<FileEntry[]>
  /**
   * The whole project as a zip stream (hidden .git excluded); with `folder`, all entries lie under that
   * one top-level folder, which zip import strips again.
   */
  zip(options?: { folder?: string }): Readable
  /** Absolute host path after confinement checks; raises PATH_INVALID / PATH_OUTSIDE_WORKSPACE. */
  resolve(path: string): Promise<string>
}

export interface WorkspaceManager {
  /** The directory holding the workspaces, as configured. */
  readonly root: string
  /** The starter templates, with the command that runs each one's tests. */
  templates(): TemplateInfo[]
  /**
   * Creates the project's directory and fills it from the source. It is assembled in a staging
   * directory and renamed into place, so it appears complete or not at all. Raises FILE_EXISTS,
   * TEMPLATE_NOT_FOUND, ZIP_INVALID, UPLOAD_TOO_LARGE, FILE_TOO_LARGE, GIT_URL_INVALID, GIT_CLONE_FAILED.
   * `signal` cancels a running import (a git clone is killed).
   */
  create(
    projectId: string,
    source: WorkspaceSource,
    onProgress?: (event: ProgressEvent) => void,
    options?: { signal?: AbortSignal },
  ): Promise<void>
  /** Root-confined file access; raises PROJECT_NOT_FOUND on use when the workspace is missing. */
  files(projectId: string): ProjectFiles
  /** The project's directory on the host: its workspace, or its external directory. PROJECT_NOT_FOUND when missing. */
  directory(projectId: string): Promise<string>
  /** Whether the project's workspace directory exists. */
  exists(projectId: string): Promise<boolean>
  /** Deletes the project's directory for good. */
  remove(projectId: string): Promise<void>
}
