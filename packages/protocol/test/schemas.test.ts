import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { newId } from "@xionimus/kit"
import { ClientFrame, CreateProjectBody, ProjectId, ProjectListQuery, WriteFileBody } from "../src/index.ts"

describe("protocol schemas", () => {
  it("accept a well-formed project body and trim the name", () => {
    assert.deepEqual(CreateProjectBody.parse({ name: "  Shop  ", template: "python" }), {
      name: "Shop",
      template: "python",
    })
  })

  it("refuse unknown fields, control characters and unknown templates", () => {
    const unknown = CreateProjectBody.safeParse({ name: "a", colour: "red" })
    assert.equal(unknown.success, false)
    assert.equal(unknown.error?.issues[0]?.code, "unrecognized_keys")
    assert.equal(CreateProjectBody.safeParse({ name: "a\u0000b" }).success, false)
    assert.equal(CreateProjectBody.safeParse({ name: "a", template: "cobol" }).success, false)
    assert.equal(CreateProjectBody.safeParse({ name: "   " }).success, false)
  })

  it("coerce and bound list queries", () => {
    assert.deepEqual(ProjectListQuery.parse({ limit: "10" }), { limit: 10, deleted: "exclude" })
    assert.equal(ProjectListQuery.safeParse({ limit: "1000" }).success, false)
  })

  it("match ids made by kit", () => {
    assert.ok(ProjectId.safeParse(newId("prj")).success)
    assert.equal(ProjectId.safeParse("prj_../../etc").success, false)
  })

  it("default file writes to utf8 and keep null expected versions", () => {
    assert.deepEqual(WriteFileBody.parse({ path: "a.txt", content: "x", expectedVersion: null }), {
      path: "a.txt",
      content: "x",
      encoding: "utf8",
      expectedVersion: null,
    })
  })

  it("parse stream frames strictly", () => {
    assert.ok(ClientFrame.safeParse({ type: "subscribe", stream: newId("prj"), after: 3 }).success)
    assert.equal(ClientFrame.safeParse({ type: "subscribe", stream: "../x" }).success, false)
    assert.equal(ClientFrame.safeParse({ type: "shout" }).success, false)
  })
})
