import assert from "node:assert/strict"
import { test } from "node:test"
import { isAppError } from "@xionimus/kit"
import { PermissionDecision, type PermissionRequest, PermissionRules } from "@xionimus/protocol"
import { applyDecision } from "../src/apply-decision.ts"
import { commandPattern } from "../src/command-prefix.ts"
import { evaluatePermission, type PermissionPolicy } from "../src/evaluate-permission.ts"
import { createPermissionGate } from "../src/permission-gate.ts"
import { matchWildcard } from "../src/wildcard.ts"

const rules = (partial: Partial<Record<"project" | "user" | "session", unknown[]>>) =>
  PermissionRules.parse(partial)
const policy = (overrides: Partial<PermissionPolicy> = {}): PermissionPolicy => ({
  mode: "ask",
  rules: rules({}),
  sandboxed: true,
  ...overrides,
})
const ids = { sessionId: "ses_1", messageId: "msg_1", callId: "call_1" }

test("wildcards: path patterns keep * inside a segment, text patterns let * match anything", () => {
  const cases: [string, string, "path" | "text", boolean][] = [
    ["src/**", "src/a/b.ts", "path", true],
    ["src/**", "lib/a.ts", "path", false],
    ["src/*", "src/a/b.ts", "path", false],
    ["src/*", "src/a.ts", "path", true],
    ["src/**/*.ts", "src/a.ts", "path", true],
    ["src/**/*.ts", "src/x/y/a.ts", "path", true],
    ["*.md", "docs/a.md", "path", false],
    ["npm test*", "npm test -- src/a.test.ts", "text", true],
    ["npm test*", "npm install", "text", false],
    ["git status", "git status", "text", true],
    ["a.c", "abc", "text", false],
    ["fil?.txt", "file.txt", "path", true],
    ["*", "", "path", true],
  ]
  for (const [pattern, value, kind, expected] of cases)
    assert.equal(matchWildcard(pattern, value, kind), expected, `${pattern} ~ ${value} (${kind})`)
})

test("modes: ask asks for edits and commands, auto-edit for commands, full-auto only when sandboxed", () => {
  const table: [PermissionPolicy["mode"], boolean, "read" | "edit" | "execute", string][] = [
    ["ask", true, "read", "allow"],
    ["ask", true, "edit", "ask"],
    ["ask", true, "execute", "ask"],
    ["auto-edit", true, "edit", "allow"],
    ["auto-edit", true, "execute", "ask"],
    ["full-auto", true, "execute", "allow"],
    ["full-auto", false, "execute", "ask"],
    ["full-auto", false, "edit", "allow"],
  ]
  for (const [mode, sandboxed, kind, expected] of table) {
    const evaluation = evaluatePermission(policy({ mode, sandboxed }), { tool: "x", kind, patterns: ["p"] })
    assert.equal(evaluation.action, expected, `${mode} ${sandboxed} ${kind}`)
    assert.equal(evaluation.rule, null)
  }
})

test("rules: deny wins across layers, otherwise the most specific rule, ask beating allow on a tie", () => {
  const layered = rules({
    project: [
      { tool: "run", pattern: "npm *", action: "allow" },
      { tool: "run", pattern: "rm *", action: "deny" },
    ],
    user: [
      { tool: "run", pattern: "rm -rf build", action: "allow" },
      { tool: "run", pattern: "npm publish*", action: "ask" },
    ],
    session: [{ tool: "*", pattern: "*", action: "allow" }],
  })
  const evaluate = (command: string) =>
    evaluatePermission(policy({ rules: layered }), { tool: "run", kind: "execute", patterns: [command] })
  const denied = evaluate("rm -rf build")
  assert.equal(denied.action, "deny")
  assert.deepEqual(denied.rule, { tool: "run", pattern: "rm *", action: "deny", scope: "project" })
  assert.equal(evaluate("npm test").action, "allow")
  assert.equal(evaluate("npm publish --tag next").action, "ask")
  assert.equal(evaluate("npm publish --tag next").rule?.scope, "user")
  assert.equal(evaluate("make").rule?.scope, "session")
  const tie = rules({
    project: [{ tool: "edit", pattern: "src/**", action: "allow" }],
    user: [{ tool: "edit", pattern: "src/**", action: "ask" }],
  })
  assert.equal(
    evaluatePermission(policy({ rules: tie }), { tool: "edit", kind: "edit", patterns: ["src/a.ts"] }).action,
    "ask",
  )
})

test("several patterns: the strictest answer wins and names its pattern", () => {
  const set = rules({
    project: [
      { tool: "write_file", pattern: "src/**", action: "allow" },
      { tool: "*", pattern: ".env*", action: "deny" },
    ],
  })
  const evaluation = evaluatePermission(policy({ rules: set }), {
    tool: "write_file",
    kind: "edit",
    patterns: ["src/a.ts", "docs/b.md", ".env"],
  })
  assert.equal(evaluation.action, "deny")
  assert.equal(evaluation.pattern, ".env")
  const ask = evaluatePermission(policy({ rules: set }), {
    tool: "write_file",
    kind: "edit",
    patterns: ["src/a.ts", "docs/b.md"],
  })
  assert.equal(ask.action, "ask")
  assert.equal(ask.pattern, "docs/b.md")
})

