// A four-role orchestra run scripted for the mock provider server (packages/testing): every role's model
// is the server's default, so the replies are taken in the order the steps call: the conductor plans one
// package, the implementer writes it, the tester runs the checks, the reviewer approves. Each step is one
// turn calling tools, then a turn ending it with text. Shared by the store test and the browser e2e.
import type { MockReply } from "@xionimus/testing"

const usage = { input: 1500, output: 400 }
const call = (id: string, name: string, input: unknown) => ({
  type: "tool-call" as const,
  id,
  name,
  argumentChunks: [JSON.stringify(input)],
})
const tools = (...calls: ReturnType<typeof call>[]): MockReply => ({ type: "stream", blocks: calls, usage })
const text = (words: string): MockReply => ({
  type: "stream",
  blocks: [{ type: "text", chunks: [words] }],
  usage,
})

export const greetSource = 'export const greet = (name) => "Hello, " + name\n'

/** The conductor's plan: one feature package, a decision in CONTEXT.md, a handoff, the plan submitted. */
export const planReplies = (): MockReply[] => [
  tools(
    call("call_pkg", "create_package", {
      template: "feature",
      fields: {
        summary: "greet by name",
        details: "Add greet(name) to src/greet.js.",
        paths: "src/**",
        test_command: "true",
      },
    }),
    call("call_decide", "patch_context", {
      section: "decisions",
      baseVersion: 0,
      decision: { chosen: "one package", instead: "two", because: "the change is small" },
    }),
    call("call_handoff", "send_message", {
      to: ["implementer"],
      body: "Start with src/greet.js.",
      kind: "handoff",
    }),
    call("call_plan", "submit_plan", { summary: "One package: greet by name." }),
  ),
  text("Planned."),
]

/** After the plan gate: implement (a file and a message to the reviewer), test, review. */
export const workReplies = (): MockReply[] => [
  tools(
    call("call_write", "write_file", { path: "src/greet.js", content: greetSource }),
    call("call_note", "send_message", { to: ["reviewer"], body: "greet is in src/greet.js." }),
    call("call_report", "report", { summary: "Added greet; the check passes." }),
  ),
  text("Implemented."),
  tools(call("call_checks", "run_checks", {})),
  text("Checked."),
  tools(call("call_review", "review", { verdict: "approve", comment: "Looks right." })),
  text("Reviewed."),
]
