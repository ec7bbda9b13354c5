import { z } from "zod"

/** One file an agent's tool call changed, with both sides when they are text (GET …/calls/:callId/diff). */
export const CallDiffFile = z.object({
  path: z.string(),
  change: z.enum(["added", "modified", "deleted", "type-changed"]),
  /** Lines added and deleted; null for binary files. */
  additions: z.number().int().nullable(),
  deletions: z.number().int().nullable(),
  /**
   * Why `before` and `after` are not given: binary (or not UTF-8), larger than the server sends, or not a
   * regular file (a symlink, a nested repository). Null when they are.
   */
  omitted: z.enum(["binary", "too-large", "not-a-file"]).nullable(),
  /** The text before the call; null when the file did not exist then (or omitted). */
  before: z.string().nullable(),
  /** The text after the call; null when the call deleted it (or omitted). */
  after: z.string().nullable(),
})
export type CallDiffFile = z.infer<typeof CallDiffFile>

/** What a tool call changed, from the checkpoints before and after it. */
export const CallDiff = z.object({
  sessionId: z.string(),
  callId: z.string(),
  /** The tool called (edit, write_file, run…). */
  tool: z.string(),
  /** The checkpoint before the call; null when the call's was the project's first. */
  from: z.string().nullable(),
  /** The checkpoint recorded after the call. */
  to: z.string(),
  files: z.array(CallDiffFile),
  /** True when more files changed than are listed. */
  truncated: z.boolean(),
})
export type CallDiff = z.infer<typeof CallDiff>
