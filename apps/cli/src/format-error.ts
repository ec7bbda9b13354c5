import { toAppError } from "@xionimus/kit"

// These codes put their details into their message already (CONFIG_INVALID lists every problem).
const detailsInMessage = new Set(["CONFIG_INVALID"])

/** `error CODE: message`, then the details when they add something. */
export function formatError(error: unknown): string {
  const appError = toAppError(error)
  const lines = [`error ${appError.code}: ${appError.message}`]
  if (appError.details !== undefined && !detailsInMessage.has(appError.code)) {
    lines.push(`details: ${JSON.stringify(appError.details, null, 2)}`)
  }
  if (appError.code === "INTERNAL" && error instanceof Error && error.stack) lines.push(error.stack)
  return `${lines.join("\n")}\n`
}
