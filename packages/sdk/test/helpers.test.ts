import assert from "node:assert/strict"
import { test } from "node:test"
import { backoffDelay, streamUrl, uploadForm, uploadPath } from "../src/index.ts"

test("backoff doubles from initialMs up to maxMs, with 50–100 % jitter", () => {
  const options = { initialMs: 100, maxMs: 1000 }
  assert.deepEqual(
    [0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, options, () => 1)),
    [100, 200, 400, 800, 1000, 1000],
  )
  assert.equal(
    backoffDelay(2, options, () => 0),
    200,
  )
  assert.equal(
    backoffDelay(1000, options, () => 1),
    1000,
  )
})

test("streamUrl turns an http(s) base into the ws(s) stream endpoint", () => {
  assert.equal(streamUrl("http://127.0.0.1:4100"), "ws://127.0.0.1:4100/api/stream")
  assert.equal(streamUrl("https://xionimus.example/"), "wss://xionimus.example/api/stream")
})

test("uploads name each part by its relative path", () => {
  const picked = new File(["x"], "c.txt")
  Object.defineProperty(picked, "webkitRelativePath", { value: "folder/c.txt" })
  const plain = new File(["y"], "d.txt")
  assert.equal(uploadPath(picked), "folder/c.txt")
  assert.equal(uploadPath(plain), "d.txt")
  const form = uploadForm([{ path: "a/b.md", content: new Blob(["z"]) }, picked, plain])
  assert.deepEqual(
    form.getAll("file").map((part) => (part as File).name),
    ["a/b.md", "folder/c.txt", "d.txt"],
  )
})
