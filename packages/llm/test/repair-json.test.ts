import assert from "node:assert/strict"
import { test } from "node:test"
import { repairToolInput } from "@xionimus/llm"

const repaired: [string, string, unknown][] = [
  ["valid JSON", '{"path": "a.ts"}', { path: "a.ts" }],
  ["trailing comma", '{"path": "a.ts", "limit": 5,}', { path: "a.ts", limit: 5 }],
  ["trailing comma in an array", '{"paths": ["a", "b",]}', { paths: ["a", "b"] }],
  ["markdown fence", '```json\n{"path": "a.ts"}\n```', { path: "a.ts" }],
  ["prose around", 'Sure! Here are the arguments: {"path": "a.ts"} Hope that helps.', { path: "a.ts" }],
  [
    "missing closing brace",
    '{"path": "a.ts", "options": {"deep": true',
    { path: "a.ts", options: { deep: true } },
  ],
  ["Python literals", '{"recursive": True, "filter": None}', { recursive: true, filter: null }],
  ["literal words inside strings stay", '{"text": "True or None",}', { text: "True or None" }],
  ["braces inside strings", '{"code": "if (a) { b }",}', { code: "if (a) { b }" }],
]

for (const [name, input, expected] of repaired) {
  test(`repairs: ${name}`, () => {
    assert.deepEqual(repairToolInput(input), expected)
  })
}

const refused: [string, string][] = [
  ["cut off inside a string", '{"path": "a.t'],
  ["not an object", "[1, 2, 3]"],
  ["no JSON at all", "I will read the file now."],
  ["single quotes (ambiguous with apostrophes)", "{'path': 'a.ts'}"],
]

for (const [name, input] of refused) {
  test(`refuses: ${name}`, () => {
    assert.equal(repairToolInput(input), undefined)
  })
}
