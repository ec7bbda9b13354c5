import type { Logger } from "@xionimus/kit"
import { runReason } from "@xionimus/protocol"
import { openGate } from "./gates.ts"
import { transition } from "./package-machine.ts"
import type { RunRuntimes, Worktrees } from "./ports.ts"
import { roleByDuty, roleNamed } from "./roles.ts"
import { runChecks } from "./run-checks.ts"
import { type RunEventInput, runEvent } from "./run-events.ts"
import { packageById, type RunState } from "./run-state.ts"
import type { Action } from "./scheduler.ts"

export interface ActionContext {
  runId: string
  worktrees: Worktrees
  runtimes: RunRuntimes
  logger: Logger
  append(events: RunEventInput[]): Promise<unknown>
}

/**
 * The scheduler's actions that are not a role's step: open a gate, move a package (a refused move
 * blocks it with the reason, so the run never spins on it), merge a package (a conflict blocks it),
 * run a package's checks when the preset has no tester, end the run. Each is one append.
 */
export async function executeAction(
  context: ActionContext,
  state: RunState,
  action: Exclude<Action, { kind: "step" }>,
): Promise<void> {
  const preset = state.preset!
  const tag = `${context.runId.slice(4)}_${state.head}`
  const conductor = roleNamed(preset, roleByDuty(preset, "conductor")!.name)!
  switch (action.kind) {
    case "gate":
      await context.append([openGate(action.id, action.gate)])
      return
    case "end":
      await context.append([
        runEvent(`ended_${context.runId.slice(4)}`, "run.ended", {
          outcome: action.outcome,
          message: action.reason.text,
          code: action.reason.code,
          params: action.reason.params,
        }),
      ])
      return
    case "move": {
      const result = transition(
        state,
        action.packageId,
        action.to,
        roleNamed(preset, action.role)!,
        action.reason,
        `mv_${tag}`,
      )
      if (result.ok) return void (await context.append([result.event]))
      const blocked = transition(state, action.packageId, "blocked", conductor, result.reason, `mv_${tag}_b`)
      await context.append([...(result.event ? [result.event] : []), ...(blocked.ok ? [blocked.event] : [])])
      return
    }
    case "merge": {
      const item = packageById(state, action.packageId)!
      const merged = await context.worktrees.merge({
        runId: context.runId,
        packageId: item.id,
        baseCheckpoint: state.baseCheckpoint,
        message: `${item.id}: ${item.title}`,
      })
      if (merged.kind === "clean") {
        await context.append([
          runEvent(`merge_${tag}`, "merge.applied", {
            packageId: item.id,
            files: merged.files,
            ...(merged.checkpointId ? { checkpointId: merged.checkpointId } : {}),
          }),
        ])
        // Its work is in the project now; a failed removal leaves a folder behind, nothing else.
        await context.worktrees
          .remove({ runId: context.runId, packageId: item.id })
          .catch((error: unknown) =>
            context.logger.warn(
              { err: error, runId: context.runId, packageId: item.id },
              "removing a merged worktree failed",
            ),
          )
        return
      }
      const blocked = transition(
        state,
        item.id,
        "blocked",
        conductor,
        runReason("package.mergeConflict", { paths: merged.paths.join(", ") }),
        `mv_${tag}`,
      )
      await context.append([
        runEvent(`merge_${tag}`, "merge.conflicted", { packageId: item.id, paths: merged.paths }),
        ...(blocked.ok ? [blocked.event] : []),
      ])
      return
    }
    case "checks": {
      const item = packageById(state, action.packageId)!
      const { dir } = await context.worktrees.create({
        runId: context.runId,
        packageId: item.id,
        baseCheckpoint: state.baseCheckpoint,
      })
      const runtime = await context.runtimes.runtimeFor({
        projectId: state.projectId,
        runId: context.runId,
        packageId: item.id,
        dir,
      })
      const results = await runChecks(runtime, item, new AbortController().signal)
      const events: RunEventInput[] = results.map((result, index) =>
        runEvent(`chk_${tag}_${index}`, "check.ran", result),
      )
      if (results.some((result) => !result.passed)) {
        const reviewer = roleNamed(preset, roleByDuty(preset, "reviewer")!.name)!
        const back = transition(
          state,
          item.id,
          "in_progress",
          reviewer,
          runReason("package.checksFailed"),
          `mv_${tag}`,
        )
        if (back.ok) events.push(back.event)
      }
      await context.append(events)
      return
    }
  }
}
