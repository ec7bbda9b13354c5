import type { EventBus } from "@xionimus/bus"
import type { Logger } from "@xionimus/kit"
import type { ModelRouter } from "@xionimus/llm"
import type { ToolRegistry } from "@xionimus/tools"
import type { AgentLimits, PermissionSettings } from "../types.ts"
import type { GateInput } from "./gates.ts"
import type { RunRuntimes, Worktrees } from "./ports.ts"
import type { PackageState, PresetInput } from "./roles.ts"
import type { RunBudget } from "./run-events.ts"
import type { RunExport } from "./run-export.ts"
import type { RunState, RunStatus } from "./run-state.ts"
import type { StepHost } from "./run-step.ts"
import type { Template } from "./templates.ts"

/** The run engine's API (docs/orchestra.md "The engine's API"); `createRunEngine` in run-engine.ts. */

export interface RunEngineDeps {
  bus: EventBus
  sessions: StepHost["sessions"]
  runtimes: RunRuntimes
  worktrees: Worktrees
  /** The router the roles' models are called through. */
  router: ModelRouter
  contextWindowOf(model: string): number
  /** The project's tools (default: the built-ins); each role gets its allow-list of them. */
  tools?: ToolRegistry
  /** The project's own work-package templates (added to the shipped ones). */
  templates?(projectId: string): Promise<Template[]>
  /**
   * The permission policy of the roles' calls: fixed, or the run's project and creator's (the server's
   * settings). A call it would ask a person about waits at a dangerous-tool gate; default full-auto (then
   * only the preset's danger patterns gate commands).
   */
  permissions?:
    | PermissionSettings
    | ((projectId: string, userId: string | null) => Promise<PermissionSettings>)
  limits?: Partial<AgentLimits>
  logger?: Logger
  clock?: () => Date
}

export interface StartRunInput {
  projectId: string
  goal: string
  /** A preset (roles as data); the default four-role preset when absent. Role model "default" = the router's default. */
  preset?: PresetInput
  budget?: RunBudget
  createdBy: string | null
}

/** What the engine answers about a run (protocol's: the SDK and the browser read the same type). */
export type { RunStatus }

export interface RunEngine {
  /** Appends `run.started` and drives the run in the background; returns at once. */
  start(input: StartRunInput): Promise<RunStatus>
  /** RUN_NOT_FOUND. */
  status(runId: string): Promise<RunStatus>
  /** A person's decision at a gate (approve, reject + comment, edit + payload); the run goes on. */
  decideGate(runId: string, gateId: string, input: GateInput, by: string | null): Promise<RunStatus>
  /**
   * A person moves a work package (the preset's human role: cancel or block one, let a blocked one go
   * on). A transition the human may not make, or whose guard fails, raises TRANSITION_NOT_ALLOWED with
   * the reason (and is recorded); PACKAGE_NOT_FOUND.
   */
  movePackage(
    runId: string,
    packageId: string,
    to: PackageState,
    reason: string,
    by: string | null,
  ): Promise<RunStatus>
  /** Stops running steps (their commands are killed) and ends the run as cancelled. RUN_ENDED when over. */
  cancel(runId: string, by: string | null): Promise<RunStatus>
  /** Drives a run again after a restart or crash: unfinished steps run again under their ids. */
  resume(runId: string): Promise<RunStatus>
  /**
   * A new run from this one's log up to `seq`, or up to the end of step `stepId` (default: all); the
   * parent is not changed. The fork is not driven until `resume`.
   */
  fork(runId: string, input: { seq?: number; stepId?: string }): Promise<RunStatus>
  exportRun(runId: string): Promise<RunExport>
  /** A new run of the project from an export; EXPORT_INVALID, EXPORT_VERSION_UNSUPPORTED. Not started. */
  importRun(projectId: string, data: unknown, createdBy: string | null): Promise<RunStatus>
  /** Resolves once the run waits for nobody but a person (a gate), or has ended, or nothing is left to do. */
  idle(runId: string): Promise<RunState>
  /** True while this engine has work on the run: its scheduler pumping or steps running (waiting ones too). */
  driving(runId: string): boolean
  /**
   * Stops driving one run here and forgets what was loaded of it (its lease went to another server): its
   * running steps are aborted and stay open for resume; the next call reads the run from its log again.
   */
  release(runId: string): Promise<void>
  /** Stops driving runs; their unfinished steps stay open for resume. */
  close(): Promise<void>
}
