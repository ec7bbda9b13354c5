// The editor's state without a browser: tabs and drafts kept per project, buffers following the file
// (silently when clean, as a conflict when dirty), saves with expectedVersion and the conflict's choices.
// The client is an in-memory file system that checks versions like the server does.
import assert from "node:assert/strict"
import { test } from "node:test"
import type { FileContent, FileEntry } from "@xionimus/protocol"
import { ApiError, type Client, type WriteFileInput } from "@xionimus/sdk"
import { createStore } from "../src/lib/store.ts"
import { draftKey, readDraft, readTabs, tabsKey } from "../src/stores/editor-drafts.ts"
import { createEditor, isDirty } from "../src/stores/editor-store.ts"
import type { FileView } from "../src/stores/file-store.ts"

const projectId = "prj_1"

function memoryStorage(full = false) {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem(key: string, value: string) {
      if (full) throw new DOMException("full", "QuotaExceededError")
      items.set(key, value)
    },
    removeItem: (key: string) => void items.delete(key),
  }
}

/** Files with versions; a write with a stale expectedVersion fails as the server does. */
function memoryFiles(initial: Record<string, string>) {
  let counter = 0
  const files = new Map(
    Object.entries(initial).map(([path, content]) => [path, { content, version: `v${++counter}` }]),
  )
  const writes: WriteFileInput[] = []
  const entry = (path: string): FileEntry => ({
    path,
    name: path,
    type: "file",
    size: files.get(path)!.content.length,
    modifiedAt: "2026-01-01T00:00:00.000Z",
    version: files.get(path)!.version,
  })
  const client: Pick<Client, "readFile" | "writeFile"> = {
    async readFile(_project, path) {
      const file = files.get(path)
      if (!file) throw new ApiError("FILE_NOT_FOUND", "No such file", { status: 404 })
      return { entry: entry(path), encoding: "utf8", content: file.content }
    },
    async writeFile(_project, input) {
      writes.push(input)
      const file = files.get(input.path)
      if (input.expectedVersion !== undefined) {
        const ok = input.expectedVersion === null ? !file : file?.version === input.expectedVersion
        if (!ok) throw new ApiError("VERSION_CONFLICT", "The file changed since you read it", { status: 409 })
      }
      files.set(input.path, { content: input.content, version: `v${++counter}` })
      return entry(input.path)
    },
  }
  /** Someone else changes the file (the agent, another tab). */
  const change = (path: string, content: string) => files.set(path, { content, version: `v${++counter}` })
  const content = (path: string): FileContent => ({
    entry: entry(path),
    encoding: "utf8",
    content: files.get(path)!.content,
  })
  return { client, files, writes, change, content }
}

function setup(initial: Record<string, string>, storage = memoryStorage()) {
  const fs = memoryFiles(initial)
  const viewer = createStore<FileView>({ kind: "none" })
  const editor = createEditor({ client: fs.client, projectId, viewer, storage })
  /** What the file viewer does when a file is opened or reloaded after a file.changed event. */
  const open = (path: string) => {
    editor.show(path)
    viewer.set({ kind: "text", path, content: fs.content(path) })
  }
  return { fs, viewer, editor, open, storage, buffer: (path: string) => editor.state.get().buffers[path]! }
}

test("tabs: opened in order, kept per project, closing picks the neighbour", () => {
  const storage = memoryStorage()
  const { editor, open } = setup({ "a.ts": "a", "b.ts": "b", "c.ts": "c" }, storage)
  open("a.ts")
  open("b.ts")
  open("c.ts")
  open("b.ts")
  assert.deepEqual(editor.state.get().tabs, ["a.ts", "b.ts", "c.ts"])
  assert.equal(editor.state.get().active, "b.ts")
  assert.deepEqual(readTabs(storage, projectId), { tabs: ["a.ts", "b.ts", "c.ts"], active: "b.ts" })
  assert.deepEqual(readTabs(storage, "prj_other"), { tabs: [], active: null }, "another project has its own")

  assert.equal(editor.close("b.ts"), "c.ts", "the tab to the right takes its place")
  assert.equal(editor.close("c.ts"), "a.ts", "the last tab hands over to the left")
  assert.equal(editor.close("a.ts"), null)
  assert.equal(storage.items.has(tabsKey(projectId)), false, "no tabs, nothing kept")

  // A reload: a new editor over the same storage starts with the kept tabs.
  const again = setup({ "a.ts": "a", "b.ts": "b" }, storage)
  again.open("a.ts")
  again.open("b.ts")
  const reloaded = createEditor({ client: again.fs.client, projectId, storage })
  assert.deepEqual(reloaded.state.get().tabs, ["a.ts", "b.ts"])
  assert.equal(reloaded.state.get().active, "b.ts")
})

