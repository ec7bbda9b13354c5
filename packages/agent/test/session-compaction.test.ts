// Keeping the prompt small: compaction (pruning old tool outputs, then a summary by the model) and the task tool's sub-agent with its own context.
import assert from "node:assert/strict"
import { test } from "node:test"
import { reduceSession } from "@xionimus/protocol"
import { createAgentFixture, dataOf, projectId, toolResults, userTexts } from "./agent-fixture.ts"

test("compaction prunes old tool outputs first; the log keeps them", async (t) => {
  const big = "a line of the big file, thirty.\n".repeat(300)
  await using fixture = await createAgentFixture(t, {
    files: { "big.txt": big },
    turns: [
      { toolCalls: [{ name: "read_file", input: { path: "big.txt" } }] },
      { text: "Read it." },
      { text: "Noted." },
      { text: "Third answer." },
    ],
    // The base prompt (~3,200 estimated tokens) and the file (~3,600) fit under 80 %; a paste on top does not.
    contextWindow: 9_500,
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  for (const text of ["read big.txt", "thanks", `here is a paste: ${"x y z ".repeat(750)}`]) {
    await fixture.engine.send(session.id, { text, authorId: null })
    await fixture.engine.idle(session.id)
  }
  const events = await fixture.events(session.id)
  const compacted = dataOf<{
    throughSeq: number
    summary: string
    prunedCallIds: string[]
    tokensBefore: number
    tokensAfter: number
  }>(events, "session.compacted")
  assert.equal(compacted.length, 1)
  assert.deepEqual(compacted[0]?.prunedCallIds, ["call_1_0"])
  assert.equal(compacted[0]?.summary, "")
  assert.equal(compacted[0]?.throughSeq, 0)
  assert.ok(compacted[0]!.tokensAfter < compacted[0]!.tokensBefore - 3_000)
  const last = fixture.model.requests.at(-1)!
  assert.deepEqual(toolResults(last.messages), [
    { toolCallId: "call_1_0", toolName: "read_file", output: "[output pruned to save context]" },
  ])
  assert.equal(userTexts(last.messages).length, 3)
  // The log still holds the full output.
  const state = reduceSession(events)
  const first = state.messages[1]
  assert.ok(first?.role === "assistant" && first.parts[0]?.type === "tool")
  assert.ok((first.parts[0].output ?? "").length > 9_000)
  assert.deepEqual(state.compaction?.prunedCallIds, ["call_1_0"])
})

test("compaction summarises older messages with the model when pruning is not enough", async (t) => {
  const paste = "log output that the user pasted. ".repeat(245)
  await using fixture = await createAgentFixture(t, {
    turns: [
      { text: "Looked at the first log." },
      { text: "Looked at the second log." },
      { text: "The user pasted two build logs; both show a missing dependency." },
      { text: "Answer from the summary." },
    ],
    // Base (~3,200) + two pastes (~2,700 each) stay under 80 %; the third message goes over.
    contextWindow: 12_000,
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  const third = `what did both logs say? ${"and this one too. ".repeat(333)}`
  for (const text of [`first log: ${paste}`, `second log: ${paste}`, third]) {
    await fixture.engine.send(session.id, { text, authorId: null })
    await fixture.engine.idle(session.id)
  }
  const requests = fixture.model.requests
  assert.equal(requests.length, 4)
  const summaryRequest = requests[2]!
  assert.equal(summaryRequest.tools, undefined)
  assert.match(summaryRequest.system ?? "", /You summarise a conversation/)
  assert.match(
    userTexts(summaryRequest.messages)[0] ?? "",
    /User: first log: .*Agent: Looked at the second log\./s,
  )
  const answered = requests[3]!
  assert.deepEqual(userTexts(answered.messages), [
    "Summary of the conversation so far: The user pasted two build logs; both show a missing dependency.",
    third,
  ])
  const events = await fixture.events(session.id)
  const [compacted] = dataOf<{ throughSeq: number; summary: string }>(events, "session.compacted")
  const sent = events.find(
    (event) => event.type === "message.created" && (event.data as { text: string }).text === third,
  )
  assert.equal(compacted?.throughSeq, sent!.seq - 1)
  // The session's usage counts the summary call too.
  assert.equal((await fixture.sessions.get(session.id))?.usage.inputTokens, 40)
  assert.equal(reduceSession(events).messages.length, 6)
})

test("the task tool runs a sub-agent with its own context; only its summary reaches the log", async (t) => {
  await using fixture = await createAgentFixture(t, {
    files: { "a.js": "// TODO: handle errors\nexport const a = 1\n" },
    turns: [
      { toolCalls: [{ name: "task", input: { description: "find todos", prompt: "Find TODO comments." } }] },
      { toolCalls: [{ name: "grep", input: { pattern: "TODO" } }] },
      { text: "One TODO: a.js line 1 (handle errors)." },
      { text: "The sub-agent found one TODO in a.js." },
    ],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "any todos?", authorId: null })
  await fixture.engine.idle(session.id)
  const [parent, child, childSecond, parentSecond] = fixture.model.requests
  assert.ok(parent?.tools?.some((tool) => tool.name === "task"))
  assert.equal(
    child?.tools?.some((tool) => tool.name === "task"),
    false,
  )
  assert.match(child?.system ?? "", /You are a sub-agent/)
  assert.deepEqual(child?.messages, [{ role: "user", content: "Find TODO comments." }])
  assert.match(String(toolResults(childSecond!.messages)[0]?.output), /a\.js:1:\/\/ TODO: handle errors/)
  assert.deepEqual(toolResults(parentSecond!.messages)[0]?.output, "One TODO: a.js line 1 (handle errors).")

  const events = await fixture.events(session.id)
  assert.deepEqual(
    dataOf<{ tool: string }>(events, "tool.called").map((data) => data.tool),
    ["task"],
  )
  const [done] = dataOf<{ status: string; output: string; title: string }>(events, "tool.updated").filter(
    (data) => data.status === "completed",
  )
  assert.equal(done?.output, "One TODO: a.js line 1 (handle errors).")
  assert.equal(done?.title, "find todos")
  assert.equal((await fixture.sessions.get(session.id))?.usage.inputTokens, 40)
})
