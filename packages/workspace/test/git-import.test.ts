import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { PassThrough } from "node:stream"
import { test } from "node:test"
import { createLogger } from "@xionimus/kit"
import { createWorkspaceManager } from "../src/index.ts"
import type { ProgressEvent } from "../src/types.ts"
import { startGitHttpServer } from "./git-http-server.ts"
import { createFixture, defaultLimits, rejectsWith, treeOf } from "./workspace-fixture.ts"

const token = "s3cret-Token-0123456789"
const user = "alice"

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  })
}

/** A bare repository `repos/project.git` with a main branch, a `feature` branch and a `v1` tag. */
async function makeRepository(directory: string): Promise<string> {
  const source = join(directory, "source")
  await mkdir(join(source, "src"), { recursive: true })
  git(directory, "init", "-q", "-b", "main", source)
  await writeFile(join(source, "README.md"), "# project\n")
  await writeFile(join(source, "src", "index.ts"), "export const answer = 42\n")
  git(source, "add", ".")
  git(source, "commit", "-q", "-m", "first")
  git(source, "tag", "v1")
  git(source, "checkout", "-q", "-b", "feature")
  await writeFile(join(source, "feature.txt"), "feature\n")
  git(source, "add", ".")
  git(source, "commit", "-q", "-m", "feature")
  git(source, "checkout", "-q", "main")
  await writeFile(join(source, "README.md"), "# project v2\n")
  git(source, "commit", "-q", "-am", "second")
  const repos = join(directory, "repos")
  await mkdir(repos)
  git(directory, "clone", "-q", "--bare", source, join(repos, "project.git"))
  return repos
}

async function staged(directory: string) {
  return readdir(join(directory, "workspaces", ".staging")).catch(() => [])
}

test("clones a local bare repository over file:// with progress", async () => {
  await using fixture = await createFixture()
  const { manager, directory } = fixture
  const repos = await makeRepository(directory)
  const events: ProgressEvent[] = []
  await manager.create("prj_git", { kind: "git", url: `file://${repos}/project.git` }, (event) =>
    events.push(event),
  )
  const files = manager.files("prj_git")
  assert.equal((await files.read("README.md")).content.toString(), "# project v2\n")
  assert.equal((await files.read("src/index.ts")).content.toString(), "export const answer = 42\n")
  await rejectsWith(files.stat("feature.txt"), "FILE_NOT_FOUND")
  assert.ok(events.some((event) => event.phase === "receiving-objects" && event.ratio === 1))
  assert.ok(events.every((event) => event.ratio === undefined || (event.ratio >= 0 && event.ratio <= 1)))
  assert.equal(events.at(-1)?.phase, "done")
  // The clone is a normal repository the user can work with.
  const workspace = join(directory, "workspaces", "prj_git")
  assert.equal(git(workspace, "status", "--porcelain"), "")
})

test("clones a branch or a tag given as ref", async () => {
  await using fixture = await createFixture()
  const { manager, directory } = fixture
  const repos = await makeRepository(directory)
  await manager.create("prj_feature", { kind: "git", url: `file://${repos}/project.git`, ref: "feature" })
  assert.equal((await manager.files("prj_feature").read("feature.txt")).content.toString(), "feature\n")
  await manager.create("prj_tag", { kind: "git", url: `file://${repos}/project.git`, ref: "v1" })
  assert.equal((await manager.files("prj_tag").read("README.md")).content.toString(), "# project\n")
})

test("a clone that fails leaves no workspace behind", async () => {
  await using fixture = await createFixture()
  const { manager, directory } = fixture
  const repos = await makeRepository(directory)
  const error = await rejectsWith(
    manager.create("prj_noref", { kind: "git", url: `file://${repos}/project.git`, ref: "no-such-branch" }),
    "GIT_CLONE_FAILED",
  )
  assert.match(String((error.details as { stderr: string }).stderr), /no-such-branch/)
  await rejectsWith(
    manager.create("prj_missing", { kind: "git", url: `file://${repos}/missing.git` }),
    "GIT_CLONE_FAILED",
  )
  assert.equal(await manager.exists("prj_noref"), false)
  assert.equal(await manager.exists("prj_missing"), false)
  assert.deepEqual(await staged(directory), [])
  await rejectsWith(
    manager.create("prj_badref", {
      kind: "git",
      url: `file://${repos}/project.git`,
      ref: "--upload-pack=touch",
    }),
    "VALIDATION_FAILED",
  )
})

const refusedUrls = [
  "ext::sh -c touch% /tmp/pwned",
  "fd::17",
  "ftp://example.com/repo.git",
  "git@github.com:owner/repo.git",
  "--upload-pack=touch /tmp/pwned",
  "not a url",
  "ssh://user:password@example.com/repo.git",
  "javascript:alert(1)",
  "ssh://-oProxyCommand=touch%20%2Ftmp%2Fpwned/repo.git",
  "ssh://-oProxyCommand=x@example.com/repo.git",
]

