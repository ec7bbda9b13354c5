// The orchestra's own cost per step: a run of 20 work packages (61 steps: a plan, then implement, test
// and review for each) through the real run engine on SQLite, with a model that answers at once and a
// sandbox that returns at once, so what remains is the orchestration: briefing, the role's session log,
// runTurn's machinery, the step's append, the scheduler. Model time is measured around each call and
// subtracted. Run alone: `node bench/orchestra.bench.ts` prints the figures as JSON.
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createRunEngine, defaultPresetInput } from "@xionimus/agent"
import { createEventBus, createInProcessPubSub } from "@xionimus/bus"
import { createModelCatalog, createModelRouter, type ModelPort, type ModelRequest } from "@xionimus/llm"
import { openStore } from "@xionimus/store"
import { createScriptedModel, type ScriptedTurn } from "@xionimus/testing"
import type { ToolSandbox } from "@xionimus/tools"
import { createDirectoryFiles } from "@xionimus/workspace"
import type { Bench, BenchFigure } from "./lib.ts"

const packages = 20

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

function answer(request: ModelRequest): ScriptedTurn {
  if (request.messages.at(-1)?.role === "tool") return { text: "Done." }
  const role = request.model.split("/")[1]
  const fields = (index: number) => ({
    summary: `fix ${index}`,
    symptom: "it fails",
    paths: `src/m${index}/**`,
    test_command: "true",
  })
  if (role === "conductor")
    return {
      toolCalls: [
        ...Array.from({ length: packages }, (_, index) => ({
          name: "create_package",
          input: { template: "bugfix", fields: fields(index + 1) },
        })),
        { name: "submit_plan", input: { summary: "All of them." } },
      ],
    }
  if (role === "implementer") return { toolCalls: [{ name: "report", input: { summary: "Done." } }] }
  if (role === "tester") return { toolCalls: [{ name: "run_checks", input: {} }] }
  return { toolCalls: [{ name: "review", input: { verdict: "approve", comment: "ok" } }] }
}

async function measure(): Promise<BenchFigure[]> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-bench-orchestra-"))
  const store = await openStore({ sqlitePath: join(directory, "bench.sqlite") })
  const bus = createEventBus({ log: store.events, pubsub: createInProcessPubSub() })
  const modelTimes: number[] = []
  const port: ModelPort = {
    async *stream(request) {
      const started = performance.now()
      try {
        for await (const part of createScriptedModel([answer(request)]).stream(request)) yield part
      } finally {
        // The turn stops reading at the finish part: the time is taken when the stream is closed.
        modelTimes.push(performance.now() - started)
      }
    },
  }
  const roles = ["conductor", "implementer", "tester", "reviewer"]
  const router = createModelRouter({
    port,
    catalog: createModelCatalog({
      overrides: Object.fromEntries(
        roles.map((role) => [
          `bench/${role}`,
          { contextWindow: 200_000, maxOutputTokens: 4_096, capabilities: { tools: true } },
        ]),
      ),
    }),
    config: { default: "bench/conductor", retry: { attempts: 1, baseDelayMs: 1 } },
  })
  const sandbox: ToolSandbox = {
    async exec() {
      return { exitCode: 0, signal: null, limit: null, aborted: false, truncated: false } as never
    },
  }
  const staging = join(directory, "staging")
  await mkdir(staging, { recursive: true })
  const limits = { maxFileBytes: 1 << 20, maxUploadBytes: 1 << 20, maxUploadFiles: 10 }
  const engine = createRunEngine({
    bus,
    sessions: store.sessions,
    router,
    contextWindowOf: () => 200_000,
    runtimes: {
      async runtimeFor({ dir }) {
        const folder = dir ?? join(directory, "project")
        await mkdir(folder, { recursive: true })
        return {
          projectId: "prj_bench",
          files: createDirectoryFiles({ directory: folder, staging, limits }),
          sandbox,
          sandboxed: true,
        }
      },
      baseCheckpoint: async () => "base",
    },
    worktrees: {
      create: async ({ packageId }) => ({ dir: join(directory, "worktrees", packageId) }),
      merge: async () => ({ kind: "clean", files: [] }),
      remove: async () => {},
    },
  })
  const started = performance.now()
  const { runId } = await engine.start({
    projectId: "prj_bench",
    goal: "Fix twenty modules",
    preset: {
      ...defaultPresetInput,
      gates: [],
      maxParallel: 1,
      roles: defaultPresetInput.roles.map((role) =>
        role.model ? { ...role, model: `bench/${role.name}` } : role,
      ),
    },
    createdBy: null,
  })
  const state = await engine.idle(runId)
  const wall = performance.now() - started
  await engine.close()
  await bus.close()
  await store.close()
  await rm(directory, { recursive: true, force: true })
  if (state.ended?.outcome !== "done") throw new Error(`the bench run ended ${JSON.stringify(state.ended)}`)
  // Steps run one after another and each makes two model calls, in order.
  const overheads = state.steps.map(
    (step, index) => (step.latencyMs ?? 0) - modelTimes[2 * index]! - modelTimes[2 * index + 1]!,
  )
  const modelTotal = modelTimes.reduce((sum, value) => sum + value, 0)
  const variant = `${state.steps.length} steps, SQLite, scripted model`
  return [
    {
      name: "orchestra step overhead (no model, no tool), p50",
      variant,
      value: percentile(overheads, 50),
      unit: "ms",
      note: "inside the step: briefing, role session log, runTurn, commit",
    },
    {
      name: "orchestra step overhead (no model, no tool), p99",
      variant,
      value: percentile(overheads, 99),
      unit: "ms",
    },
    {
      name: "orchestra run overhead per step (scheduler included)",
      variant,
      value: (wall - modelTotal) / state.steps.length,
      unit: "ms",
      note: "run wall time minus model time, over steps",
    },
  ]
}

const bench: Bench = {
  title: "Orchestra: overhead per step",
  command: "npm run bench -- orchestra.bench",
  run: measure,
}
export default bench

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await measure(), null, 2))
