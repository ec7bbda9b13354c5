import { createInterface } from "node:readline/promises"
import type { CliIo } from "../cli-io.ts"
import type { PermissionDecision } from "./session-types.ts"

export const headlessDenial = "Not allowed in a headless run; pass --yes to allow actions inside the sandbox"

/** Whether a person is at the terminal to answer questions (stdin and stderr are a TTY). */
export function isInteractive(io: CliIo): boolean {
  const stdin = io.stdin as { isTTY?: boolean } | undefined
  const stderr = io.stderr as { isTTY?: boolean }
  return Boolean(stdin?.isTTY && stderr.isTTY)
}

/**
 * Asks at the terminal: allow once, allow always (for this session) or deny. Without a TTY the answer is
 * a denial worded for the agent, so that a headless turn still completes.
 */
export async function askPermission(
  io: CliIo,
  title: string,
  signal: AbortSignal,
): Promise<PermissionDecision> {
  if (!isInteractive(io) || !io.stdin) return { kind: "deny", message: headlessDenial }
  const prompt = createInterface({ input: io.stdin, output: io.stderr, terminal: true })
  try {
    for (;;) {
      const answer = (
        await prompt.question(`Allow "${title}"? [o]nce, [a]lways (this session), [d]eny: `, { signal })
      )
        .trim()
        .toLowerCase()
      if (answer === "o" || answer === "once" || answer === "y") return { kind: "allow-once" }
      if (answer === "a" || answer === "always") return { kind: "allow-always", scope: "session" }
      if (answer === "d" || answer === "deny" || answer === "n") return { kind: "deny" }
    }
  } finally {
    prompt.close()
  }
}