for (const url of refusedUrls) {
  test(`refuses the git URL ${JSON.stringify(url)}`, async () => {
    await using fixture = await createFixture()
    await rejectsWith(fixture.manager.create("prj_url", { kind: "git", url }), "GIT_URL_INVALID")
    assert.equal(await fixture.manager.exists("prj_url"), false)
  })
}

test("clones over HTTP with a token that never lands in .git/config or the logs", async () => {
  await using fixture = await createFixture()
  const { directory } = fixture
  const repos = await makeRepository(directory)
  const server = await startGitHttpServer({ projectRoot: repos, user, password: token })
  const logStream = new PassThrough()
  const logLines: string[] = []
  logStream.on("data", (chunk: Buffer) => logLines.push(chunk.toString()))
  const manager = createWorkspaceManager({
    root: join(directory, "workspaces"),
    limits: defaultLimits,
    logger: createLogger({ level: "debug", destination: logStream }),
  })
  try {
    const url = `${server.url}project.git`
    const basic = Buffer.from(`${user}:${token}`).toString("base64")

    const missing = await rejectsWith(
      manager.create("prj_anonymous", { kind: "git", url }),
      "GIT_CLONE_FAILED",
    )
    assert.equal(await manager.exists("prj_anonymous"), false)
    const wrong = await rejectsWith(
      manager.create("prj_wrong", {
        kind: "git",
        url: url.replace("http://", `http://${user}@`),
        token: "wrong-token-xyz",
      }),
      "GIT_CLONE_FAILED",
    )
    assert.doesNotMatch(JSON.stringify({ ...wrong.toJSON(), missing: missing.toJSON() }), /wrong-token-xyz/)

    await manager.create("prj_http", { kind: "git", url: url.replace("http://", `http://${user}@`), token })
    assert.equal((await manager.files("prj_http").read("README.md")).content.toString(), "# project v2\n")
    assert.ok(server.authorizations.includes(`Basic ${basic}`))

    // Credentials written into the URL are split off the same way.
    await manager.create("prj_userinfo", {
      kind: "git",
      url: url.replace("http://", `http://${user}:${token}@`),
    })

    for (const project of ["prj_http", "prj_userinfo"]) {
      const workspace = join(directory, "workspaces", project)
      const config = await readFile(join(workspace, ".git", "config"), "utf8")
      assert.doesNotMatch(config, new RegExp(token))
      assert.doesNotMatch(config, new RegExp(basic))
      assert.doesNotMatch(config, /extraheader|authorization|alice@/i)
      assert.equal(git(workspace, "config", "remote.origin.url").trim(), url)
      const everything = (await treeOf(join(workspace, ".git"))).filter((path) => !path.endsWith("/"))
      for (const path of everything) {
        const content = await readFile(join(workspace, ".git", path))
        assert.equal(content.includes(token), false, `.git/${path} holds the token`)
      }
    }
    assert.ok(logLines.length > 0)
    assert.doesNotMatch(logLines.join(""), new RegExp(`${token}|${basic}`))
  } finally {
    await server.close()
  }
})

test("a clone that hangs is killed at the timeout, and an abort stops it too", async () => {
  await using fixture = await createFixture()
  const { directory } = fixture
  // Accepts connections and never answers.
  const server = createServer(() => {})
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}/stuck.git`
  try {
    const manager = createWorkspaceManager({
      root: join(directory, "workspaces"),
      limits: defaultLimits,
      gitTimeoutMs: 500,
    })
    const timedOut = await rejectsWith(manager.create("prj_stuck", { kind: "git", url }), "GIT_CLONE_FAILED")
    assert.match(timedOut.message, /longer than/)
    const patient = createWorkspaceManager({ root: join(directory, "workspaces"), limits: defaultLimits })
    const controller = new AbortController()
    const pending = patient.create(
      "prj_cancel",
      { kind: "git", url },
      (event) => {
        if (event.phase === "preparing") setTimeout(() => controller.abort(), 200)
      },
      { signal: controller.signal },
    )
    const cancelled = await rejectsWith(pending, "GIT_CLONE_FAILED")
    assert.match(cancelled.message, /cancelled/)
    assert.equal(await manager.exists("prj_stuck"), false)
    assert.equal(await manager.exists("prj_cancel"), false)
    assert.deepEqual(await staged(directory), [])
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

test("a server can take file:// (or any transport) off the list", async () => {
  await using fixture = await createFixture()
  const { directory } = fixture
  const repos = await makeRepository(directory)
  const manager = createWorkspaceManager({
    root: join(directory, "workspaces"),
    limits: defaultLimits,
    gitProtocols: ["https", "ssh"],
  })
  await rejectsWith(
    manager.create("prj_file", { kind: "git", url: `file://${repos}/project.git` }),
    "GIT_URL_INVALID",
  )
  await rejectsWith(
    manager.create("prj_http", { kind: "git", url: "http://127.0.0.1:9/x.git" }),
    "GIT_URL_INVALID",
  )
  assert.equal(await manager.exists("prj_file"), false)
})
