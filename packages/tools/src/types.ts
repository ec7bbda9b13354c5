import type { PermissionKind } from "@xionimus/protocol"
import type { Sandbox } from "@xionimus/sandbox"
import type { ProjectFiles } from "@xionimus/workspace"
import type { z } from "zod"
import type { ToolState } from "./tool-state.ts"

/**
 * The restricted handle tools get: run one command in the project's sandbox. The sandbox's own
 * `Sandbox` narrowed to `exec`: no terminals, never the provider or the sandbox's lifecycle.
 */
export type ToolSandbox = Pick<Sandbox, "exec">

export const todoStatuses = ["pending", "in_progress", "completed", "cancelled"] as const

export interface TodoItem {
  content: string
  status: (typeof todoStatuses)[number]
}

/** Per-session state that tools keep between calls (the agent persists it). */
export interface ToolSessionState {
  todos(): TodoItem[]
  setTodos(items: TodoItem[]): void
}

export interface TaskRequest {
  /** Three to five words for the activity feed. */
  description: string
  /** The sub-agent's full instructions. */
  prompt: string
  /** A named agent profile; the default one when absent. */
  agent?: string
  signal: AbortSignal
}

export interface TaskResult {
  /** What the sub-agent reports back: the only thing the calling agent sees. */
  summary: string
  /** The sub-agent's own session, for the UI to link to. */
  sessionId?: string
}

/** What a tool asks permission for; the gate evaluates it against the policy. */
export interface PermissionAsk {
  tool: string
  kind: PermissionKind
  patterns: string[]
  always: string[]
  title: string
  metadata?: Record<string, unknown>
}

/** Everything a tool may touch: a restricted handle on the project, never the server. */
export interface ToolContext {
  sessionId: string
  messageId: string
  callId: string
  /** Aborted when the user cancels the turn. */
  signal: AbortSignal
  /** Root-confined files of the project. */
  files: ProjectFiles
  /** Absent when the project has no sandbox: `run` then refuses. */
  sandbox?: ToolSandbox
  session: ToolSessionState
  /**
   * Resolves when the call may go ahead; rejects with TOOL_DENIED when it may not. The agent binds it
   * to the session's permission gate (`gate.forCall(ids, signal)`).
   */
  ask(request: PermissionAsk): Promise<void>
  /** Live output of a running tool (command output as it arrives). */
  onOutput?: (text: string) => void
  /** Runs a sub-agent; provided by the agent package. */
  task?: (request: TaskRequest) => Promise<TaskResult>
}

export interface ToolResult {
  /** A short title for the tool card, e.g. the path. */
  title: string
  /** What the model reads. */
  output: string
  metadata?: Record<string, unknown>
}

/** How a tool call is described to the permission gate. */
export interface ToolPermission {
  kind: PermissionKind
  /** What the call touches (paths, the command). Empty = the tool as a whole. */
  patterns: string[]
  /** What "allow always" adds; defaults to `patterns`. */
  always?: string[]
  title: string
  metadata?: Record<string, unknown>
}

export interface ToolSpec<Parameters extends z.ZodType> {
  /** Read from the tool's sibling .md file. */
  description: string
  parameters: Parameters
  /** Which permission the call needs; omitted means a read-only tool that needs none. */
  permission?: (args: z.output<Parameters>, context: ToolContext) => ToolPermission | Promise<ToolPermission>
  /** Told to the model when the output was cut, e.g. "Read on with offset=2001". */
  truncationHint?: (args: z.output<Parameters>) => string
  /** Which end of a long output to keep; "tail" for command output. Defaults to "head". */
  truncate?: "head" | "tail"
  execute(args: z.output<Parameters>, context: ToolContext): Promise<ToolResult>
}

/** A tool as the registry and the agent see it. */
export interface Tool {
  readonly id: string
  readonly description: string
  /** JSON Schema of the parameters, for the model. */
  readonly inputSchema: Record<string, unknown>
  /**
   * Validates, asks permission, runs and truncates. Never rejects: every failure becomes an
   * `error` state whose message is worded for the model.
   */
  run(input: unknown, context: ToolContext, onState?: (state: ToolState) => void): Promise<ToolOutcome>
}

export type ToolOutcome =
  | {
      status: "completed"
      title: string
      output: string
      metadata: Record<string, unknown>
      truncated: boolean
    }
  | { status: "error"; code: string; error: string; details?: unknown }
