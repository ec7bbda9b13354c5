import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { test } from "node:test"
import { runCli } from "../src/index.ts"
import { createTestIo } from "./helpers.ts"

const packageJson = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"))

test("version prints the Xionimus version from package.json and the Node version", async (context) => {
  const { io, stdout } = await createTestIo(context)
  assert.equal(await runCli(["version"], io), 0)
  assert.equal(stdout.text, `xionimus ${packageJson.version}\nnode ${process.versions.node}\n`)
})

test("--version prints the Xionimus version", async (context) => {
  const { io, stdout } = await createTestIo(context)
  assert.equal(await runCli(["--version"], io), 0)
  assert.equal(stdout.text.trim(), packageJson.version)
})