test("drafts: every edit is kept, restored after a reload and said so; saving drops it", async () => {
  const storage = memoryStorage()
  const first = setup({ "a.ts": "one\n" }, storage)
  first.open("a.ts")
  assert.equal(isDirty(first.buffer("a.ts")), false)
  first.editor.edit("a.ts", "one\ntwo\n")
  assert.equal(isDirty(first.buffer("a.ts")), true)
  assert.deepEqual(readDraft(storage, projectId, "a.ts"), { text: "one\ntwo\n", version: "v1" })
  first.editor.edit("a.ts", "one\n")
  assert.equal(readDraft(storage, projectId, "a.ts"), null, "typing back to the saved text drops the draft")
  first.editor.edit("a.ts", "one\ntwo\n")
  first.editor.dispose()

  // Reload: the same file version, so the draft comes back as a plain unsaved buffer.
  const viewer = createStore<FileView>({ kind: "none" })
  const editor = createEditor({ client: first.fs.client, projectId, viewer, storage })
  viewer.set({ kind: "text", path: "a.ts", content: first.fs.content("a.ts") })
  const restored = editor.state.get().buffers["a.ts"]!
  assert.equal(restored.text, "one\ntwo\n")
  assert.equal(restored.base, "one\n")
  assert.equal(restored.restored, true)
  assert.equal(restored.conflict, null)

  assert.equal(await editor.save("a.ts"), true)
  assert.equal(first.fs.files.get("a.ts")!.content, "one\ntwo\n")
  assert.equal(first.fs.writes.at(-1)!.expectedVersion, "v1", "the save names the version it is based on")
  assert.equal(readDraft(storage, projectId, "a.ts"), null)
  assert.equal(editor.state.get().buffers["a.ts"]!.restored, false)
  assert.equal(isDirty(editor.state.get().buffers["a.ts"]), false)
})

test("a draft whose file changed while the browser was away comes back as a conflict", () => {
  const storage = memoryStorage()
  storage.setItem(draftKey(projectId, "a.ts"), JSON.stringify({ text: "mine", version: "v0" }))
  const { buffer, open } = setup({ "a.ts": "theirs" }, storage)
  open("a.ts")
  assert.equal(buffer("a.ts").text, "mine")
  assert.equal(buffer("a.ts").base, "theirs")
  assert.equal(buffer("a.ts").conflict, "changed")
})

test("the file changes underneath: a clean buffer follows silently, a dirty one shows the conflict", () => {
  const { fs, editor, open, buffer } = setup({ "a.ts": "v1 text", "b.ts": "b" })
  open("a.ts")
  fs.change("a.ts", "agent text")
  open("a.ts")
  assert.equal(buffer("a.ts").text, "agent text")
  assert.equal(buffer("a.ts").conflict, null)

  editor.edit("a.ts", "my text")
  fs.change("a.ts", "agent again")
  open("a.ts")
  assert.equal(buffer("a.ts").text, "my text", "nothing typed is lost")
  assert.equal(buffer("a.ts").base, "agent again", "their text is what compare shows")
  assert.equal(buffer("a.ts").conflict, "changed")

  // The same change arriving twice (the viewer reloads) changes nothing.
  const before = buffer("a.ts")
  open("a.ts")
  assert.equal(buffer("a.ts"), before)

  // A change that makes the file equal to my text simply resolves it.
  fs.change("a.ts", "my text")
  open("a.ts")
  assert.equal(buffer("a.ts").conflict, null)
  assert.equal(isDirty(buffer("a.ts")), false)
})

