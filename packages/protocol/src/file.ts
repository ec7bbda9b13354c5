import { z } from "zod"
import { PageQuery, pageOf } from "./pagination.ts"

/** A path relative to the project root, with forward slashes. */
export const FilePath = z.string().min(1).max(4096)
export const DirectoryPath = z.string().max(4096).default("")

export const FileEntry = z.object({
  path: z.string(),
  name: z.string(),
  type: z.enum(["file", "directory", "symlink"]),
  size: z.number().int().nonnegative(),
  modifiedAt: z.iso.datetime(),
  /** Opaque; changes with every write. Send it back as expectedVersion. */
  version: z.string(),
})
export type FileEntry = z.infer<typeof FileEntry>

export const TreeQuery = PageQuery.extend({ path: DirectoryPath })
export const TreePage = pageOf(FileEntry).extend({ path: z.string() })

export const FileQuery = z.strictObject({ path: FilePath })

export const FileContent = z.object({
  entry: FileEntry,
  encoding: z.enum(["utf8", "base64"]),
  content: z.string(),
})
export type FileContent = z.infer<typeof FileContent>

export const WriteFileBody = z.strictObject({
  path: FilePath,
  content: z.string(),
  encoding: z.enum(["utf8", "base64"]).default("utf8"),
  /** The version read before editing; null means "the file must not exist yet"; omit to overwrite blindly. */
  expectedVersion: z.string().nullable().optional(),
})
export type WriteFileBody = z.infer<typeof WriteFileBody>

export const CreateEntryBody = z.strictObject({
  path: FilePath,
  type: z.enum(["file", "directory"]),
  content: z.string().optional(),
  encoding: z.enum(["utf8", "base64"]).default("utf8"),
})

export const MoveEntryBody = z.strictObject({
  from: FilePath,
  to: FilePath,
  overwrite: z.boolean().default(false),
})

/** Query of an upload: the directory the uploaded paths are relative to ("" = the project root). */
export const UploadQuery = z.strictObject({ path: DirectoryPath })

export const UploadResult = z.object({ items: z.array(FileEntry) })
