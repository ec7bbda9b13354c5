import assert from "node:assert/strict"
import { test } from "node:test"
import { createGitProgressParser } from "../src/git-progress.ts"
import { headerScope, parseGitRemote, redact } from "../src/git-url.ts"
import type { ProgressEvent } from "../src/types.ts"

test("user-info is split off http URLs into a header scoped to the origin", () => {
  const remote = parseGitRemote("https://bob:pa%40ss@git.example.com:8443/team/repo.git")
  assert.equal(remote.url, "https://git.example.com:8443/team/repo.git")
  assert.equal(remote.protocol, "https")
  assert.equal(remote.authorization, `Authorization: Basic ${Buffer.from("bob:pa@ss").toString("base64")}`)
  assert.ok(remote.secrets.includes("pa@ss"))
  assert.equal(headerScope(remote.url), "https://git.example.com:8443/")
})

test("a token wins over the URL's password; a lone token-as-user works as the user name", () => {
  const withToken = parseGitRemote("https://example.com/repo.git", "tok")
  assert.equal(
    withToken.authorization,
    `Authorization: Basic ${Buffer.from("x-access-token:tok").toString("base64")}`,
  )
  const loneUser = parseGitRemote("https://ghp_abc@example.com/repo.git")
  assert.equal(loneUser.url, "https://example.com/repo.git")
  assert.ok(loneUser.secrets.includes("ghp_abc"))
  const plain = parseGitRemote("ssh://git@example.com/repo.git")
  assert.equal(plain.url, "ssh://git@example.com/repo.git")
  assert.equal(plain.authorization, undefined)
  assert.throws(() => parseGitRemote("ssh://git@example.com/repo.git", "tok"), { code: "GIT_URL_INVALID" })
})

test("redact hides every secret and any user-info left in a URL", () => {
  const text = "fatal: unable to access 'https://me:hunter2@host/x': token hunter2 dGVzdA== rejected"
  assert.equal(
    redact(text, ["hunter2", "dGVzdA=="]),
    "fatal: unable to access 'https://***@host/x': token *** *** rejected",
  )
})

test("git's progress output becomes phases with ratios, once per change", () => {
  const events: ProgressEvent[] = []
  const feed = createGitProgressParser((event) => events.push(event))
  feed("Cloning into 'x'...\nremote: Enumerating objects: 5, done.\nremote: Counting objects:  20% (1/5)\r")
  feed("remote: Counting objects:  20% (1/5)\rremote: Counting objects: 100% (5/5), done.\nReceiving obj")
  feed("ects:  50% (2/4)\rReceiving objects: 100% (4/4), 1.2 KiB | 1.2 MiB/s, done.\n")
  feed("Resolving deltas: 100% (1/1), done.\nwarning: something odd\nfatal: nope\n")
  assert.deepEqual(
    events.map((event) => [event.phase, event.ratio]),
    [
      ["cloning", undefined],
      ["enumerating-objects", undefined],
      ["counting-objects", 0.2],
      ["counting-objects", 1],
      ["receiving-objects", 0.5],
      ["receiving-objects", 1],
      ["resolving-deltas", 1],
    ],
  )
  assert.equal(events[5]?.message, "Receiving objects: 100% (4/4), 1.2 KiB | 1.2 MiB/s, done.")
})
