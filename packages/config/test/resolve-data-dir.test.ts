import assert from "node:assert/strict"
import { test } from "node:test"
import { resolveDataDir } from "../src/index.ts"

test("config.dataDir wins", () => {
  assert.equal(resolveDataDir({ dataDir: "/srv/x" }, { HOME: "/home/a", XDG_DATA_HOME: "/data" }), "/srv/x")
})

test("$XDG_DATA_HOME/xionimus when set and absolute", () => {
  assert.equal(resolveDataDir({}, { HOME: "/home/a", XDG_DATA_HOME: "/data" }), "/data/xionimus")
})

test("~/.local/share/xionimus otherwise, ignoring a relative $XDG_DATA_HOME", () => {
  assert.equal(resolveDataDir({}, { HOME: "/home/a" }), "/home/a/.local/share/xionimus")
  assert.equal(resolveDataDir({}, { HOME: "/home/a", XDG_DATA_HOME: "rel" }), "/home/a/.local/share/xionimus")
})
