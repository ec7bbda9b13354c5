import assert from "node:assert/strict"
import { test } from "node:test"
import { isAppError } from "@xionimus/kit"
import { parseRelativePath } from "../src/relative-path.ts"

test("accepts relative paths and normalises '.' and empty segments", () => {
  assert.deepEqual(parseRelativePath("src/index.ts"), ["src", "index.ts"])
  assert.deepEqual(parseRelativePath("./src//a/"), ["src", "a"])
  assert.deepEqual(parseRelativePath("..hidden/x..y"), ["..hidden", "x..y"])
  assert.deepEqual(parseRelativePath("", { allowRoot: true }), [])
})

const refused: [string, string][] = [
  ["", "empty"],
  [".", "only a dot"],
  ["/etc/passwd", "absolute"],
  ["../outside", "leading .."],
  ["a/../../b", "inner .."],
  ["a/..", "trailing .."],
  ["a\0b", "NUL byte"],
  ["a\\b", "backslash"],
  ["..\\windows", "backslash with .."],
  ["x".repeat(5000), "too long"],
]

for (const [path, why] of refused) {
  test(`refuses a path that is ${why}`, () => {
    assert.throws(
      () => parseRelativePath(path),
      (error) => isAppError(error) && error.code === "PATH_INVALID",
    )
  })
}

test("'..' is refused even where the root is allowed", () => {
  assert.throws(() => parseRelativePath("..", { allowRoot: true }), { code: "PATH_INVALID" })
})
