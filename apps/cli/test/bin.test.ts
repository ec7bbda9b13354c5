import assert from "node:assert/strict"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { readFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { test } from "node:test"
import { fileURLToPath } from "node:url"
import { createTestIo, projectConfigFile, writeText } from "./helpers.ts"

const bin = fileURLToPath(new URL("../bin/xionimus.js", import.meta.url))
const packageJson = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"))

interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

function collect(child: ChildProcess): { finished: Promise<Finished>; stdout: () => string } {
  let stdout = ""
  let stderr = ""
  child.stdout?.on("data", (chunk) => {
    stdout += chunk
  })
  child.stderr?.on("data", (chunk) => {
    stderr += chunk
  })
  const finished = new Promise<Finished>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  )
  return { finished, stdout: () => stdout }
}

function runBin(args: string[], options: { cwd: string; home: string; node?: string }): Promise<Finished> {
  const child = spawn(options.node ?? process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: { HOME: options.home, PATH: process.env.PATH },
  })
  return collect(child).finished
}

test("the real bin prints the version", async (context) => {
  const { cwd, home } = await createTestIo(context)
  const result = await runBin(["version"], { cwd, home })
  assert.deepEqual(result, {
    code: 0,
    stdout: `xionimus ${packageJson.version}\nnode ${process.versions.node}\n`,
    stderr: "",
  })
})

test("the real bin with an invalid config file exits non-zero naming the file and the key", async (context) => {
  const { cwd, home } = await createTestIo(context)
  await writeText(projectConfigFile(cwd), '{ "limits": { "maxUploadFiles": 0 } }')
  const result = await runBin(["config", "show"], { cwd, home })
  assert.equal(result.code, 1)
  assert.ok(
    result.stderr.includes(
      `${projectConfigFile(cwd)}: limits.maxUploadFiles: expected an integer ≥ 1, got 0`,
    ),
    result.stderr,
  )
})

test("the real bin serves and exits 0 on SIGTERM", async (context) => {
  const { cwd, home, root } = await createTestIo(context)
  const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--data-dir", join(root, "data")], {
    cwd,
    env: { HOME: home, PATH: process.env.PATH, XIONIMUS_LOG_LEVEL: "silent" },
  })
  context.after(() => child.kill("SIGKILL"))
  const output = collect(child)
  const started = new Promise<void>((resolve) => {
    child.stdout.on("data", () => {
      if (output.stdout().includes("Xionimus is running at")) resolve()
    })
  })
  const early = await Promise.race([started, output.finished])
  assert.equal(early, undefined, `serve ended early: ${JSON.stringify(early)}`)
  child.kill("SIGTERM")
  const result = await output.finished
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stderr, /SIGTERM: shutting down/)
})

test("the workspace links the bin as node_modules/.bin/xionimus (what `npx xionimus` runs)", async (context) => {
  const { cwd, home } = await createTestIo(context)
  const linked = fileURLToPath(new URL("../../../node_modules/.bin/xionimus", import.meta.url))
  const child = spawn(linked, ["version"], {
    cwd,
    env: { HOME: home, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
  })
  const result = await collect(child).finished
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, new RegExp(`^xionimus ${packageJson.version}\n`))
})

function oldNode(): string | undefined {
  for (const candidate of ["/usr/bin/node", "/usr/local/bin/node"]) {
    try {
      const version = execFileSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" }).trim()
      const [major = 0, minor = 0] = version.split(".").map(Number)
      if (major < 22 || (major === 22 && minor < 12)) return candidate
    } catch {}
  }
  return undefined
}

const old = oldNode()
test("on a Node older than 22.12 the bin says how to get Node 24 and exits 1", {
  skip: old ? false : "no Node < 22.12 on this machine",
}, async (context) => {
  const { cwd, home } = await createTestIo(context)
  const result = await runBin(["version"], { cwd, home, node: old })
  assert.equal(result.code, 1)
  assert.match(result.stderr, /needs Node\.js 22\.12 or newer/)
  assert.match(result.stderr, /npm install/)
  assert.equal(result.stdout, "")
})
