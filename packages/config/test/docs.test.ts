import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { test } from "node:test"
import { configLeaves, envName } from "../src/index.ts"

test("docs/configuration.md lists every key of the schema with its generic env variable", async () => {
  const docs = await readFile(new URL("../../../docs/configuration.md", import.meta.url), "utf8")
  for (const leaf of configLeaves) {
    const row = docs.split("\n").find((line) => line.startsWith(`| \`${leaf.path}\` |`))
    assert.ok(row, `a row for ${leaf.path}`)
    assert.ok(row.includes(`\`${envName(leaf)}\``), `${envName(leaf)} in the row of ${leaf.path}`)
  }
})
