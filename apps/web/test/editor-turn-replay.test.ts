// Rebuilding a file as it was before an agent's call: real `git diff` output (as the rewind preview sends
// it: from now back to the turn's checkpoint) applied to the file now, and the turn's calls replayed.
import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import type { SessionState } from "@xionimus/protocol"
import { toolDiff } from "../src/stores/tool-diff.ts"
import { applyGitPatch, applyToolEdits, turnOf } from "../src/stores/turn-replay.ts"

const long = Array.from({ length: 40 }, (_, index) => `line ${index + 1}`).join("\n")

/** Commits `before`, then `after` (null: the file absent), and answers `git diff after before`. */
async function patchBack(files: {
  before: Record<string, string | null>
  after: Record<string, string | null>
}) {
  const dir = await mkdtemp(join(tmpdir(), "xionimus-replay-"))
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "core.autocrlf=false", ...args], {
      cwd: dir,
      encoding: "utf8",
    })
  const put = async (state: Record<string, string | null>) => {
    for (const [path, content] of Object.entries(state)) {
      if (content === null) await unlink(join(dir, path)).catch(() => {})
      else await writeFile(join(dir, path), content)
    }
    git("add", "--all")
    git("commit", "--allow-empty", "-qm", "state")
  }
  try {
    git("init", "-q")
    await put(files.before)
    await put(files.after)
    return git("diff", "--no-ext-diff", "--no-textconv", "--no-renames", "--no-color", "HEAD", "HEAD~1", "--")
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

test("applyGitPatch takes the file back to the turn's start, for every shape of change", async () => {
  const cases: [string, string | null, string | null][] = [
    [
      "two hunks far apart",
      long,
      long.replace("line 3\n", "line three\n").replace("line 38", "line 38, changed"),
    ],
    ["no newline at the end, before", "a\nb", "a\nb\nc\n"],
    ["no newline at the end, after", "a\nb\n", "a\nB"],
    ["CRLF", "one\r\ntwo\r\n", "one\r\n2\r\n"],
    ["created in the turn", null, "new\nfile\n"],
    ["deleted in the turn", "gone\n", null],
    ["emptied", "x\n", ""],
  ]
  for (const [name, before, after] of cases) {
    const patch = await patchBack({
      before: { "f.txt": before, "other.txt": "o" },
      after: { "f.txt": after, "other.txt": "p" },
    })
    assert.equal(applyGitPatch(after ?? "", patch, "f.txt"), before ?? "", name)
    assert.equal(
      applyGitPatch("o", patch.replace(/^diff --git a\/f\.txt[\s\S]*?(?=^diff --git)/m, ""), "f.txt"),
      null,
    )
  }
  const patch = await patchBack({ before: { "f.txt": "a\nb\n" }, after: { "f.txt": "a\nc\n" } })
  assert.equal(applyGitPatch("a\nsomething else\n", patch, "f.txt"), null, "a context that does not match")
  assert.equal(applyGitPatch("a\nc\n", patch.slice(0, patch.lastIndexOf("+b")), "f.txt"), null, "a cut hunk")
})

test("applyToolEdits replays the edit tool's rule and refuses where the tool would", () => {
  assert.equal(applyToolEdits("a b a", [{ oldText: "b", newText: "c" }]), "a c a")
  assert.equal(applyToolEdits("a b a", [{ oldText: "a", newText: "x", replaceAll: true }]), "x b x")
  assert.equal(applyToolEdits("a b a", [{ oldText: "a", newText: "x" }]), null, "ambiguous")
  assert.equal(applyToolEdits("x\r\ny\r\n", [{ oldText: "x\ny", newText: "x\nz" }]), "x\r\nz\r\n")
})

const tool = (callId: string, name: string, input: unknown) => ({
  type: "tool" as const,
  callId,
  tool: name,
  input,
  status: "completed" as const,
  liveOutput: "",
})

function sessionState(
  parts: ReturnType<typeof tool>[],
  changedBy: string[],
): Pick<SessionState, "allMessages" | "checkpoints"> {
  return {
    allMessages: [
      { role: "user", id: "msg_u1", seq: 1, text: "go", queued: false, authorId: null, time: "" },
      {
        role: "assistant",
        id: "msg_a1",
        seq: 2,
        turnId: "trn_1",
        model: "m",
        parts: parts.slice(0, 1),
        time: "",
      },
      {
        role: "assistant",
        id: "msg_a2",
        seq: 3,
        turnId: "trn_1",
        model: "m",
        parts: parts.slice(1),
        time: "",
      },
    ],
    checkpoints: [
      { seq: 1, messageId: "msg_u1", checkpointId: "c0", changed: false },
      ...changedBy.map((callId, index) => ({
        seq: index + 2,
        messageId: "msg_u1",
        callId,
        checkpointId: `c${index + 1}`,
        changed: true,
      })),
    ],
  }
}

test("a call's before: the turn's start with the earlier calls replayed; a command in between gives up", async () => {
  const write = tool("call_w", "write_file", { path: "a.txt", content: "one\ntwo\n" })
  const edit = tool("call_e", "edit", { path: "a.txt", edits: [{ oldText: "two", newText: "2" }] })
  const state = sessionState([write, edit], ["call_w", "call_e"])
  const turn = turnOf(state, "call_e")
  assert.equal(turn?.messageId, "msg_u1")
  assert.deepEqual(
    turn?.earlier?.map((part) => part.callId),
    ["call_w"],
  )

  const atTurnStart = async () => "zero\n"
  const diff = await toolDiff({ ...edit, metadata: {} }, async () => null, {
    earlier: turn!.earlier,
    atTurnStart,
  })
  assert.deepEqual(diff, { path: "a.txt", before: "one\ntwo\n", after: "one\n2\n", fidelity: "whole" })
  const first = await toolDiff({ ...write, metadata: {} }, async () => null, { earlier: [], atTurnStart })
  assert.deepEqual(first, { path: "a.txt", before: "zero\n", after: "one\ntwo\n", fidelity: "whole" })

  const run = tool("call_r", "run", { command: "sed -i s/one/1/ a.txt" })
  const withCommand = sessionState([run, edit], ["call_r", "call_e"])
  assert.equal(turnOf(withCommand, "call_e")?.earlier, null)
  const unknown = await toolDiff({ ...edit, metadata: {} }, async () => null, { earlier: null, atTurnStart })
  assert.equal(unknown?.fidelity, "fragments")
  assert.equal(
    turnOf(sessionState([write], []), "call_w"),
    null,
    "no checkpoint of the call: no turn to read",
  )
})
