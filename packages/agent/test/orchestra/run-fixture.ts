import assert from "node:assert/strict"
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createEventBus, createInProcessPubSub, type EventBus } from "@xionimus/bus"
import {
  createModelCatalog,
  createModelRouter,
  type ModelPort,
  type ModelRequest,
  type ModelRouter,
} from "@xionimus/llm"
import type { StoredEvent } from "@xionimus/protocol"
import { openStore, type Store } from "@xionimus/store"
import { createScriptedModel, type ScriptedModel, type ScriptedTurn } from "@xionimus/testing"
import type { ToolSandbox } from "@xionimus/tools"
import { createDirectoryFiles } from "@xionimus/workspace"
import type { MergeResult, RunRuntimes, Worktrees } from "../../src/orchestra/ports.ts"
import { defaultPresetInput, type PresetInput } from "../../src/orchestra/roles.ts"
import { createRunEngine, type RunEngine, type RunEngineDeps } from "../../src/orchestra/run-engine.ts"

export const projectId = "prj_orchestra"
export const roles = ["conductor", "implementer", "tester", "reviewer"] as const
export const modelOf = (role: string) => `scripted/${role}`

/** The default preset with one scripted model per role (each role's turns form their own queue). */
export function testPreset(overrides: Partial<PresetInput> = {}): PresetInput {
  return {
    ...defaultPresetInput,
    roles: defaultPresetInput.roles.map((role) =>
      role.model ? { ...role, model: modelOf(role.name) } : role,
    ),
    ...overrides,
  }
}

/** Commands the fake sandbox ran, and what each returns (exit code by command; default 0). */
export interface FakeSandbox extends ToolSandbox {
  ran: string[]
  /** The time limit of each command, in ms. */
  timeouts: (number | undefined)[]
  exitCodes: Map<string, number>
}

export function fakeSandbox(): FakeSandbox {
  const ran: string[] = []
  const timeouts: (number | undefined)[] = []
  const exitCodes = new Map<string, number>()
  return {
    ran,
    timeouts,
    exitCodes,
    async exec(request) {
      const command = "shell" in request.command ? request.command.shell : request.command.argv.join(" ")
      ran.push(command)
      timeouts.push(request.limits?.timeoutMs)
      const exitCode = exitCodes.get(command) ?? 0
      request.onOutput?.({
        stream: "stdout",
        seq: 0,
        data: Buffer.from(exitCode === 0 ? "ok\n" : "1 failing\n"),
      })
      return {
        exitCode,
        signal: null,
        limit: null,
        aborted: false,
        truncated: false,
        usage: { wallMs: 1, cpuMs: 1 },
        limits: {},
      } as never
    },
  }
}

/** Worktrees as plain folders; merge reports the package's files, or a conflict for the packages named. */
export interface FakeWorktrees extends Worktrees {
  created: string[]
  merged: string[]
  removed: string[]
  conflicts: Map<string, string[]>
}

export interface RunFixture {
  directory: string
  store: Store
  bus: EventBus
  model: ScriptedModel
  router: ModelRouter
  sandbox: FakeSandbox
  worktrees: FakeWorktrees
  deps: RunEngineDeps
  engine: RunEngine
  /** A second engine over the same store (a restarted server), optionally with its own bus and model. */
  newEngine(overrides?: Partial<RunEngineDeps>): RunEngine
  routerFor(model: ModelPort): ModelRouter
  events(runId: string): Promise<StoredEvent[]>
  [Symbol.asyncDispose](): Promise<void>
}

