// The tree store's operations over a scripted client: create, rename/move, delete update the loaded tree
// at once (before any live event), the inline field opens the folder it names, and names are checked.
import assert from "node:assert/strict"
import { test } from "node:test"
import type { FileEntry } from "@xionimus/protocol"
import { ApiError, type Client } from "@xionimus/sdk"
import { createTree, isWithin, joinPath, nameProblem } from "../src/stores/tree-store.ts"

function entry(path: string, type: "file" | "directory" = "file"): FileEntry {
  return {
    path,
    name: path.slice(path.lastIndexOf("/") + 1),
    type,
    size: 0,
    modifiedAt: "2026-01-01T00:00:00.000Z",
    version: "v1",
  } as FileEntry
}

/** A client over an in-memory listing; records the changes it was asked for. */
function scriptedClient(listing: Record<string, FileEntry[]>) {
  const calls: string[] = []
  const client = {
    async tree(_projectId: string, { path = "" }: { path?: string } = {}) {
      return { items: listing[path] ?? [], nextCursor: null, path }
    },
    async createEntry(_projectId: string, input: { path: string; type: "file" | "directory" }) {
      calls.push(`create ${input.type} ${input.path}`)
      if ((listing[""] ?? []).some((item) => item.path === input.path))
        throw new ApiError("FILE_EXISTS", "taken", { status: 409 })
      return entry(input.path, input.type)
    },
    async move(_projectId: string, input: { from: string; to: string; overwrite?: boolean }) {
      calls.push(`move ${input.from} → ${input.to} overwrite=${input.overwrite}`)
      return entry(input.to)
    },
    async remove(_projectId: string, path: string) {
      calls.push(`remove ${path}`)
    },
  } as unknown as Client
  return { client, calls }
}

async function settled(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++)
    await new Promise((resolve) => setTimeout(resolve, 5))
  assert.ok(condition(), "the tree settled")
}

test("names: empty, with a slash or a backslash, dots; paths joined; a folder contains itself and what is below", () => {
  assert.equal(nameProblem("  "), "empty")
  assert.equal(nameProblem("a/b"), "slash")
  assert.equal(nameProblem("a\\b"), "slash")
  assert.equal(nameProblem(".."), "dots")
  assert.equal(nameProblem(" notes.md "), null)
  assert.equal(joinPath("", "a.txt"), "a.txt")
  assert.equal(joinPath("src/lib", "a.txt"), "src/lib/a.txt")
  assert.ok(isWithin("src", "src"))
  assert.ok(isWithin("src/lib/a.ts", "src"))
  assert.ok(!isWithin("srcs/a.ts", "src"))
})

test("move and delete take the entry out of its folder at once; create asks without overwriting", async () => {
  const { client, calls } = scriptedClient({
    "": [entry("src", "directory"), entry("a.txt"), entry("b.txt")],
    src: [entry("src/c.ts")],
  })
  const tree = createTree(client, "prj_1")
  await settled(() => tree.state.get().directories[""]?.loaded === true)
  const rootPaths = () => tree.state.get().directories[""]!.entries.map((item) => item.path)

  await tree.move("a.txt", "src/a.txt")
  assert.deepEqual(rootPaths(), ["src", "b.txt"])
  await tree.remove("b.txt")
  assert.deepEqual(rootPaths(), ["src"])
  await tree.create("", "new.md", "file")
  await assert.rejects(tree.create("", "src", "directory"), { code: "FILE_EXISTS" })
  assert.deepEqual(calls, [
    "move a.txt → src/a.txt overwrite=false",
    "remove b.txt",
    "create file new.md",
    "create directory src",
  ])
  tree.dispose()
})

test("a new entry's field opens the folders down to where it goes; a deleted folder is forgotten", async () => {
  const { client } = scriptedClient({
    "": [entry("src", "directory")],
    src: [entry("src/lib", "directory")],
    "src/lib": [],
  })
  const tree = createTree(client, "prj_1")
  tree.edit({ kind: "create", parent: "src/lib", type: "file" })
  assert.deepEqual(tree.state.get().editing, { kind: "create", parent: "src/lib", type: "file" })
  assert.equal(tree.state.get().expanded.src, true)
  assert.equal(tree.state.get().expanded["src/lib"], true)
  await settled(() => tree.state.get().directories["src/lib"]?.loaded === true)
  tree.edit(null)
  assert.equal(tree.state.get().editing, null)

  await tree.remove("src")
  assert.equal(tree.state.get().directories.src, undefined)
  assert.equal(tree.state.get().directories["src/lib"], undefined)
  assert.equal(tree.state.get().expanded["src/lib"], undefined)
  tree.dispose()
})
