import assert from "node:assert/strict"
import { test } from "node:test"
import { completeSlashCommand, parseSlashCommand } from "../src/screens/chat/slash-commands.ts"

test("a known command keeps its argument", () => {
  assert.deepEqual(parseSlashCommand("/run npm test -- --watch"), {
    kind: "command",
    name: "run",
    argument: "npm test -- --watch",
  })
  assert.deepEqual(parseSlashCommand("  /HELP "), { kind: "command", name: "help", argument: "" })
})

test("an unknown command and plain text are told apart", () => {
  assert.deepEqual(parseSlashCommand("/nope x"), { kind: "unknown", name: "nope" })
  assert.deepEqual(parseSlashCommand("please /run this"), { kind: "text" })
})

test("completion filters by prefix and stops after a space", () => {
  assert.deepEqual(completeSlashCommand("/t"), ["test"])
  assert.equal(completeSlashCommand("/").length, 9)
  assert.deepEqual(completeSlashCommand("/run x"), [])
  assert.deepEqual(completeSlashCommand("run"), [])
})
