import assert from "node:assert/strict"
import { mkdir } from "node:fs/promises"
import { test } from "node:test"
import { AppError } from "@xionimus/kit"
import { type ConfigFlags, type ConfigProblem, loadConfig } from "../src/index.ts"
import { makeSandbox, projectFile, userFile, writeText } from "./helpers.ts"

interface Setup {
  user?: string
  project?: string
  env?: Record<string, string>
  flags?: ConfigFlags
}

/** Loads a configuration that must be invalid and returns the error and its problems. */
async function failure(context: test.TestContext, setup: Setup) {
  const { home, cwd } = await makeSandbox(context)
  if (setup.user !== undefined) await writeText(userFile(home), setup.user)
  if (setup.project !== undefined) await writeText(projectFile(cwd), setup.project)
  const error = await loadConfig({ cwd, env: { HOME: home, ...setup.env }, flags: setup.flags }).then(
    () => assert.fail("the configuration was accepted"),
    (caught: unknown) => caught,
  )
  assert.ok(error instanceof AppError)
  assert.equal(error.code, "CONFIG_INVALID")
  const { problems } = error.details as { problems: ConfigProblem[] }
  return { error, problems, home, cwd }
}

test("a wrong value in the user file names the file, the key and the expected form", async (context) => {
  const { error, problems } = await failure(context, { user: '{ "server": { "port": "abc" } }' })
  assert.deepEqual(problems, [
    {
      source: "~/.config/xionimus/config.json",
      path: "server.port",
      expected: "an integer 0–65535",
      received: '"abc"',
    },
  ])
  assert.match(
    error.message,
    /~\/\.config\/xionimus\/config\.json: server\.port: expected an integer 0–65535, got "abc"/,
  )
})

test("an out-of-range number, a wrong enum and a wrong type are each reported", async (context) => {
  const { problems, cwd } = await failure(context, {
    project: JSON.stringify({ server: { port: 70000 }, log: { level: "loud" }, limits: "big" }),
  })
  assert.deepEqual(
    problems.map(({ source, path, expected, received }) => ({ source, path, expected, received })),
    [
      { source: projectFile(cwd), path: "server.port", expected: "an integer 0–65535", received: "70000" },
      {
        source: projectFile(cwd),
        path: "log.level",
        expected: "one of fatal, error, warn, info, debug, trace, silent",
        received: '"loud"',
      },
      {
        source: projectFile(cwd),
        path: "limits",
        expected: "an object with the keys maxFileBytes, maxUploadBytes, maxUploadFiles",
        received: '"big"',
      },
    ],
  )
})

test("an unknown key is reported with the known keys and a suggestion", async (context) => {
  const { problems } = await failure(context, { user: '{ "server": { "prot": 1 }, "colour": "red" }' })
  assert.deepEqual(
    problems.map((problem) => [problem.path, problem.received]),
    [
      ["server.prot", '"prot" (did you mean "port"?)'],
      ["colour", '"colour"'],
    ],
  )
  assert.match(problems[0]!.expected, /^one of the keys host, port,/)
})

test("a file that is not JSON is reported with its line and column", async (context) => {
  const { error, problems, cwd } = await failure(context, {
    project: '{\n  "server": {\n    "port": 80,\n  }\n}\n',
  })
  assert.deepEqual(problems, [
    {
      source: projectFile(cwd),
      path: "",
      expected: "valid JSON (expected double-quoted property name)",
      received: "'}'",
      line: 4,
      column: 3,
    },
  ])
  assert.ok(error.message.includes(`${projectFile(cwd)}:4:3: expected valid JSON`))
})

test("a JSON error V8 reports without a position still gets one", async (context) => {
  const { problems } = await failure(context, { user: '{ "server": { "port": x } }' })
  assert.equal(problems[0]?.line, 1)
  assert.equal(problems[0]?.column, 23)
  assert.equal(problems[0]?.received, "'x } }'")
})

test("an empty file and a truncated file are reported at their end", async (context) => {
  const empty = await failure(context, { user: "" })
  assert.deepEqual([empty.problems[0]?.line, empty.problems[0]?.received], [1, "the end of the file"])
  const truncated = await failure(context, { user: '{\n  "server": {' })
  assert.deepEqual([truncated.problems[0]?.line, truncated.problems[0]?.received], [2, "the end of the file"])
})

test("a file holding an array or a scalar is reported as not an object", async (context) => {
  const { problems } = await failure(context, { user: "[1, 2]", project: "42" })
  assert.deepEqual(
    problems.map((problem) => [problem.expected, problem.received]),
    [
      ["a JSON object", "an array"],
      ["a JSON object", "42"],
    ],
  )
})

test("an unreadable file (a directory in its place) is reported", async (context) => {
  const { home, cwd } = await makeSandbox(context)
  await mkdir(projectFile(cwd), { recursive: true })
  const error = await loadConfig({ cwd, env: { HOME: home } }).catch((caught: unknown) => caught)
  assert.ok(error instanceof AppError)
  const [problem] = (error.details as { problems: ConfigProblem[] }).problems
  assert.equal(problem?.expected, "a readable file")
  assert.match(problem?.received ?? "", /EISDIR/)
})

test("a wrong env value names the variable and the key", async (context) => {
  const { error, problems } = await failure(context, { env: { XIONIMUS_LIMITS__MAX_FILE_BYTES: "lots" } })
  assert.deepEqual(problems, [
    {
      source: "XIONIMUS_LIMITS__MAX_FILE_BYTES",
      path: "limits.maxFileBytes",
      expected: "an integer ≥ 1",
      received: '"lots"',
    },
  ])
  assert.match(
    error.message,
    /XIONIMUS_LIMITS__MAX_FILE_BYTES: limits\.maxFileBytes: expected an integer ≥ 1/,
  )
})

test("a wrong flag value names the flag", async (context) => {
  const { problems } = await failure(context, { flags: { port: "http", logLevel: "" } })
  assert.deepEqual(
    problems.map((problem) => `${problem.source} ${problem.path} ${problem.received}`),
    ['--port server.port "http"', '--log-level log.level ""'],
  )
})

test("a wrong URL is reported with the schema's wording and its password hidden", async (context) => {
  const { problems } = await failure(context, { env: { XIONIMUS_DATABASE_URL: "mysql://me:hunter2@db/x" } })
  assert.deepEqual(problems, [
    {
      source: "XIONIMUS_DATABASE_URL",
      path: "databaseUrl",
      expected: "a postgres:// or postgresql:// URL",
      received: '"mysql://me:***@db/x"',
    },
  ])
})

test("every problem of every layer is listed in one error, weakest layer first", async (context) => {
  const { error, problems } = await failure(context, {
    user: '{ "server": { "port": -1 } }',
    project: "{ nope",
    env: { XIONIMUS_PORT: "x" },
    flags: { host: "" },
  })
  assert.deepEqual(
    problems.map((problem) => problem.source.replace(/^\/.*\/project\//, "<cwd>/")),
    ["~/.config/xionimus/config.json", "<cwd>/.xionimus/config.json", "XIONIMUS_PORT", "--host"],
  )
  assert.match(error.message, /\(4 problems\)/)
})
