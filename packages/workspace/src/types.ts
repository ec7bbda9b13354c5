import type { Readable } from "node:stream"

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
  maxFileBytes: number
  maxUploadBytes: number
  maxUploadFiles: number
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
  stat(path: string): Promise<FileEntry>
  read(path: string): Promise<{ entry: FileEntry; content: Buffer }>
  /**
   * Atomic write (temp file + rename). `expectedVersion`: string = must match the current version;
   * null = must not exist; undefined = overwrite. Raises VERSION_CONFLICT, FILE_TOO_LARGE, NOT_A_FILE.
   */
  write(path: string, content: Uint8Array, options?: { expectedVersion?: string | null }): Promise<FileEntry>
  /** Raises FILE_EXISTS. Creates parent directories. */
  create(path: string, type: "file" | "directory", content?: Uint8Array): Promise<FileEntry>
  move(from: string, to: string, options?: { overwrite?: boolean }): Promise<FileEntry>
  /** Files and directories (recursively). */
  remove(path: string): Promise<void>
  /** Many files at once (upload); all are validated before any is written. */
  writeMany(files: { path: string; content: Uint8Array }[]): Promise<FileEntry[]>
  /** The whole project as a zip stream (hidden .git excluded). */
  zip(): Readable
  /** Absolute host path after confinement checks; raises PATH_INVALID / PATH_OUTSIDE_WORKSPACE. */
  resolve(path: string): Promise<string>
}

export interface WorkspaceManager {
  readonly root: string
  templates(): TemplateInfo[]
  /** Creates the project's directory and fills it from the source; removes it again on failure. */
  create(
    projectId: string,
    source: WorkspaceSource,
    onProgress?: (event: ProgressEvent) => void,
  ): Promise<void>
  files(projectId: string): ProjectFiles
  exists(projectId: string): Promise<boolean>
  /** Deletes the project's directory for good. */
  remove(projectId: string): Promise<void>
}
