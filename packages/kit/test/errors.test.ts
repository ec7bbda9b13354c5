import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { AppError, fromSystemError, isAppError, toAppError } from "../src/errors.ts"

describe("AppError", () => {
  it("serialises to code, message and details", () => {
    const error = new AppError("FILE_NOT_FOUND", "No such file", { path: "a.txt" })
    assert.deepEqual(JSON.parse(JSON.stringify(error)), {
      code: "FILE_NOT_FOUND",
      message: "No such file",
      details: { path: "a.txt" },
    })
    assert.ok(isAppError(error))
  })

  it("wraps foreign errors and keeps the cause", () => {
    const cause = new TypeError("boom")
    const wrapped = toAppError(cause)
    assert.equal(wrapped.code, "INTERNAL")
    assert.equal(wrapped.cause, cause)
    assert.equal(toAppError(wrapped), wrapped)
  })

  it("maps system errors to stable codes", () => {
    const system = (code: string) => Object.assign(new Error(code), { code })
    assert.equal(fromSystemError(system("ENOSPC"))?.code, "DISK_FULL")
    assert.equal(fromSystemError(system("EROFS"))?.code, "READ_ONLY_STORAGE")
    assert.equal(fromSystemError(system("EACCES"))?.code, "PERMISSION_DENIED")
    assert.equal(fromSystemError(system("ENOENT")), undefined)
  })
})
