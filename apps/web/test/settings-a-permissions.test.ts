import assert from "node:assert/strict"
import { test } from "node:test"
import { ApiError } from "@xionimus/sdk"
import { validateRules } from "../src/screens/settings/permissions-rules.ts"
import { parseModelList } from "../src/screens/settings/providers-kinds.ts"
import {
  createPermissionEditor,
  type PermissionSettingsValue,
} from "../src/stores/settings-permissions-store.ts"

test("rules are checked before saving: tool present and without spaces, limits, no duplicates", () => {
  const ok = validateRules([
    { tool: " run ", pattern: " npm test* ", action: "allow" },
    { tool: "write_file", pattern: "", action: "deny" },
  ])
  assert.deepEqual(ok.problems, [])
  assert.deepEqual(ok.rules, [
    { tool: "run", pattern: "npm test*", action: "allow" },
    { tool: "write_file", pattern: "*", action: "deny" },
  ])
  const bad = validateRules([
    { tool: "", pattern: "*", action: "ask" },
    { tool: "write file", pattern: "*", action: "ask" },
    { tool: "run", pattern: "x".repeat(2001), action: "ask" },
    { tool: "run", pattern: "npm *", action: "allow" },
    { tool: "run", pattern: "npm *", action: "deny" },
    { tool: "t".repeat(201), pattern: "*", action: "ask" },
  ])
  assert.deepEqual(bad.rules, [], "nothing is sent while a rule is wrong")
  assert.deepEqual(
    bad.problems.map(({ index, code }) => [index, code]),
    [
      [0, "RULE_TOOL_MISSING"],
      [1, "RULE_TOOL_INVALID"],
      [2, "RULE_PATTERN_TOO_LONG"],
      [4, "RULE_DUPLICATE"],
      [5, "RULE_TOOL_TOO_LONG"],
    ],
  )
  const many = Array.from({ length: 1001 }, (_, index) => ({
    tool: "run",
    pattern: `cmd${index}`,
    action: "ask" as const,
  }))
  assert.deepEqual(
    validateRules(many).problems.map(({ index, code }) => [index, code]),
    [[-1, "RULES_TOO_MANY"]],
  )
})

test("the editor loads, edits, refuses wrong rules without a request, saves, and shows the server's error", async () => {
  let stored: PermissionSettingsValue = { rules: [{ tool: "run", pattern: "ls*", action: "allow" }] }
  const writes: PermissionSettingsValue[] = []
  let refuse: ApiError | null = null
  const editor = createPermissionEditor({
    read: async () => stored,
    async write(settings) {
      writes.push(settings)
      if (refuse) throw refuse
      stored = settings
      return stored
    },
  })
  assert.equal(editor.state.get().status, "loading")
  await editor.load()
  assert.equal(editor.state.get().status, "ready")
  assert.equal(editor.state.get().mode, null)
  assert.deepEqual(editor.state.get().drafts, [{ tool: "run", pattern: "ls*", action: "allow" }])

  editor.addRule()
  assert.equal(editor.state.get().dirty, true)
  assert.equal(await editor.save(), false, "an empty tool stops the save")
  assert.equal(writes.length, 0)
  assert.deepEqual(
    editor.state.get().problems.map((problem) => problem.code),
    ["RULE_TOOL_MISSING"],
  )
  editor.updateRule(1, { tool: "write_file", pattern: "secrets/**", action: "deny" })
  assert.deepEqual(editor.state.get().problems, [], "fixing the row clears its problem")
  editor.setMode("auto-edit")
  assert.equal(await editor.save(), true)
  assert.deepEqual(writes.at(-1), {
    mode: "auto-edit",
    rules: [
      { tool: "run", pattern: "ls*", action: "allow" },
      { tool: "write_file", pattern: "secrets/**", action: "deny" },
    ],
  })
  assert.equal(editor.state.get().saved, true)
  assert.equal(editor.state.get().dirty, false)

  refuse = new ApiError("FORBIDDEN", "Only the project's owners may change its permissions.", { status: 403 })
  editor.removeRule(0)
  assert.equal(editor.state.get().saved, false)
  assert.equal(await editor.save(), false)
  assert.equal(editor.state.get().saveError?.code, "FORBIDDEN")
  assert.equal(editor.state.get().drafts.length, 1, "the edit stays to try again")
  assert.equal(editor.state.get().dirty, true)
})

test("a failed load is shown with its code and can be retried", async () => {
  let fail = true
  const editor = createPermissionEditor({
    read: async () => {
      if (fail) throw new ApiError("NETWORK_ERROR", "The server could not be reached.", { status: 0 })
      return { mode: "ask", rules: [] }
    },
    write: async (settings) => settings,
  })
  await editor.load()
  assert.equal(editor.state.get().status, "error")
  assert.equal(editor.state.get().loadError?.code, "NETWORK_ERROR")
  fail = false
  await editor.load()
  assert.equal(editor.state.get().status, "ready")
  assert.equal(editor.state.get().mode, "ask")
})

test("model lists typed in the provider form: commas, spaces or lines, no blanks or repeats", () => {
  assert.deepEqual(parseModelList(" coder, fast-model\nlarge,, coder "), ["coder", "fast-model", "large"])
  assert.deepEqual(parseModelList(""), [])
})
