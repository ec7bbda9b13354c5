import { AppError } from "@xionimus/kit"

/** Where a page of the session list ends: the last item's pin, update time and id. */
export interface SessionCursor {
  pinned: boolean
  updatedAt: string
  id: string
}

export function encodeSessionCursor(cursor: SessionCursor): string {
  return Buffer.from(JSON.stringify([cursor.pinned ? 1 : 0, cursor.updatedAt, cursor.id])).toString(
    "base64url",
  )
}

export function decodeSessionCursor(text: string): SessionCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"))
    if (Array.isArray(value) && value.length === 3) {
      const [pinned, updatedAt, id] = value as unknown[]
      if ((pinned === 0 || pinned === 1) && typeof updatedAt === "string" && typeof id === "string")
        return { pinned: pinned === 1, updatedAt, id }
    }
  } catch {
    // Reported below like any other cursor we did not write.
  }
  throw new AppError("VALIDATION_FAILED", "The cursor is not valid. List again without a cursor.", [
    { path: ["cursor"], message: "not a cursor this server wrote" },
  ])
}
