// With server.publicUrl set, share links are absolute on that address; an invalid one is refused at start.
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import { Config } from "@xionimus/config"
import type { Share } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
import { createProject } from "./support/expect-error.ts"
import { createSession, createSessionTestApp } from "./support/session-app.ts"
import type { TestApp } from "./support/test-app.ts"

let harness: TestApp
before(async () => {
  harness = await createSessionTestApp(createScriptedModel(), {
    config: { server: { publicUrl: "https://xionimus.example.com/" } },
  })
})
after(() => harness.close())

test("share links are built on server.publicUrl", async () => {
  const project = await createProject(harness.app, "Public links")
  const session = await createSession(harness.app, project.id, { title: "Shared" })
  const response = await harness.app.inject({
    method: "POST",
    url: `/api/sessions/${session.id}/shares`,
    payload: { expiresInDays: 1 },
  })
  assert.equal(response.statusCode, 201, response.body)
  const share = response.json() as Share
  assert.equal(share.url, `https://xionimus.example.com/shared/${share.token}`)
})

test("server.publicUrl must be an http(s) URL", () => {
  const parsed = Config.safeParse({ server: { publicUrl: "ftp://example.com" } })
  assert.equal(parsed.success, false)
  assert.match(JSON.stringify(parsed.error?.issues), /http\(s\) URL/)
})
