import { posix } from "node:path"
import { AppError } from "@xionimus/kit"
import type { ExecCommand } from "./types.ts"

export const workspaceMount = "/workspace"

/** Environment every run starts from (bwrap clears the server's). */
export const baseEnvironment: Readonly<Record<string, string>> = {
  PATH: "/usr/local/bin:/usr/bin:/bin",
  HOME: "/tmp",
  USER: "sandbox",
  LANG: "C.UTF-8",
  TERM: "xterm-256color",
}

/** The working directory inside the sandbox; raises SANDBOX_REQUEST_INVALID outside /workspace. */
export function sandboxCwd(cwd: string | undefined): string {
  if (cwd === undefined || cwd === "" || cwd === ".") return workspaceMount
  if (cwd.includes("\0")) throw invalid("The working directory contains a NUL byte.", { cwd })
  const absolute = posix
    .normalize(cwd.startsWith("/") ? cwd : posix.join(workspaceMount, cwd))
    .replace(/\/$/, "")
  if (absolute !== workspaceMount && !absolute.startsWith(`${workspaceMount}/`)) {
    throw invalid(`The working directory must be ${workspaceMount} or below it; it was "${cwd}".`, { cwd })
  }
  return absolute
}

/** The base environment plus the caller's; raises SANDBOX_REQUEST_INVALID for a bad name or value. */
export function sandboxEnvironment(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  for (const [name, value] of Object.entries(extra)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw invalid(`"${name}" is not a valid environment variable name.`, { name })
    }
    if (typeof value !== "string" || value.includes("\0")) {
      throw invalid(`The value of ${name} must be a string without NUL bytes.`, { name })
    }
  }
  return { ...baseEnvironment, ...extra }
}

/** argv for a command: as given, or /bin/sh -c for a shell string. */
export function commandArgv(command: ExecCommand): string[] {
  if ("shell" in command) {
    if (typeof command.shell !== "string" || command.shell.trim() === "")
      throw invalid("The command is empty.", {})
    return ["/bin/sh", "-c", command.shell]
  }
  if (!Array.isArray(command.argv) || command.argv.length === 0 || command.argv[0] === "") {
    throw invalid("The command is empty.", {})
  }
  if (command.argv.some((part) => typeof part !== "string" || part.includes("\0"))) {
    throw invalid("Command arguments must be strings without NUL bytes.", {})
  }
  return [...command.argv]
}

function invalid(message: string, details: Record<string, unknown>): AppError {
  return new AppError("SANDBOX_REQUEST_INVALID", message, details)
}
