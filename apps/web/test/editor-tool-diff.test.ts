// The before/after of an agent's file change for the diff view: exact where the session and the file
// allow it, the edit's fragments where they do not.
import assert from "node:assert/strict"
import { test } from "node:test"
import { changedPath, toolDiff, undoEdits } from "../src/stores/tool-diff.ts"

const editPart = (edits: unknown[], version = "v2") => ({
  tool: "edit",
  status: "completed" as const,
  input: { path: "src/a.ts", edits },
  metadata: { changes: [{ path: "src/a.ts", change: "updated" }], version },
})

test("only completed edit and write_file calls have a diff", () => {
  assert.equal(changedPath(editPart([])), "src/a.ts")
  assert.equal(changedPath({ ...editPart([]), status: "running" }), null)
  assert.equal(changedPath({ tool: "run", status: "completed", input: { command: "ls" } }), null)
  assert.equal(changedPath({ tool: "write_file", status: "completed", input: { content: "x" } }), null)
})

test("undoEdits takes edits back last first, and refuses what it cannot tell exactly", () => {
  const edits = [
    { oldText: "const a = 1", newText: "const a = 2" },
    { oldText: "return a", newText: "return a + 1" },
  ]
  assert.equal(undoEdits("const a = 2\nreturn a + 1\n", edits), "const a = 1\nreturn a\n")
  assert.equal(undoEdits("x\r\ny2\r\n", [{ oldText: "x\ny", newText: "x\ny2" }]), "x\r\ny\r\n", "CRLF files")
  assert.equal(undoEdits("b b", [{ oldText: "a", newText: "b" }]), null, "the new text occurs twice")
  assert.equal(undoEdits("text", [{ oldText: "gone", newText: "" }]), null, "a deletion has no place to find")
  assert.equal(undoEdits("b", [{ oldText: "a", newText: "b", replaceAll: true }]), null)
})

test("edit: the whole file while it is still the call's version, else the edit's fragments", async () => {
  const part = editPart([{ oldText: "hello", newText: "hello, world" }])
  const now = { content: "say hello, world\n", version: "v2" }
  assert.deepEqual(await toolDiff(part, async () => now), {
    path: "src/a.ts",
    before: "say hello\n",
    after: "say hello, world\n",
    fidelity: "whole",
  })
  const changedSince = await toolDiff(part, async () => ({ ...now, version: "v3" }))
  assert.deepEqual(changedSince, {
    path: "src/a.ts",
    before: "hello",
    after: "hello, world",
    fidelity: "fragments",
  })
  const gone = await toolDiff(part, async () => {
    throw new Error("FILE_NOT_FOUND")
  })
  assert.equal(gone?.fidelity, "fragments")
})

test("write_file: a created file against empty; a replaced one says its earlier content is unknown", async () => {
  const read = async () => null
  const created = await toolDiff(
    {
      tool: "write_file",
      status: "completed",
      input: { path: "n.txt", content: "new\n" },
      metadata: { changes: [{ path: "n.txt", change: "created" }], version: "v1" },
    },
    read,
  )
  assert.deepEqual(created, { path: "n.txt", before: "", after: "new\n", fidelity: "whole" })
  const replaced = await toolDiff(
    {
      tool: "write_file",
      status: "completed",
      input: { path: "n.txt", content: "newer\n" },
      metadata: { changes: [{ path: "n.txt", change: "updated" }], version: "v2" },
    },
    read,
  )
  assert.equal(replaced?.fidelity, "after-only")
  assert.equal(replaced?.after, "newer\n")
})
