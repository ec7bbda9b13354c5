import { z } from "zod"

/** The limit that ended a run. */
export const ExecLimitName = z.enum(["timeout", "cpu", "memory", "pids", "output", "disk"])

/** POST /api/projects/:projectId/exec */
export const ExecBody = z
  .strictObject({
    command: z
      .union([z.string().min(1).max(100_000), z.array(z.string().max(100_000)).min(1).max(1000)])
      .optional()
      .describe("A shell string (run with /bin/sh -c in the sandbox) or an argv array"),
    file: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe("Instead of command: a file of the workspace to run, the command chosen by its extension"),
    cwd: z.string().max(4096).optional().describe("Working directory: /workspace or below (relative to it)"),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"),
        z.string().max(100_000),
      )
      .optional(),
    stdin: z
      .string()
      .max(1024 * 1024)
      .optional(),
    timeoutMs: z
      .number()
      .int()
      .min(1)
      .max(24 * 60 * 60 * 1000)
      .optional()
      .describe("Lower than the project's limit; a higher value is cut to it"),
    wait: z
      .boolean()
      .default(false)
      .describe("Answer only when the run ended, with its result and output (capped by the output limit)"),
  })
  .refine((body) => (body.command === undefined) !== (body.file === undefined), {
    message: "give either command or file",
    path: ["command"],
  })
export type ExecBody = z.infer<typeof ExecBody>

export const ExecUsage = z.object({
  wallMs: z.number(),
  cpuMs: z.number().nullable(),
  peakMemoryBytes: z.number().nullable(),
  stdoutBytes: z.number().int(),
  stderrBytes: z.number().int(),
})

export const ExecResultData = z.object({
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  limit: ExecLimitName.nullable().describe("The limit that ended the run, null when it ended by itself"),
  aborted: z.boolean(),
  truncated: z.boolean().describe("Output past the limit was dropped (a marker line says so)"),
  usage: ExecUsage,
})
export type ExecResultData = z.infer<typeof ExecResultData>

export const ExecStarted = z.object({
  runId: z.string(),
  /** Subscribe to this stream for exec.run.started, exec.output.appended and exec.run.finished events. */
  stream: z.string(),
  result: ExecResultData.optional(),
  stdout: z.string().optional(),
  stderr: z.string().optional(),
})
export type ExecStarted = z.infer<typeof ExecStarted>

/** Data of exec.output.appended: consecutive output of one stream (UTF-8, a split character is replaced). */
export const ExecOutputData = z.object({ stream: z.enum(["stdout", "stderr"]), text: z.string() })
export type ExecOutputData = z.infer<typeof ExecOutputData>

export const ExecRunStartedData = z.object({
  runId: z.string(),
  projectId: z.string(),
  command: z.union([z.string(), z.array(z.string())]),
  cwd: z.string(),
})

export const execEventTypes = [
  "exec.run.started",
  "exec.output.appended",
  "exec.run.finished",
  "exec.run.failed",
] as const

/** The stream of one run's events: `exec_<projectId>_<runId>` (readable by whoever may read the project). */
export function execStreamName(projectId: string, runId: string): string {
  return `exec_${projectId}_${runId}`
}

export const SandboxLimitSupport = z.object({ name: z.string(), enforced: z.boolean(), how: z.string() })

export const SandboxInfo = z.object({
  backend: z.enum(["bubblewrap", "gvisor", "none"]),
  isolated: z.boolean(),
  cgroups: z.enum(["v1", "v2"]).nullable(),
  seccomp: z.boolean(),
  network: z.enum(["none", "allow-list", "host"]),
  limits: z.array(SandboxLimitSupport),
  warnings: z.array(z.string()),
  runtimes: z.array(z.object({ name: z.string(), path: z.string(), version: z.string() })),
})
export type SandboxInfo = z.infer<typeof SandboxInfo>

/** Frames of the terminal WebSocket (/api/projects/:projectId/terminal). */
export const TerminalClientFrame = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("input"), data: z.string().max(64 * 1024) }),
  z.strictObject({
    type: z.literal("resize"),
    cols: z.number().int().min(1).max(1000),
    rows: z.number().int().min(1).max(1000),
  }),
])
export type TerminalClientFrame = z.infer<typeof TerminalClientFrame>

export const TerminalServerFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("output"), data: z.string() }),
  /** The terminal could not start (a quota is used up, the sandbox is unavailable); the socket closes next. */
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
  z.object({
    type: z.literal("exit"),
    exitCode: z.number().int().nullable(),
    limit: ExecLimitName.nullable(),
  }),
])
export type TerminalServerFrame = z.infer<typeof TerminalServerFrame>
