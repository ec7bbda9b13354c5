import assert from "node:assert/strict"
import { test } from "node:test"
import type { ModelPart } from "@xionimus/llm"
import { createScriptedModel } from "@xionimus/testing"

async function collect(stream: AsyncIterable<ModelPart>): Promise<ModelPart[]> {
  const parts: ModelPart[] = []
  for await (const part of stream) parts.push(part)
  return parts
}

const request = { model: "scripted/m", messages: [{ role: "user" as const, content: "hi" }] }

test("answers queued turns in order: text, tool calls, errors", async () => {
  const model = createScriptedModel([
    { text: "Hello there" },
    { toolCalls: [{ name: "read_file", input: { path: "a.ts" } }] },
    { error: "rate_limit", retryAfterMs: 1000 },
  ])
  const text = await collect(model.stream(request))
  assert.deepEqual(
    text.filter((part) => part.type === "text-delta").map((part) => part.text),
    ["Hello ", "there"],
  )
  assert.equal(text.at(-1)?.type === "finish" && text.at(-1)?.type, "finish")
  const tools = await collect(model.stream(request))
  const call = tools.find((part) => part.type === "tool-call")
  assert.deepEqual(call?.type === "tool-call" && call.input, { path: "a.ts" })
  const failed = await collect(model.stream(request))
  assert.equal(failed[0]?.type === "error" && failed[0].error.retryAfterMs, 1000)
  model.verify()
  assert.equal(model.requests.length, 3)
})

test("running out fails, and verify reports it even if the caller swallowed the throw", async () => {
  const model = createScriptedModel([])
  await assert.rejects(collect(model.stream(request)), /ran out/)
  assert.throws(() => model.verify(), /ran out/)
})

test("unused turns fail verify", () => {
  const model = createScriptedModel([{ text: "never asked" }])
  assert.throws(() => model.verify(), /1 scripted turn\(s\) were never used/)
})

test("turns naming a model answer only that model, whatever the order of calls", async () => {
  const model = createScriptedModel([
    { model: "scripted/reviewer", text: "looks good" },
    { model: "scripted/implementer", text: "done" },
  ])
  const implementer = await collect(model.stream({ ...request, model: "scripted/implementer" }))
  assert.equal(implementer[0]?.type === "text-delta" && implementer[0].text, "done")
  await assert.rejects(
    collect(model.stream(request)),
    /no scripted turn \(turns are left for scripted\/reviewer\)/,
  )
  await collect(model.stream({ ...request, model: "scripted/reviewer" }))
  assert.throws(() => model.verify(), /ran out/)
})

test("registers verify on the test context", () => {
  let hook: (() => void) | undefined
  createScriptedModel([{ text: "left over" }], { after: (fn) => (hook = fn) })
  assert.throws(() => hook?.(), /never used/)
})