test("decisions: allow once adds nothing, allow always adds rules to its scope, deny carries the message", () => {
  const request: Pick<PermissionRequest, "tool" | "always" | "patterns"> = {
    tool: "run",
    patterns: ["npm test --watch"],
    always: ["npm test*"],
  }
  const empty = rules({})
  assert.deepEqual(applyDecision(empty, request, PermissionDecision.parse({ kind: "allow-once" })), {
    allowed: true,
    rules: empty,
    added: [],
  })
  const always = applyDecision(empty, request, PermissionDecision.parse({ kind: "allow-always" }))
  assert.deepEqual(always.rules.session, [{ tool: "run", pattern: "npm test*", action: "allow" }])
  const twice = applyDecision(always.rules, request, PermissionDecision.parse({ kind: "allow-always" }))
  assert.equal(twice.added.length, 0)
  const project = applyDecision(
    empty,
    request,
    PermissionDecision.parse({ kind: "allow-always", scope: "project", patterns: ["npm *"] }),
  )
  assert.deepEqual(project.rules.project, [{ tool: "run", pattern: "npm *", action: "allow" }])
  const denied = applyDecision(empty, request, { kind: "deny", message: "use pnpm" })
  assert.equal(denied.allowed, false)
  assert.match(denied.message!, /said: "use pnpm"/)
})

test("the gate asks, applies allow always so that the next call passes, and rejects denials", async () => {
  const asked: PermissionRequest[] = []
  const answers = [
    PermissionDecision.parse({ kind: "allow-always" }),
    PermissionDecision.parse({ kind: "deny", message: "not now" }),
  ]
  const changed: string[] = []
  const gate = createPermissionGate({
    mode: "ask",
    rules: rules({}),
    sandboxed: true,
    async onAsk(request) {
      asked.push(request)
      return answers.shift()!
    },
    onRulesChanged: (scope) => {
      changed.push(scope)
    },
  })
  const signal = new AbortController().signal
  const call = {
    tool: "run",
    kind: "execute" as const,
    patterns: ["npm test"],
    always: ["npm test*"],
    title: "Run npm test",
  }
  await gate.check(ids, call, signal)
  assert.equal(asked.length, 1)
  assert.equal(asked[0]?.callId, "call_1")
  assert.match(asked[0]!.id, /^per_/)
  await gate.check(ids, { ...call, patterns: ["npm test -- a"] }, signal)
  assert.equal(asked.length, 1, "allowed by the added rule")
  assert.deepEqual(changed, ["session"])
  await assert.rejects(
    gate.check(ids, { ...call, patterns: ["npm publish"], always: ["npm publish*"] }, signal),
    (error) => {
      assert.ok(isAppError(error))
      assert.equal(error.code, "TOOL_DENIED")
      assert.match(error.message, /not now/)
      return true
    },
  )
  gate.setMode("full-auto")
  await gate.check(ids, { ...call, patterns: ["make"] }, signal)
  assert.equal(asked.length, 2)
})

test("a deny rule rejects without asking and names the rule", async () => {
  const gate = createPermissionGate({
    mode: "full-auto",
    rules: rules({ user: [{ tool: "write_file", pattern: "secrets/**", action: "deny" }] }),
    sandboxed: true,
    onAsk: () => assert.fail("must not ask"),
  })
  await assert.rejects(
    gate.check(
      ids,
      { tool: "write_file", kind: "edit", patterns: ["secrets/key.pem"], always: [], title: "" },
      new AbortController().signal,
    ),
    /forbids write_file on "secrets\/key\.pem" \(rule write_file: "secrets\/\*\*", user settings\)/,
  )
})

test("commandPattern allows a kind of command, and a compound command only as it is", () => {
  assert.equal(commandPattern("npm test --watch"), "npm test*")
  assert.equal(commandPattern("ls -la"), "ls*")
  assert.equal(commandPattern("npm test && rm -rf /"), "npm test && rm -rf /")
  assert.equal(commandPattern("echo $(cat x)"), "echo $(cat x)")
})

test("an answer that arrives after the turn was cancelled does not let the call run", async () => {
  const controller = new AbortController()
  const gate = createPermissionGate({
    mode: "ask",
    rules: rules({}),
    sandboxed: true,
    onAsk: (_request, signal) =>
      new Promise((resolve) =>
        signal.addEventListener("abort", () => resolve({ kind: "allow-once" }), { once: true }),
      ),
  })
  const ask = gate.forCall(ids, controller.signal)
  const pending = ask({
    tool: "edit",
    kind: "edit",
    patterns: ["a.ts"],
    always: ["a.ts"],
    title: "Edit a.ts",
  })
  controller.abort()
  await assert.rejects(pending, (error) => isAppError(error) && error.code === "TOOL_ABORTED")
})
