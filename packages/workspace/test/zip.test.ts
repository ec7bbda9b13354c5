import assert from "node:assert/strict"
import { randomBytes } from "node:crypto"
import { mkdir, readdir, readlink, stat, symlink, writeFile } from "node:fs/promises"
import { join } from "node:path"
import type { Readable } from "node:stream"
import { test } from "node:test"
import { strToU8, unzipSync, type Zippable, zipSync } from "fflate"
import { createFixture, rejectsWith, treeOf } from "./workspace-fixture.ts"

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

test("zip() streams the project without .git, symlinks or temp files", async () => {
  await using fixture = await createFixture()
  const { files, workspace } = fixture
  const large = randomBytes(300 * 1024)
  await files.writeMany([
    { path: "README.md", content: strToU8("# hello") },
    { path: "src/main.ts", content: strToU8("export {}") },
    { path: "assets/blob.bin", content: large },
  ])
  await files.create("empty/inner", "directory")
  await mkdir(join(workspace, ".git/objects"), { recursive: true })
  await writeFile(join(workspace, ".git/config"), "[core]\n")
  await mkdir(join(workspace, "vendor/lib/.git"), { recursive: true })
  await writeFile(join(workspace, "vendor/lib/.git/HEAD"), "ref: x\n")
  await writeFile(join(workspace, "vendor/lib/index.js"), "1")
  await writeFile(join(workspace, ".gitignore"), "node_modules\n")
  await writeFile(join(workspace, ".abc.xionimus-tmp"), "half-written")
  await symlink("/etc/passwd", join(workspace, "evil"))
  const archive = await collect(files.zip())
  const entries = unzipSync(archive)
  assert.deepEqual(Object.keys(entries).sort(), [
    ".gitignore",
    "README.md",
    "assets/blob.bin",
    "empty/inner/",
    "src/main.ts",
    "vendor/lib/index.js",
  ])
  assert.deepEqual(Buffer.from(entries["assets/blob.bin"]!), large)
  assert.equal(Buffer.from(entries["README.md"]!).toString(), "# hello")
})

test("a zip exported from one project imports into another unchanged", async () => {
  await using fixture = await createFixture()
  const { files, manager } = fixture
  await files.writeMany([
    { path: "a.txt", content: strToU8("alpha") },
    { path: "deep/er/b.txt", content: strToU8("beta") },
  ])
  await files.create("empty", "directory")
  const progress: string[] = []
  await manager.create("prj_copy", { kind: "zip", data: await collect(files.zip()) }, (event) => {
    progress.push(event.phase)
  })
  const copy = manager.files("prj_copy")
  assert.equal((await copy.read("deep/er/b.txt")).content.toString(), "beta")
  assert.equal((await copy.stat("empty")).type, "directory")
  assert.ok(progress.includes("extracting"))
  assert.equal(progress.at(-1), "done")
})

test("one shared top-level folder is stripped; executable bits survive", async () => {
  await using fixture = await createFixture()
  const { manager, directory } = fixture
  const data = zipSync({
    "repo-main/": [new Uint8Array(0), {}],
    "repo-main/package.json": strToU8("{}"),
    "repo-main/bin/run.sh": [strToU8("#!/bin/sh\n"), { os: 3, attrs: (0o100755 << 16) >>> 0 }],
    "__MACOSX/repo-main/._package.json": strToU8("junk"),
    "repo-main/.git/config": strToU8("[core]\n\tfsmonitor = touch /tmp/pwned\n"),
    "repo-main/vendor/.git/hooks/post-checkout": strToU8("#!/bin/sh\n"),
  })
  await manager.create("prj_zip", { kind: "zip", data })
  const workspace = join(directory, "workspaces", "prj_zip")
  assert.deepEqual(await treeOf(workspace), ["bin/", "bin/run.sh", "package.json"])
  assert.equal((await stat(join(workspace, "bin/run.sh"))).mode & 0o777, 0o755)
  const mixed = zipSync({ "one/a.txt": strToU8("a"), "two/b.txt": strToU8("b") })
  await manager.create("prj_mixed", { kind: "zip", data: mixed })
  assert.deepEqual(await treeOf(join(directory, "workspaces", "prj_mixed")), [
    "one/",
    "one/a.txt",
    "two/",
    "two/b.txt",
  ])
})

