// Attack: a program in the sandbox plants symlinks and hard links in the workspace, then the server's own
// file API (what routes and tools use) is asked to read or write through them. The host must not follow them.
import assert from "node:assert/strict"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { createBubblewrapProvider, type Sandbox, type SandboxProvider } from "@xionimus/sandbox"
import { createWorkspaceManager, type ProjectFiles } from "@xionimus/workspace"

describe("sandbox + workspace: links planted by a run are not followed by the host", () => {
  let root: string
  let provider: SandboxProvider
  let sandbox: Sandbox
  let files: ProjectFiles
  let outside: string
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "xionimus-file-safety-"))
    outside = join(root, "outside-secret.txt")
    await writeFile(outside, "host-secret")
    const workspaces = createWorkspaceManager({
      root: join(root, "workspaces"),
      limits: { maxFileBytes: 1 << 20, maxUploadBytes: 1 << 20, maxUploadFiles: 10 },
    })
    await workspaces.create("prj_attack", { kind: "empty" })
    files = workspaces.files("prj_attack")
    provider = await createBubblewrapProvider({ cgroups: false })
    sandbox = await provider.create({
      projectId: "prj_attack",
      workspaceDir: join(root, "workspaces", "prj_attack"),
    })
    const planted = await sandbox.exec({
      command: {
        shell: [
          "ln -s /etc/shadow shadow",
          `ln -s ${outside} secret`,
          "ln -s /etc etc-dir",
          `ln -s ${root} data-dir`,
          "ln -s ../../outside-secret.txt relative",
        ].join(" && "),
      },
    })
    assert.equal(planted.exitCode, 0)
  })
  after(async () => {
    await provider?.dispose()
    await rm(root, { recursive: true, force: true })
  })

  for (const path of ["shadow", "secret", "etc-dir/passwd", "data-dir/outside-secret.txt", "relative"]) {
    it(`refuses to read ${path}`, async () => {
      await assert.rejects(files.read(path), { code: "PATH_OUTSIDE_WORKSPACE" })
    })
  }

  it("refuses to write through a planted link, and the target is unchanged", async () => {
    await assert.rejects(files.write("secret", Buffer.from("overwritten")), {
      code: "PATH_OUTSIDE_WORKSPACE",
    })
    await assert.rejects(files.write("data-dir/new.txt", Buffer.from("x")), {
      code: "PATH_OUTSIDE_WORKSPACE",
    })
    assert.equal(await readFile(outside, "utf8"), "host-secret")
  })

  it("a hard link to a host file cannot be made from inside", async () => {
    const run = await sandbox.exec({
      command: { shell: `ln ${outside} hard 2>/dev/null || ln /etc/passwd hard2` },
    })
    assert.notEqual(run.exitCode, 0)
    await assert.rejects(files.read("hard"), { code: "FILE_NOT_FOUND" })
  })
})
