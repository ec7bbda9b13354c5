import type { Client } from "@xionimus/sdk"

/** Folders quick open does not walk into: generated, vendored or ours. */
export const skippedDirectories = new Set([
  ".git",
  "node_modules",
  ".xionimus",
  "dist",
  "build",
  ".next",
  ".venv",
  "__pycache__",
  "target",
])

/**
 * The project's file paths for quick open, walked breadth first through the tree API (the server has
 * no search by name), at most `limit` of them. `truncated` says that more exist.
 */
export async function listProjectFiles(
  client: Pick<Client, "tree">,
  projectId: string,
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<{ paths: string[]; truncated: boolean }> {
  const limit = options.limit ?? 5000
  const paths: string[] = []
  const queue = [""]
  while (queue.length > 0) {
    const directory = queue.shift() as string
    let cursor: string | undefined
    do {
      const page = await client.tree(projectId, {
        path: directory,
        limit: 200,
        ...(cursor ? { cursor } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      })
      for (const entry of page.items) {
        if (entry.type === "directory") {
          if (!skippedDirectories.has(entry.name)) queue.push(entry.path)
        } else {
          if (paths.length >= limit) return { paths, truncated: true }
          paths.push(entry.path)
        }
      }
      cursor = page.nextCursor ?? undefined
    } while (cursor)
  }
  return { paths, truncated: false }
}
