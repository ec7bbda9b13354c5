import { AppError } from "@xionimus/kit"
import { z } from "zod"
import { commandPattern } from "./command-prefix.ts"
import { defineTool } from "./define-tool.ts"
import { loadDescription } from "./load-description.ts"

const defaultTimeoutSeconds = 120
/** The sandbox stops the command past this much output; the tool shows far less. */
const outputBytes = 1024 * 1024

export const RunParameters = z.object({
  command: z.string().min(1).max(10_000).describe("Shell command, run with /bin/sh -c"),
  timeoutSeconds: z.number().int().min(1).max(600).optional().describe("Default 120"),
  cwd: z.string().optional().describe("Folder to run in, relative to the project root"),
})

export const run = defineTool("run", {
  description: loadDescription(import.meta.url, "run.md"),
  parameters: RunParameters,
  permission: ({ command, cwd }) => ({
    kind: "execute",
    patterns: [command],
    always: [commandPattern(command)],
    title: `Run ${command}`,
    metadata: { command, ...(cwd ? { cwd } : {}) },
  }),
  truncate: "tail",
  truncationHint: () =>
    "Run the command again with its output filtered (| grep …, | tail -n …, | head -n …).",
  async execute({ command, timeoutSeconds = defaultTimeoutSeconds, cwd }, context) {
    const sandbox = context.sandbox
    if (!sandbox) {
      throw new AppError(
        "COMMAND_UNAVAILABLE",
        "Commands cannot run in this project: it has no sandbox. Do the work with the file tools, and tell the user that running commands needs a sandbox.",
      )
    }
    let directory = "/workspace"
    if (cwd) {
      const entry = await context.files.stat(cwd)
      if (entry.type !== "directory") {
        throw new AppError("NOT_A_DIRECTORY", `cwd "${cwd}" is not a folder. Give a folder of the project.`, {
          cwd,
        })
      }
      directory = `/workspace/${entry.path}`
    }
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() }
    let output = ""
    const result = await sandbox.exec({
      command: { shell: command },
      cwd: directory,
      limits: { timeoutMs: timeoutSeconds * 1000, outputBytes },
      signal: context.signal,
      onOutput(chunk) {
        const text = decoders[chunk.stream].decode(chunk.data, { stream: true })
        output += text
        context.onOutput?.(text)
      },
    })
    output += decoders.stdout.decode() + decoders.stderr.decode()
    if (result.aborted) throw new AppError("TOOL_ABORTED", "The command was cancelled by the user.")
    const ending = describeEnding(result, timeoutSeconds)
    return {
      title: command,
      output: `${output.replace(/\n$/, "")}${output === "" ? "" : "\n\n"}${ending}`,
      metadata: {
        exitCode: result.exitCode,
        signal: result.signal,
        limit: result.limit,
        truncated: result.truncated,
      },
    }
  },
})

function describeEnding(
  result: { exitCode: number | null; signal: string | null; limit: string | null },
  timeoutSeconds: number,
): string {
  if (result.limit === "timeout") {
    return `[The command was killed after ${timeoutSeconds} s (timeout). If it needs longer, raise timeoutSeconds; if it waits for input or never exits, run it another way.]`
  }
  if (result.limit) return `[The command was stopped: it hit the sandbox's ${result.limit} limit.]`
  if (result.exitCode === null) return `[The command was killed by ${result.signal ?? "a signal"}.]`
  return `[exit code ${result.exitCode}]`
}
