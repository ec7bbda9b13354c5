import { AppError } from "@xionimus/kit"
import { type CodedReason, runReason } from "@xionimus/protocol"
import { defineTool, type Tool } from "@xionimus/tools"
import { z } from "zod"
import { ContextPatch, patchContext } from "./context-doc.ts"
import { openGate } from "./gates.ts"
import { reviewBoundReached, transition } from "./package-machine.ts"
import { instanceOf } from "./role-session.ts"
import { type PackageState, type Role, roleByDuty, roleNamed } from "./roles.ts"
import { type CheckRan, type RunEventInput, runEvent } from "./run-events.ts"
import { packageById, type RunPackage, type RunState } from "./run-state.ts"
import { fillTemplate, type Template } from "./templates.ts"

/**
 * The tools roles call to coordinate (docs/orchestra.md): send_message, patch_context, create_package,
 * submit_plan, report, run_checks, review. They never write to the log themselves: each effect is
 * emitted into the step's buffer (with an id derived from the step: `<kind>_<step>_<k>`) and the
 * engine appends the buffer with `step.ended` in one append.
 */
export interface StepScope {
  /** The run as the step sees it: the state at its start plus its own emitted events. */
  state(): RunState
  role: Role
  stepId: string
  packageId?: string
  emit(event: RunEventInput): void
  /** The next id of this step for an effect of `kind` (msg, ctx, pkg, mv, chk, rev, gat). */
  nextId(kind: string): string
  templates: ReadonlyMap<string, Template>
  /** Runs the machine-checkable acceptance of a package at its current revision (tests-pass, files-within). */
  runChecks(item: RunPackage): Promise<CheckRan[]>
  /** What the step did: the engine checks the step's required output against it. */
  done: Set<"plan" | "report" | "checks" | "review">
}

const fail = (code: string, message: string): never => {
  throw new AppError(code, message)
}

function move(
  scope: StepScope,
  item: RunPackage,
  to: PackageState,
  reason: string | CodedReason,
  as: Role = scope.role,
): void {
  const result = transition(scope.state(), item.id, to, as, reason, scope.nextId("mv"))
  if (!result.ok) {
    if (result.event) scope.emit(result.event)
    fail(result.code, result.reason)
  } else scope.emit(result.event)
}

function ownPackage(scope: StepScope): RunPackage {
  const item = scope.packageId ? packageById(scope.state(), scope.packageId) : undefined
  return item ?? fail("PACKAGE_NOT_FOUND", "This step works on no package.")
}