test("save: a refused save (VERSION_CONFLICT) keeps my text and offers theirs, overwrite or compare", async () => {
  const { fs, editor, open, buffer } = setup({ "a.ts": "base" })
  open("a.ts")
  editor.edit("a.ts", "mine")
  fs.change("a.ts", "theirs") // not seen by the editor yet (no event)
  assert.equal(await editor.save("a.ts"), false)
  assert.equal(buffer("a.ts").conflict, "save")
  assert.equal(buffer("a.ts").text, "mine")
  assert.equal(buffer("a.ts").base, "theirs")
  assert.equal(fs.files.get("a.ts")!.content, "theirs", "nothing was written")
  assert.equal(await editor.save("a.ts"), false, "a plain save does not resolve a conflict")

  // Overwrite writes exactly over the version seen (not blindly).
  const seen = buffer("a.ts").version
  assert.equal(await editor.overwrite("a.ts"), true)
  assert.equal(fs.writes.at(-1)!.expectedVersion, seen)
  assert.equal(fs.files.get("a.ts")!.content, "mine")
  assert.equal(buffer("a.ts").conflict, null)

  // Reload theirs: my changes go, the buffer is theirs and clean.
  editor.edit("a.ts", "mine again")
  fs.change("a.ts", "theirs again")
  await editor.save("a.ts")
  editor.takeTheirs("a.ts")
  assert.equal(buffer("a.ts").text, "theirs again")
  assert.equal(buffer("a.ts").conflict, null)
  assert.equal(isDirty(buffer("a.ts")), false)
})

test("our own save seen through the stream before its answer is not a conflict", async () => {
  const { fs, editor, open, buffer } = setup({ "a.ts": "base" })
  open("a.ts")
  editor.edit("a.ts", "mine")
  const saving = editor.save("a.ts")
  assert.equal(buffer("a.ts").saving, true)
  editor.edit("a.ts", "mine, and more typed while saving")
  open("a.ts") // the file.changed event of our own write, read before the PUT answered
  assert.equal(buffer("a.ts").conflict, null)
  assert.equal(buffer("a.ts").base, "mine")
  assert.equal(await saving, true)
  assert.equal(buffer("a.ts").version, fs.files.get("a.ts")!.version)
  assert.equal(buffer("a.ts").text, "mine, and more typed while saving")
  assert.equal(isDirty(buffer("a.ts")), true, "what was typed after the save is still unsaved")
})

test("deleted underneath: a clean buffer goes, unsaved changes stay and can recreate the file", async () => {
  const { fs, viewer, editor, open, buffer } = setup({ "a.ts": "a", "b.ts": "b" })
  open("a.ts")
  viewer.set({ kind: "deleted", path: "a.ts" })
  assert.equal(editor.state.get().buffers["a.ts"], undefined)

  open("b.ts")
  editor.edit("b.ts", "b, edited")
  fs.files.delete("b.ts")
  viewer.set({ kind: "deleted", path: "b.ts" })
  assert.equal(buffer("b.ts").conflict, "deleted")
  assert.equal(buffer("b.ts").text, "b, edited")
  assert.equal(await editor.overwrite("b.ts"), true)
  assert.equal(fs.writes.at(-1)!.expectedVersion, null, "recreate: the file must not exist yet")
  assert.equal(fs.files.get("b.ts")!.content, "b, edited")
})

test("a save that fails for another reason keeps the text and the error; storage full is reported", async () => {
  const storage = memoryStorage(true)
  const { fs, editor, open, buffer } = setup({ "a.ts": "a" }, storage)
  fs.client.writeFile = async () => {
    throw new ApiError("QUOTA_EXCEEDED", "The project is full", { status: 413 })
  }
  open("a.ts")
  editor.edit("a.ts", "a, edited")
  assert.equal(editor.state.get().storageFull, true)
  assert.equal(await editor.save("a.ts"), false)
  assert.equal(buffer("a.ts").error?.code, "QUOTA_EXCEEDED")
  assert.equal(buffer("a.ts").text, "a, edited")
  assert.equal(buffer("a.ts").saving, false)
})
