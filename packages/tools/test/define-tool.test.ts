import assert from "node:assert/strict"
import { test } from "node:test"
import { AppError } from "@xionimus/kit"
import { z } from "zod"
import { defineTool } from "../src/define-tool.ts"
import { createToolRegistry } from "../src/tool-registry.ts"
import { ToolState } from "../src/tool-state.ts"
import { createToolFixture } from "./tool-fixture.ts"

const echo = defineTool("echo", {
  description: "Echoes",
  parameters: z.object({ text: z.string(), times: z.number().int().min(1).max(3000).default(1) }),
  permission: ({ text }) => ({ kind: "execute", patterns: [text], title: `Echo ${text}` }),
  truncationHint: () => "Ask for fewer times.",
  async execute({ text, times }) {
    return { title: "echo", output: Array.from({ length: times }, () => text).join("\n") }
  },
})

test("invalid arguments become an error worded for the model, before any permission is asked", async () => {
  await using fixture = await createToolFixture()
  const outcome = await echo.run({ text: 5 }, fixture.context())
  assert.equal(outcome.status, "error")
  assert.ok(outcome.status === "error")
  assert.equal(outcome.code, "TOOL_INPUT_INVALID")
  assert.match(outcome.error, /The arguments for echo are not valid/)
  assert.match(outcome.error, /- text: /)
  assert.match(outcome.error, /Call echo again with corrected arguments/)
  assert.equal(fixture.asked.length, 0)
})

test("states go pending → running → completed and validate against the schema", async () => {
  await using fixture = await createToolFixture()
  const states: ToolState[] = []
  const outcome = await echo.run({ text: "hi" }, fixture.context(), (state) => states.push(state))
  assert.deepEqual(
    states.map((state) => state.status),
    ["pending", "running", "completed"],
  )
  for (const state of states) ToolState.parse(state)
  assert.equal(outcome.status === "completed" && outcome.output, "hi")
  assert.deepEqual(fixture.asked, [
    { tool: "echo", kind: "execute", patterns: ["hi"], always: ["hi"], title: "Echo hi" },
  ])
})

test("a denied call never runs and ends as an error with the denial's message", async () => {
  await using fixture = await createToolFixture()
  let ran = false
  const tool = defineTool("guarded", {
    description: "x",
    parameters: z.object({}),
    permission: () => ({ kind: "edit", patterns: ["a"], title: "t" }),
    async execute() {
      ran = true
      return { title: "", output: "" }
    },
  })
  const states: string[] = []
  const outcome = await tool.run(
    {},
    fixture.context({
      async ask() {
        throw new AppError("TOOL_DENIED", "The user denied this guarded call.")
      },
    }),
    (state) => states.push(state.status),
  )
  assert.equal(ran, false)
  assert.deepEqual(states, ["pending", "error"])
  assert.ok(outcome.status === "error")
  assert.equal(outcome.code, "TOOL_DENIED")
  assert.equal(outcome.error, "The user denied this guarded call.")
})

test("long output is cut at 2000 lines with a note saying how to see the rest", async () => {
  await using fixture = await createToolFixture()
  const outcome = await echo.run({ text: "line", times: 2500 }, fixture.context())
  assert.ok(outcome.status === "completed")
  assert.equal(outcome.truncated, true)
  const lines = outcome.output.split("\n")
  assert.equal(lines.filter((line) => line === "line").length, 2000)
  assert.match(lines.at(-1)!, /showing the first 2000 of 2500 lines .* Ask for fewer times\.\]$/)
})

test("output over 50 KB is cut by bytes", async () => {
  await using fixture = await createToolFixture()
  const outcome = await echo.run({ text: "x".repeat(1000), times: 100 }, fixture.context())
  assert.ok(outcome.status === "completed")
  assert.equal(outcome.truncated, true)
  assert.ok(Buffer.byteLength(outcome.output) < 51 * 1024)
  assert.match(outcome.output, /showing the first 51 of 100 lines/)
})

test("abort ends a tool that ignores its signal, and an aborted context never starts one", async () => {
  await using fixture = await createToolFixture()
  let started = 0
  const slow = defineTool("slow", {
    description: "x",
    parameters: z.object({}),
    execute() {
      started += 1
      return new Promise(() => {})
    },
  })
  const controller = new AbortController()
  const pending = slow.run({}, fixture.context({ signal: controller.signal }))
  await new Promise((resolve) => setImmediate(resolve))
  controller.abort()
  const outcome = await pending
  assert.ok(outcome.status === "error")
  assert.equal(outcome.code, "TOOL_ABORTED")
  const again = await slow.run({}, fixture.context({ signal: controller.signal }))
  assert.ok(again.status === "error" && again.code === "TOOL_ABORTED")
  assert.equal(started, 1)
})

test("an unexpected exception becomes TOOL_FAILED with what to do next", async () => {
  await using fixture = await createToolFixture()
  const broken = defineTool("broken", {
    description: "x",
    parameters: z.object({}),
    async execute() {
      throw new TypeError("boom")
    },
  })
  const outcome = await broken.run({}, fixture.context())
  assert.ok(outcome.status === "error")
  assert.equal(outcome.code, "TOOL_FAILED")
  assert.match(outcome.error, /broken failed: boom\. Check the arguments/)
})

test("the registry lists definitions, refuses duplicates and names the tools for an unknown id", async () => {
  await using fixture = await createToolFixture()
  const registry = createToolRegistry([echo])
  assert.throws(() => registry.register(echo), /already registered/)
  const [definition] = registry.definitions()
  assert.equal(definition?.id, "echo")
  assert.equal(definition?.inputSchema.type, "object")
  const outcome = await registry.run("ecko", {}, fixture.context())
  assert.ok(outcome.status === "error")
  assert.equal(outcome.code, "TOOL_NOT_FOUND")
  assert.match(outcome.error, /Use one of: echo\./)
  const dispose = registry.register(
    defineTool("other", {
      description: "",
      parameters: z.object({}),
      execute: async () => ({ title: "", output: "" }),
    }),
  )
  assert.equal(registry.list().length, 2)
  await dispose()
  assert.equal(registry.list().length, 1)
})

test("tool ids must be snake_case", () => {
  assert.throws(() =>
    defineTool("Read-File", {
      description: "",
      parameters: z.object({}),
      execute: async () => ({ title: "", output: "" }),
    }),
  )
})