export function orchestraTools(scope: StepScope): Tool[] {
  const roleNames = () => (scope.state().preset?.roles ?? []).map((role) => role.name)
  /** Roles, and the agent roles' instances on the run's packages (`implementer_2`). */
  const recipientNames = () => {
    const state = scope.state()
    const agents = (state.preset?.roles ?? []).filter((role) => role.duty !== "human")
    return [
      ...roleNames(),
      ...agents.flatMap((role) => state.packages.map((item) => instanceOf(role.name, item.id))),
    ]
  }
  const tell = (
    recipients: "*" | string[],
    body: string,
    kind: "note" | "handoff" = "note",
    causationId?: string,
  ) => {
    const id = scope.nextId("msg")
    scope.emit(
      runEvent(id, "message.published", {
        id,
        sender: scope.role.name,
        recipients,
        causationId: causationId ?? scope.stepId,
        kind,
        body,
        ...(scope.packageId ? { packageId: scope.packageId } : {}),
      }),
    )
    return id
  }

  const sendMessage = defineTool("send_message", {
    description:
      'Send a message to other roles of the orchestra (by role name: every agent of that role reads it), to one agent on a package (implementer_2 works on package 2), or to everyone (to: "*"). They read it at their next step.',
    parameters: z.strictObject({
      to: z.union([z.literal("*"), z.array(z.string()).min(1)]).describe('Role names, or "*" for everyone'),
      body: z.string().min(1).max(20_000),
      kind: z.enum(["note", "question", "answer", "handoff"]).optional(),
      causationId: z.string().optional().describe("The id of the message this answers"),
    }),
    async execute({ to, body, kind, causationId }) {
      if (to !== "*") {
        const known = recipientNames()
        const unknown = to.filter((name) => !known.includes(name))
        if (unknown.length > 0)
          fail(
            "RECIPIENT_UNKNOWN",
            `No role or agent is called ${unknown.join(", ")}. Roles: ${roleNames().join(", ")}; a role's agent on package n is <role>_n (${known.filter((name) => name.includes("_")).join(", ") || "no packages yet"}).`,
          )
      }
      const id = tell(to, body, kind === "handoff" ? "handoff" : "note", causationId)
      return { title: `message to ${to === "*" ? "everyone" : to.join(", ")}`, output: `Sent as ${id}.` }
    },
  })

  const patchContextTool = defineTool("patch_context", {
    description:
      'Change a section of CONTEXT.md that your role owns. Give the section\'s version you read (baseVersion). The decisions section takes a decision {chosen, instead, because}: "X instead of Y, because Z".',
    parameters: ContextPatch,
    async execute(patch) {
      const result = patchContext(scope.state(), scope.role.name, patch, scope.nextId("ctx"))
      if (result.event) scope.emit(result.event)
      if (!result.ok)
        fail(
          result.code,
          `${result.message}\n\nCurrent text of ${patch.section} (version ${result.current.version}):\n${result.current.text || "(empty)"}`,
        )
      return {
        title: `CONTEXT.md ${patch.section}`,
        output: `The section ${patch.section} is at version ${result.ok ? result.version : 0} now.`,
      }
    },
  })

  const createPackage = defineTool("create_package", {
    description:
      "Create a work package from a template (feature, bugfix, refactor, add-tests, docs, code-review, or the project's own) with every placeholder field filled in. It stays a draft until you call submit_plan.",
    parameters: z.strictObject({
      template: z.string().min(1),
      fields: z.record(z.string(), z.string()),
      dependsOn: z.array(z.string()).optional().describe("Ids of packages that must be done first"),
    }),
    async execute({ template, fields, dependsOn = [] }) {
      const found = scope.templates.get(template)
      if (!found)
        fail(
          "TEMPLATE_NOT_FOUND",
          `There is no template "${template}". Use one of: ${[...scope.templates.keys()].join(", ")}.`,
        )
      const filled = fillTemplate(found!, fields)
      const state = scope.state()
      const missing = dependsOn.filter((id) => !packageById(state, id))
      if (missing.length > 0)
        fail("PACKAGE_NOT_FOUND", `dependsOn names unknown packages: ${missing.join(", ")}.`)
      const id = `pkg_${state.id.slice(4)}_${state.packages.length + 1}`
      scope.emit(
        runEvent(scope.nextId("pkg"), "package.created", {
          id,
          template: filled.template,
          title: filled.title,
          fields: filled.fields,
          instructions: filled.instructions,
          acceptance: filled.acceptance,
          gates: [
            ...new Set([
              ...filled.gates,
              ...(state.preset?.gates.includes("review") ? ["review" as const] : []),
            ]),
          ],
          limits: filled.limits,
          globs: filled.globs,
          dependsOn,
          by: scope.role.name,
        }),
      )
      return { title: `package ${id}`, output: `Created ${id} (draft): ${filled.title}` }
    },
  })

  const submitPlan = defineTool("submit_plan", {
    description:
      "Submit your plan: every draft package becomes planned. A person may approve, reject (you will read why) or edit it before work starts.",
    parameters: z.strictObject({ summary: z.string().min(1).max(20_000) }),
    async execute({ summary }) {
      const drafts = scope.state().packages.filter((item) => item.state === "draft")
      if (drafts.length === 0)
        fail("PLAN_EMPTY", "There is no draft package: create packages with create_package first.")
      for (const item of drafts) move(scope, item, "planned", "plan submitted")
      const state = scope.state()
      if (state.preset?.gates.includes("plan")) {
        const planned = state.packages.filter((item) => item.state === "planned")
        scope.emit(
          openGate(scope.nextId("gat"), {
            kind: "plan",
            reason: runReason("gate.plan"),
            stepId: scope.stepId,
            payload: {
              summary,
              packages: planned.map(({ id, title, instructions, globs }) => ({
                id,
                title,
                instructions,
                globs,
              })),
            },
          }),
        )
      } else
        for (const item of state.packages.filter((candidate) => candidate.state === "planned"))
          move(scope, item, "assigned", "plan submitted")
      scope.done.add("plan")
      return { title: "plan submitted", output: `${drafts.length} package(s) planned.` }
    },
  })

  const report = defineTool("report", {
    description:
      "Report that your work package is ready for review: what you changed and how you checked it. Call it once, when the work is done.",
    parameters: z.strictObject({
      summary: z.string().min(1).max(20_000).describe("What changed and how it was checked"),
    }),
    async execute({ summary }) {
      const item = ownPackage(scope)
      move(scope, item, "ready_for_review", summary)
      scope.done.add("report")
      return { title: `report ${item.id}`, output: `${item.id} is ready for review.` }
    },
  })

  const runChecks = defineTool("run_checks", {
    description:
      "Run the package's acceptance checks (its test command in its worktree, the files it may touch) and record the results.",
    parameters: z.strictObject({}),
    async execute() {
      const item = ownPackage(scope)
      const results = await scope.runChecks(item)
      for (const result of results) scope.emit(runEvent(scope.nextId("chk"), "check.ran", result))
      scope.done.add("checks")
      const lines = results.map(
        (result) => `${result.passed ? "PASS" : "FAIL"} ${result.check.kind}: ${result.output.slice(0, 500)}`,
      )
      return { title: `checks ${item.id}`, output: lines.join("\n") || "This package has no machine checks." }
    },
  })

  const review = defineTool("review", {
    description:
      "Review the package's latest diff: approve it, or request changes with a comment the implementer receives.",
    parameters: z.strictObject({
      verdict: z.enum(["approve", "request_changes"]),
      comment: z.string().max(20_000),
    }),
    async execute({ verdict, comment }) {
      const item = ownPackage(scope)
      if (item.state !== "ready_for_review")
        fail("TRANSITION_NOT_ALLOWED", `${item.id} is ${item.state}, not ready for review.`)
      if (verdict === "request_changes" && !comment.trim())
        fail("REVIEW_COMMENT_MISSING", "Say what to change: request_changes needs a comment.")
      scope.emit(
        runEvent(scope.nextId("rev"), "review.submitted", {
          packageId: item.id,
          by: scope.role.name,
          verdict,
          comment,
          revision: item.revision,
        }),
      )
      scope.done.add("review")
      const reviewed = ownPackage(scope)
      if (verdict === "approve") {
        move(scope, reviewed, "approved", comment || "approved")
        return { title: `review ${item.id}`, output: `${item.id} approved.` }
      }
      const implementer = roleByDuty(scope.state().preset!, "implementer")!
      if (reviewBoundReached(reviewed)) {
        move(
          scope,
          reviewed,
          "blocked",
          runReason("package.reviewBound", { rounds: reviewed.reviewRounds }),
          conductorOf(scope),
        )
        scope.emit(
          openGate(scope.nextId("gat"), {
            kind: "stuck",
            packageId: item.id,
            stepId: scope.stepId,
            reason: runReason("gate.stuck.reviewBound", {
              packageId: item.id,
              limit: reviewed.limits.reviewRounds,
            }),
            payload: { lastComment: comment, rounds: reviewed.reviewRounds },
          }),
        )
        return {
          title: `review ${item.id}`,
          output: `${item.id} reached its review bound; a person decides now.`,
        }
      }
      move(scope, reviewed, "in_progress", `changes requested: ${comment}`)
      tell([instanceOf(implementer.name, item.id)], `Changes requested on ${item.id}: ${comment}`, "handoff")
      return { title: `review ${item.id}`, output: `${item.id} went back to ${implementer.name}.` }
    },
  })

  return [sendMessage, patchContextTool, createPackage, submitPlan, report, runChecks, review]
}

const conductorOf = (scope: StepScope): Role =>
  roleNamed(scope.state().preset!, roleByDuty(scope.state().preset!, "conductor")!.name)!

/** Every orchestra tool id (the registry's names for them). */
export const orchestraToolIds = [
  "send_message",
  "patch_context",
  "create_package",
  "submit_plan",
  "report",
  "run_checks",
  "review",
] as const
