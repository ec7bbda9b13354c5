import assert from "node:assert/strict"
import { test } from "node:test"
import { runCli } from "../src/index.ts"
import { createTestIo } from "./helpers.ts"

test("an unknown command is a usage error: exit 2 and `error USAGE`", async (context) => {
  const { io, stderr, stdout } = await createTestIo(context)
  assert.equal(await runCli(["serv"], io), 2)
  assert.match(stderr.text, /^error USAGE: unknown command 'serv'/)
  assert.match(stderr.text, /Did you mean serve\?/)
  assert.equal(stdout.text, "")
})

test("an unknown option and a missing option value are usage errors", async (context) => {
  const { io, stderr } = await createTestIo(context)
  assert.equal(await runCli(["serve", "--prot", "1"], io), 2)
  assert.match(stderr.text, /error USAGE: unknown option '--prot'/)
  assert.equal(await runCli(["serve", "--port"], io), 2)
  assert.match(stderr.text, /error USAGE: option '--port <port>' argument missing/)
})

test("no command shows the help on stderr with exit 2", async (context) => {
  const { io, stderr } = await createTestIo(context)
  assert.equal(await runCli([], io), 2)
  assert.match(stderr.text, /Usage: xionimus/)
  assert.match(stderr.text, /serve/)
})

const commands: [string[], string[]][] = [
  [["serve"], ["--port", "--host", "--data-dir", "--log-level"]],
  [["migrate"], ["--data-dir"]],
  [["doctor"], ["--data-dir", "--json"]],
  [
    ["config", "show"],
    ["--data-dir", "--json"],
  ],
  [["version"], []],
]

for (const [command, options] of commands) {
  test(`${command.join(" ")} --help lists its options and exits 0`, async (context) => {
    const { io, stdout } = await createTestIo(context)
    assert.equal(await runCli([...command, "--help"], io), 0)
    assert.match(stdout.text, new RegExp(`Usage: xionimus ${command.join(" ")}`))
    for (const option of options) assert.ok(stdout.text.includes(option), `${option} in the help`)
  })
}
