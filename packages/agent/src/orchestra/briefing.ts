import { renderContext } from "./context-doc.ts"
import { instanceOf } from "./role-session.ts"
import { type Role, roleByDuty } from "./roles.ts"
import type { StepStartedData } from "./run-events.ts"
import { inbox, packageById, type RunMessage, type RunState } from "./run-state.ts"
import type { Template } from "./templates.ts"

const tasks: Record<StepStartedData["purpose"], string> = {
  plan: "Break the goal into work packages: call create_package once per package (a template and every one of its fields; give disjoint paths to packages that can run in parallel), record the important decisions in CONTEXT.md, then call submit_plan.",
  implement:
    "Do the work package below in your working copy (its files only). Run its tests. When it is done, call report with what you changed and how you checked it.",
  test: "Call run_checks to run the package's acceptance checks on its latest revision, and tell the implementer what failed, if anything.",
  review:
    "Read the package's changed files and judge the change against its instructions. Call review: approve, or request_changes with what to change.",
}

/**
 * The user message that starts a role's step: who it is, what to do now, its package, the messages
 * it has not read, what was refused last time, and CONTEXT.md as of the step's start.
 */
export function briefing(
  state: RunState,
  role: Role,
  purpose: StepStartedData["purpose"],
  packageId: string | undefined,
  templates: ReadonlyMap<string, Template>,
): { text: string; delivered: RunMessage[] } {
  const self = instanceOf(role.name, packageId)
  const lines = [
    self === role.name
      ? `You are the ${role.name} of an orchestra of agents working on one goal.`
      : `You are ${self}, the ${role.name} of work package ${packageId}, in an orchestra of agents working on one goal. Other agents reach you by that name (or by your role, which reaches every ${role.name}).`,
    ...(role.instructions ? [role.instructions] : []),
    "",
    `Goal: ${state.goal}`,
    "",
    `Your task now: ${tasks[purpose]}`,
  ]
  if (purpose === "plan") {
    lines.push("", "Templates:")
    for (const template of templates.values())
      lines.push(
        `- ${template.name}: ${template.description}. Fields: ${Object.entries(template.placeholders)
          .map(([name, description]) => `${name} (${description})`)
          .join("; ")}`,
      )
  }
  const item = packageId ? packageById(state, packageId) : undefined
  if (item) {
    lines.push(
      "",
      `Work package ${item.id} (${item.state}, revision ${item.revision}): ${item.title}`,
      item.instructions,
      `Files it may touch: ${item.globs.join(", ")}`,
      `Acceptance: ${item.acceptance.map((check) => (check.kind === "tests-pass" ? `tests pass (${check.command})` : check.kind === "files-within" ? `files within ${check.globs.join(", ")}` : "the reviewer's approval")).join("; ")}`,
    )
    if (item.files.length > 0) lines.push(`Changed so far: ${item.files.join(", ")}`)
    if (item.lastReview?.verdict === "request_changes")
      lines.push(`The reviewer asked for changes: ${item.lastReview.comment}`)
    const failed = item.checks.filter((check) => check && !check.passed)
    for (const check of failed)
      lines.push(`Failed check ${check!.check.kind}: ${check!.output.slice(0, 2_000)}`)
  }
  const rejected = state.audit.filter(
    (entry) =>
      (entry.type === "output.rejected" ||
        entry.type === "context.refused" ||
        entry.type === "tool.refused") &&
      (entry.data as { role?: string; by?: string }).role === role.name,
  )
  const last = rejected.at(-1)
  if (last?.type === "output.rejected" && (last.data as { packageId?: string }).packageId === packageId)
    lines.push("", `Your last step was not accepted: ${(last.data as { error: string }).error}`)
  const delivered = inbox(state, role.name, packageId)
  if (delivered.length > 0) {
    lines.push("", "Messages for you:")
    for (const message of delivered)
      lines.push(
        `- #${message.seq} from ${message.sender}${message.packageId ? ` (${message.packageId})` : ""} (${message.kind}, id ${message.id}): ${message.body}`,
      )
  }
  const implementer = roleByDuty(state.preset!, "implementer")!.name
  const working = state.packages.filter((other) => !["draft", "done", "cancelled"].includes(other.state))
  if (working.length > 0)
    lines.push(
      "",
      `The ${implementer}s of the packages (send_message reaches one by name): ${working.map((other) => `${instanceOf(implementer, other.id)} (${other.id})`).join(", ")}`,
    )
  lines.push("", renderContext(state))
  return { text: lines.join("\n"), delivered }
}
