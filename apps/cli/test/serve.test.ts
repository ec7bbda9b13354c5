import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { join } from "node:path"
import { test } from "node:test"
import { runCli } from "../src/index.ts"
import { createTestIo } from "./helpers.ts"

test("serve prints the URL, answers, and on SIGTERM closes once and exits 0", async (context) => {
  const { io, stdout, stderr, root, signal, listenerCount } = await createTestIo(context)
  const dataDir = join(root, "data")
  const run = runCli(["serve", "--port", "0", "--data-dir", dataDir, "--log-level", "silent"], io)
  const exited = run.then((code) => ({ code }))
  const started = stdout.waitFor(/Xionimus is running at (http:\/\/\S+)/)
  const first = await Promise.race([started, exited])
  assert.ok(Array.isArray(first), `serve ended early: ${stderr.text}`)
  const url = first[1]!
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
  const response = await fetch(`${url}/healthz`)
  assert.equal(response.status, 200)
  assert.ok(existsSync(dataDir))

  signal("SIGTERM")
  signal("SIGINT") // a second signal while closing changes nothing
  assert.equal(await run, 0)
  assert.equal(stderr.text, "SIGTERM: shutting down\n")
  assert.equal(listenerCount(), 0, "the signal handler is removed")
  await assert.rejects(fetch(`${url}/healthz`))
})

test("serve with an invalid configuration exits 1 before touching the data directory", async (context) => {
  const { io, stdout, stderr, root } = await createTestIo(context, { XIONIMUS_LOG_LEVEL: "chatty" })
  const dataDir = join(root, "data")
  assert.equal(await runCli(["serve", "--port", "0", "--data-dir", dataDir], io), 1)
  assert.match(stderr.text, /^error CONFIG_INVALID: /)
  assert.match(stderr.text, /XIONIMUS_LOG_LEVEL: log\.level: expected one of fatal, error, warn, info/)
  assert.equal(stdout.text, "")
  assert.equal(existsSync(dataDir), false)
})

test("a wrong flag value is reported with the flag's name", async (context) => {
  const { io, stderr, root } = await createTestIo(context)
  assert.equal(await runCli(["serve", "--port", "80a", "--data-dir", join(root, "data")], io), 1)
  assert.match(stderr.text, /--port: server\.port: expected an integer 0–65535, got "80a"/)
})

test("an error from the server is printed as `error CODE: message` with its details; exit 1", async (context) => {
  const { io, stderr, root } = await createTestIo(context)
  const code = await runCli(
    ["serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", join(root, "data")],
    io,
  )
  assert.equal(code, 1)
  assert.match(stderr.text, /^error BIND_REFUSED: /)
  assert.match(stderr.text, /details: \{\n {2}"host": "0\.0\.0\.0"\n\}/)
})
