import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import {
  createModelCatalog,
  createModelRouter,
  createProviderRegistry,
  createSdkModelPort,
  extractTextToolCalls,
  type ModelPart,
  type RoutedPart,
  type ToolSpec,
  toolCallCorrection,
  toTextToolMessages,
} from "@xionimus/llm"
import { type MockProviderServer, startMockProvider } from "@xionimus/testing"

const tools: ToolSpec[] = [
  {
    name: "read_file",
    description: "Read a file",
    parameters: { type: "object", properties: { path: { type: "string" } } },
  },
]

test("the tolerant parser reads the documented form and its common variants", () => {
  const text = [
    'First <tool_call>{"name": "read_file", "arguments": {"path": "a.ts"}}</tool_call>',
    '<function_call>```json\n{"tool": "read_file", "parameters": {"path": "b.ts",}}\n```</function_call>',
    '<tool_call>{"name": "read_file", "arguments": "{\\"path\\": \\"c.ts\\"}"}</tool_call> done',
    '<tool_call>{"name": "delete_all", "arguments": {}}</tool_call>',
    "<tool_call>not json</tool_call>",
  ].join("\n")
  const { calls, prose } = extractTextToolCalls(text, tools)
  assert.deepEqual(
    calls.map((call) => [call.name, call.input, call.invalid]),
    [
      ["read_file", { path: "a.ts" }, undefined],
      ["read_file", { path: "b.ts" }, undefined],
      ["read_file", { path: "c.ts" }, undefined],
      ["delete_all", {}, 'there is no tool "delete_all"; the tools are read_file'],
      ["", "not json", "the tool call is not a JSON object"],
    ],
  )
  assert.match(prose, /^First/)
})

test("history for a model without tools: calls as tagged text, results as user messages", () => {
  const messages = toTextToolMessages([
    {
      role: "assistant",
      content: [{ type: "tool-call", toolCallId: "c1", toolName: "read_file", input: { path: "a" } }],
    },
    { role: "tool", content: [{ toolCallId: "c1", toolName: "read_file", output: "hello", isError: false }] },
  ])
  assert.deepEqual(messages, [
    { role: "assistant", content: '<tool_call>{"name":"read_file","arguments":{"path":"a"}}</tool_call>' },
    { role: "user", content: '<tool_result name="read_file" id="c1">hello</tool_result>' },
  ])
})

test("an unreadable call is answered once with what was wrong", () => {
  const correction = toolCallCorrection({
    type: "tool-call",
    toolCallId: "c9",
    toolName: "read_file",
    input: "{",
    invalid: "the tool call is not a JSON object",
  })
  assert.equal(correction.isError, true)
  assert.match(
    correction.output,
    /could not be run: the tool call is not a JSON object\. Send the call again/,
  )
})

describe("a model without native tools, through the router and the mock server", () => {
  let mock: MockProviderServer
  before(async () => {
    mock = await startMockProvider()
  })
  after(async () => {
    await mock.close()
  })

  test("tools go into the system prompt; a call split over chunks comes out as a tool call", async () => {
    const router = createModelRouter({
      port: createSdkModelPort({
        registry: createProviderRegistry({
          providers: { local: { type: "openai-compatible", baseURL: mock.baseURLs.compatible } },
        }),
      }),
      catalog: createModelCatalog({
        overrides: { "local/tiny-coder": { contextWindow: 32_000, maxOutputTokens: 1000 } },
      }),
      config: { default: "local/tiny-coder" },
    })
    mock.enqueue({
      type: "stream",
      blocks: [
        {
          type: "text",
          chunks: [
            "Let me look. <",
            "tool",
            '_call>{"name": "read_file", "argu',
            'ments": {"path": "a.ts",}}</tool_call>',
          ],
        },
      ],
    })
    const parts: RoutedPart[] = []
    for await (const part of router.stream({ messages: [{ role: "user", content: "read a.ts" }], tools }))
      parts.push(part)
    const text = parts
      .filter((part): part is Extract<ModelPart, { type: "text-delta" }> => part.type === "text-delta")
      .map((part) => part.text)
      .join("")
    assert.equal(text, "Let me look. ")
    const call = parts.find((part) => part.type === "tool-call")
    assert.deepEqual(call?.type === "tool-call" && [call.toolName, call.input], [
      "read_file",
      { path: "a.ts" },
    ])
    assert.equal(parts.at(-1)?.type === "finish" && parts.at(-1)?.type, "finish")
    assert.equal((parts.at(-1) as { reason?: string }).reason, "tool-calls")
    const sent = mock.requests.at(-1)?.body as {
      tools?: unknown
      messages: { role: string; content: string }[]
    }
    assert.equal(sent.tools, undefined)
    assert.match(sent.messages[0]?.content ?? "", /<tool_call>\{"name": "<tool name>"/)
  })
})