export async function createRunFixture(
  t: { after(fn: () => void): void },
  turns: ScriptedTurn[] = [],
  overrides: Partial<RunEngineDeps> = {},
): Promise<RunFixture> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-orchestra-"))
  const store = await openStore({ sqlitePath: join(directory, "xionimus.sqlite") })
  const bus = createEventBus({ log: store.events, pubsub: createInProcessPubSub() })
  const model = createScriptedModel(turns, t)
  const routerFor = (port: ModelPort) =>
    createModelRouter({
      port,
      catalog: createModelCatalog({
        overrides: Object.fromEntries(
          roles.map((role) => [
            modelOf(role),
            { contextWindow: 200_000, maxOutputTokens: 4_096, capabilities: { tools: true } },
          ]),
        ),
      }),
      config: { default: modelOf("conductor"), retry: { attempts: 1, baseDelayMs: 1 } },
    })
  const router = routerFor(model)
  const sandbox = fakeSandbox()
  const limits = { maxFileBytes: 4 * 1024 * 1024, maxUploadBytes: 8 * 1024 * 1024, maxUploadFiles: 100 }
  const staging = join(directory, "staging")
  await mkdir(staging, { recursive: true })
  const project = join(directory, "project")
  await mkdir(project, { recursive: true })
  const worktrees: FakeWorktrees = {
    created: [],
    merged: [],
    removed: [],
    conflicts: new Map(),
    async create({ runId, packageId }) {
      const dir = join(directory, "worktrees", runId, packageId)
      await mkdir(dir, { recursive: true })
      if (!worktrees.created.includes(`${runId}/${packageId}`))
        worktrees.created.push(`${runId}/${packageId}`)
      return { dir }
    },
    async merge({ packageId }): Promise<MergeResult> {
      const paths = worktrees.conflicts.get(packageId)
      if (paths) return { kind: "conflict", paths }
      worktrees.merged.push(packageId)
      return { kind: "clean", files: [] }
    },
    async remove({ packageId }) {
      worktrees.removed.push(packageId)
    },
  }
  const runtimes: RunRuntimes = {
    async runtimeFor({ projectId: id, dir }) {
      return {
        projectId: id,
        files: createDirectoryFiles({ directory: dir ?? project, staging, limits }),
        sandbox,
        sandboxed: true,
      }
    },
    async baseCheckpoint() {
      return "base"
    },
  }
  const deps: RunEngineDeps = {
    bus,
    sessions: store.sessions,
    runtimes,
    worktrees,
    router,
    contextWindowOf: () => 200_000,
    ...overrides,
  }
  const engines: RunEngine[] = []
  const newEngine = (more: Partial<RunEngineDeps> = {}) => {
    const engine = createRunEngine({ ...deps, ...more })
    engines.push(engine)
    return engine
  }
  const engine = newEngine()
  return {
    directory,
    store,
    bus,
    model,
    router,
    sandbox,
    worktrees,
    deps,
    engine,
    newEngine,
    routerFor,
    events: (runId) => bus.read(runId, { after: 0, limit: 100_000 }),
    async [Symbol.asyncDispose]() {
      for (const each of engines) await each.close()
      await bus.close()
      await store.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

/** Scripted answers: a turn of `role` calling tools, then the text that ends its step. */
export function step(
  role: string,
  calls: { name: string; input: unknown }[],
  text = "Done.",
): ScriptedTurn[] {
  return [
    { model: modelOf(role), toolCalls: calls },
    { model: modelOf(role), text },
  ]
}

export const featureFields = (summary: string, paths = "src/**") => ({
  summary,
  details: `Implement ${summary}.`,
  paths,
  test_command: "npm test",
})

/** The script of a one-package run: plan, implement, test, review. */
export function onePackageScript(): ScriptedTurn[] {
  return [
    ...step("conductor", [
      { name: "create_package", input: { template: "feature", fields: featureFields("greet by name") } },
      {
        name: "patch_context",
        input: {
          section: "decisions",
          baseVersion: 0,
          decision: { chosen: "one package", instead: "two", because: "the change is small" },
        },
      },
      { name: "submit_plan", input: { summary: "One package." } },
    ]),
    ...step("implementer", [
      {
        name: "write_file",
        input: { path: "src/greet.js", content: 'export const greet = (name) => "Hello, " + name\n' },
      },
      { name: "send_message", input: { to: ["reviewer"], body: "greet is in src/greet.js" } },
      { name: "report", input: { summary: "Added greet; npm test passes." } },
    ]),
    ...step("tester", [{ name: "run_checks", input: {} }]),
    ...step("reviewer", [{ name: "review", input: { verdict: "approve", comment: "Looks right." } }]),
  ]
}

export const bugfixFields = (summary: string, paths: string) => ({
  summary,
  symptom: `${summary} fails`,
  paths,
  test_command: "npm test",
})

/**
 * Two packages on disjoint paths, no human gates, one step at a time: plan, then for each package
 * implement, test, review. Fourteen model calls.
 */
export function twoPackageScript(): ScriptedTurn[] {
  return [
    ...step("conductor", [
      {
        name: "create_package",
        input: { template: "bugfix", fields: bugfixFields("parse dates", "src/**") },
      },
      {
        name: "create_package",
        input: { template: "bugfix", fields: bugfixFields("format numbers", "lib/**") },
      },
      { name: "submit_plan", input: { summary: "Two fixes." } },
    ]),
    ...step("implementer", [
      { name: "write_file", input: { path: "src/dates.js", content: "export const parse = Date.parse\n" } },
      { name: "report", input: { summary: "Fixed parse." } },
    ]),
    ...step("tester", [{ name: "run_checks", input: {} }]),
    ...step("reviewer", [{ name: "review", input: { verdict: "approve", comment: "Fine." } }]),
    ...step("implementer", [
      { name: "write_file", input: { path: "lib/numbers.js", content: "export const format = String\n" } },
      { name: "report", input: { summary: "Fixed format." } },
    ]),
    ...step("tester", [{ name: "run_checks", input: {} }]),
    ...step("reviewer", [{ name: "review", input: { verdict: "approve", comment: "Fine too." } }]),
  ]
}

export const ungatedPreset = (overrides: Partial<PresetInput> = {}) =>
  testPreset({ gates: [], maxParallel: 1, ...overrides })

/**
 * A scripted model that answers from the request instead of a queue: each call is one scripted turn
 * chosen by `respond` (parallel steps then get their own answers whatever order they call in).
 */
export function createResponderModel(
  respond: (request: ModelRequest) => ScriptedTurn,
): ModelPort & { calls: number } {
  const port = {
    calls: 0,
    stream(request: ModelRequest) {
      port.calls++
      return createScriptedModel([respond(request)]).stream(request)
    },
  }
  return port
}

/** Answers of a two-package run on `paths` (one per package), decided from each request. */
export function twoPackageResponder(paths: [string, string]) {
  return (request: ModelRequest): ScriptedTurn => {
    const last = request.messages.at(-1)
    if (last?.role === "tool") return { text: "Done." }
    const briefing = JSON.stringify(request.messages[0] ?? "")
    const role = request.model.split("/")[1]
    if (role === "conductor")
      return {
        toolCalls: [
          { name: "create_package", input: { template: "bugfix", fields: bugfixFields("first", paths[0]) } },
          { name: "create_package", input: { template: "bugfix", fields: bugfixFields("second", paths[1]) } },
          { name: "submit_plan", input: { summary: "Two packages." } },
        ],
      }
    if (role === "implementer") {
      const index = /Work package pkg_\S+?_(\d+) /.exec(briefing)?.[1] ?? "0"
      const folder = paths[Number(index) - 1]!.replace("/**", "")
      return {
        toolCalls: [
          {
            name: "write_file",
            input: { path: `${folder}/file${index}.js`, content: `export const n = ${index}\n` },
          },
          { name: "report", input: { summary: `Wrote file ${index}.` } },
        ],
      }
    }
    if (role === "tester") return { toolCalls: [{ name: "run_checks", input: {} }] }
    return { toolCalls: [{ name: "review", input: { verdict: "approve", comment: "ok" } }] }
  }
}

/**
 * Runs the two-fixes goal on `fixture` with `port` as every role's model (ungated, four in parallel) to its
 * end; fails unless the run is done. Returns the run's id and final state.
 */
export async function runTwoFixes(fixture: RunFixture, port: ModelPort) {
  const engine = fixture.newEngine({ router: fixture.routerFor(port) })
  const { runId } = await engine.start({
    projectId,
    goal: "Two fixes",
    preset: ungatedPreset({ maxParallel: 4 }),
    createdBy: null,
  })
  const state = await engine.idle(runId)
  assert.equal(state.ended?.outcome, "done", JSON.stringify(state.audit))
  return { runId, state }
}
