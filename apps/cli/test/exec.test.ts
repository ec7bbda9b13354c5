import assert from "node:assert/strict"
import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { runCli } from "../src/index.ts"
import { createTestIo } from "./helpers.ts"

test("exec runs the command in a sandbox over the project directory and exits with its code", async (context) => {
  const probe = await createTestIo(context)
  await writeFile(join(probe.cwd, "hello.txt"), "from the host\n")
  const code = await runCli(
    [
      "exec",
      "--project",
      ".",
      "--",
      "sh",
      "-c",
      "cat hello.txt; pwd; echo made > new.txt; ls /root 2>&1; exit 4",
    ],
    probe.io,
  )
  assert.equal(code, 4, probe.stderr.text)
  assert.match(probe.stdout.text, /^from the host\n\/workspace\n/)
  assert.match(probe.stdout.text, /No such file or directory/)
})

test("exec --timeout stops the run, says which limit did, and exits 124", async (context) => {
  const probe = await createTestIo(context)
  const code = await runCli(
    ["exec", "--project", probe.cwd, "--timeout", "200", "--", "sleep", "10"],
    probe.io,
  )
  assert.equal(code, 124)
  assert.match(probe.stderr.text, /stopped by its timeout limit/)
})

test("exec --shell joins the words into one command line; a missing directory is an error", async (context) => {
  const probe = await createTestIo(context)
  assert.equal(
    await runCli(["exec", "--project", ".", "--shell", "--", "echo", "a", "&&", "echo", "b"], probe.io),
    0,
  )
  assert.equal(probe.stdout.text, "a\nb\n")
  assert.equal(await runCli(["exec", "--project", "missing", "--", "true"], probe.io), 1)
  assert.match(probe.stderr.text, /SANDBOX_WORKSPACE_INVALID/)
})

test("doctor reports the sandbox, its unenforced limits and gVisor", async (context) => {
  const probe = await createTestIo(context)
  await runCli(["doctor", "--json"], probe.io)
  const { checks } = JSON.parse(probe.stdout.text) as {
    checks: { name: string; status: string; detail: string }[]
  }
  const sandbox = checks.find((check) => check.name === "sandbox")
  assert.equal(sandbox?.status, "ok", sandbox?.detail)
  assert.match(sandbox?.detail ?? "", /bubblewrap, isolated/)
  assert.ok(checks.some((check) => check.name === "sandbox limits"))
  assert.ok(checks.some((check) => check.name === "gVisor"))
})

test("exec and doctor with sandbox.backend gvisor run the command under runsc", async (context) => {
  const probe = await createTestIo(context, { XIONIMUS_SANDBOX__BACKEND: "gvisor" })
  const code = await runCli(
    ["exec", "--project", ".", "--shell", "--", "echo made > new.txt; cat new.txt; exit 5"],
    probe.io,
  )
  assert.equal(code, 5, probe.stderr.text)
  assert.equal(probe.stdout.text, "made\n")
  const doctor = await createTestIo(context, { XIONIMUS_SANDBOX__BACKEND: "gvisor" })
  await runCli(["doctor", "--json"], doctor.io)
  const { checks } = JSON.parse(doctor.stdout.text) as {
    checks: { name: string; status: string; detail: string }[]
  }
  assert.match(checks.find((check) => check.name === "sandbox")?.detail ?? "", /^gvisor, isolated/)
  assert.match(checks.find((check) => check.name === "sandbox limits")?.detail ?? "", /memoryBytes/)
  assert.equal(checks.find((check) => check.name === "gVisor")?.status, "ok")
})
