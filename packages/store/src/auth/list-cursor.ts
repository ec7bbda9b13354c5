import { AppError } from "@xionimus/kit"

/**
 * Keyset cursors of the account lists (users, team members, invitations): the list's name and the sort key
 * of the last row shown. The name makes a cursor of one list useless for another, so that a client mixing
 * them up is told to start again rather than shown a page that skips rows.
 */
export function encodeListCursor(list: string, key: readonly string[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString("base64url")
}

/** The sort key of `length` strings; VALIDATION_FAILED for anything this list did not write. */
export function decodeListCursor(list: string, text: string, length: number): string[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"))
    if (
      Array.isArray(value) &&
      value.length === length + 1 &&
      value[0] === list &&
      value.every((part) => typeof part === "string")
    )
      return value.slice(1) as string[]
  } catch {
    // Reported below like any other cursor this list did not write.
  }
  throw new AppError(
    "VALIDATION_FAILED",
    "The cursor is not one of this list's. Start again from the first page (leave the cursor out).",
    {
      issues: [{ in: "query", path: "cursor", code: "custom", message: `not a cursor of the ${list} list` }],
    },
  )
}
