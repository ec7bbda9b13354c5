import { AppError } from "@xionimus/kit"

/** Where a page of the newest-first project list ends: the last item's creation time and id. */
export interface ProjectCursor {
  createdAt: string
  id: string
}

export function encodeProjectCursor(cursor: ProjectCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString("base64url")
}

export function decodeProjectCursor(text: string): ProjectCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"))
    if (Array.isArray(value) && value.length === 2) {
      const [createdAt, id] = value as unknown[]
      if (typeof createdAt === "string" && typeof id === "string") return { createdAt, id }
    }
  } catch {
    // Reported below like any other cursor we did not write.
  }
  throw new AppError("VALIDATION_FAILED", "The cursor is not valid. List again without a cursor.", [
    { path: ["cursor"], message: "not a cursor this server wrote" },
  ])
}