const hostile: [string, Zippable, string][] = [
  ["a '..' entry (zip slip)", { "ok.txt": strToU8("ok"), "../../escape.txt": strToU8("x") }, "ZIP_INVALID"],
  ["a nested '..' entry", { "a/../../escape.txt": strToU8("x") }, "ZIP_INVALID"],
  ["an absolute entry", { "/tmp/escape.txt": strToU8("x") }, "ZIP_INVALID"],
  ["a drive-letter entry", { "C:/escape.txt": strToU8("x") }, "ZIP_INVALID"],
  ["a backslash entry", { "..\\escape.txt": strToU8("x") }, "ZIP_INVALID"],
  [
    "a symlink entry",
    { link: [strToU8("/etc/passwd"), { os: 3, attrs: (0o120777 << 16) >>> 0 }] },
    "ZIP_INVALID",
  ],
  ["a file and a folder of one name", { a: strToU8("x"), "a/b": strToU8("y") }, "ZIP_INVALID"],
  [
    "too many files",
    { a: strToU8("1"), b: strToU8("2"), c: strToU8("3"), d: strToU8("4") },
    "UPLOAD_TOO_LARGE",
  ],
  [
    "more bytes than an upload may hold",
    { a: new Uint8Array(400), b: new Uint8Array(400), c: new Uint8Array(400) },
    "UPLOAD_TOO_LARGE",
  ],
  ["a file over the per-file limit", { a: new Uint8Array(501) }, "FILE_TOO_LARGE"],
]

for (const [why, content, code] of hostile) {
  test(`a zip with ${why} is refused and leaves nothing behind`, async () => {
    await using fixture = await createFixture({ maxUploadFiles: 3, maxFileBytes: 500, maxUploadBytes: 1000 })
    const { manager, directory } = fixture
    await rejectsWith(manager.create("prj_bad", { kind: "zip", data: zipSync(content) }), code)
    assert.equal(await manager.exists("prj_bad"), false)
    assert.deepEqual(await readdir(join(directory, "workspaces")), [".staging", "prj_test"])
    assert.deepEqual(await readdir(join(directory, "workspaces", ".staging")), [])
    assert.deepEqual(await readdir(directory), ["workspaces"])
  })
}

test("a zip bomb that understates its size is refused", async () => {
  await using fixture = await createFixture()
  const data = zipSync({ "bomb.bin": new Uint8Array(5 * 1024 * 1024) }, { level: 9 })
  assert.ok(data.byteLength < 64 * 1024)
  // Patch the declared size in the central directory (offset 24 of its only entry) down to 1 KiB.
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const end = data.byteLength - 22
  const central = view.getUint32(end + 16, true)
  assert.equal(view.getUint32(central, true), 0x02014b50)
  view.setUint32(central + 24, 1024, true)
  await rejectsWith(fixture.manager.create("prj_bomb", { kind: "zip", data }), "ZIP_INVALID")
  assert.equal(await fixture.manager.exists("prj_bomb"), false)
})

test("an archive that is not a zip, or is damaged, is ZIP_INVALID", async () => {
  await using fixture = await createFixture()
  await rejectsWith(
    fixture.manager.create("prj_junk", { kind: "zip", data: randomBytes(1000) }),
    "ZIP_INVALID",
  )
  const good = zipSync({
    "a.txt": strToU8("some text that is long enough to be deflated, deflated, deflated"),
  })
  const damaged = Uint8Array.from(good)
  damaged[40] = (damaged[40]! + 1) & 0xff
  await rejectsWith(fixture.manager.create("prj_damaged", { kind: "zip", data: damaged }), "ZIP_INVALID")
})

test("an archive larger than an upload may be is refused before it is read", async () => {
  await using fixture = await createFixture({ maxUploadBytes: 1000 })
  const data = zipSync({ "noise.bin": randomBytes(2000) })
  await rejectsWith(fixture.manager.create("prj_large", { kind: "zip", data }), "UPLOAD_TOO_LARGE")
})

test("a zip stream destroyed halfway closes the file it was reading", async () => {
  await using fixture = await createFixture({ maxFileBytes: 4 * 1024 * 1024 })
  const { files, workspace } = fixture
  await files.write("large.bin", randomBytes(2 * 1024 * 1024))
  const stream = files.zip()
  let received = 0
  for await (const chunk of stream) {
    received += (chunk as Buffer).length
    if (received > 64 * 1024) break // for-await's break destroys the stream
  }
  assert.equal(stream.destroyed, true)
  await new Promise((resolve) => setImmediate(resolve))
  const open: string[] = []
  for (const fd of await readdir("/proc/self/fd")) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => "")
    if (target.startsWith(workspace)) open.push(target)
  }
  assert.deepEqual(open, [])
})

test("zip() of a project without a workspace fails as a stream error", async () => {
  await using fixture = await createFixture()
  await rejectsWith(collect(fixture.manager.files("prj_absent").zip()), "PROJECT_NOT_FOUND")
})

test("a project whose root holds a single folder survives export and import with a top-level folder", async () => {
  await using fixture = await createFixture()
  const { manager, files } = fixture
  await files.create("src/main.ts", "file", Buffer.from("export {}\n"))
  const archive = await collect(files.zip({ folder: "My-Project" }))
  await manager.create("prj_single_copy", { kind: "zip", data: archive })
  const copy = manager.files("prj_single_copy")
  assert.equal((await copy.read("src/main.ts")).content.toString(), "export {}\n")
  assert.deepEqual(
    (await copy.list("", { limit: 10 })).entries.map((entry) => entry.path),
    ["src"],
  )
})
