// Agent sessions: (a) the first page of a 10,000-event session through the real server (GET
// /api/sessions/:id/events?limit=200 over loopback HTTP, signed in with an API key; the answer holds the
// page, the head and the session with its usage totals) on SQLite; (b) fan-out of a session's events to
// 100 WebSocket subscribers on /api/stream (clients in a worker thread, off the server's event loop):
// latency from just before the append to receipt at each subscriber, paced like a streaming turn and in
// a burst; (c) the turn loop's own cost per tool call (the real session engine on SQLite, a scripted
// model calling a no-op tool 200 times), excluding the model's and the tool's time, beside a bare loop
// (model stream + tool registry, no log) and with hidden-git checkpoints after every call.
// Run alone: `node bench/session.bench.ts` prints the figures as JSON.
import { mkdtemp, rm } from "node:fs/promises"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Worker } from "node:worker_threads"
import { createSessionEngine, type ProjectRuntime } from "@xionimus/agent"
import { createEventBus, createInProcessPubSub } from "@xionimus/bus"
import { Config } from "@xionimus/config"
import { newId, silentLogger } from "@xionimus/kit"
import {
  createModelCatalog,
  createModelRouter,
  type ModelPart,
  type ModelPort,
  type ModelRequest,
} from "@xionimus/llm"
import type { NewEvent } from "@xionimus/protocol"
import { buildApp, createServices } from "@xionimus/server"
import { openStore } from "@xionimus/store"
import { createScriptedModel, type ScriptedTurn } from "@xionimus/testing"
import { createToolRegistry, defineTool } from "@xionimus/tools"
import { checkpointGitDir, createCheckpoints, createDirectoryFiles } from "@xionimus/workspace"
import { z } from "zod"
import type { Bench, BenchFigure } from "./lib.ts"

const sessionEvents = 10_000
const pageRequests = 300
const subscribers = 100
const fanOutEvents = 200
const pacedEveryMs = 10
const toolCalls = 200

const now = () => performance.timeOrigin + performance.now()

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

function latencyFigures(name: string, variant: string, samples: number[], note: string): BenchFigure[] {
  return [
    { name: `${name}, p50`, variant, value: percentile(samples, 50), unit: "ms", note },
    { name: `${name}, p99`, variant, value: percentile(samples, 99), unit: "ms", note },
  ]
}

/** A session's log as a turn writes it: user message, streamed text, tool calls with output, turn ends. */
function realisticEvents(count: number): NewEvent[] {
  const events: NewEvent[] = []
  for (let index = 0; events.length < count; index++) {
    const messageId = `msg_bench${index}`
    const callId = `call_bench${index}`
    const round: NewEvent[] = [
      {
        id: newId("evt"),
        type: "assistant.text",
        data: { messageId, text: "Reading the tests first. ".repeat(6) },
      },
      {
        id: newId("evt"),
        type: "tool.called",
        data: { messageId, callId, tool: "read_file", input: { path: `src/file-${index}.ts` } },
      },
      { id: newId("evt"), type: "tool.updated", data: { callId, status: "running" } },
      {
        id: newId("evt"),
        type: "tool.updated",
        data: {
          callId,
          status: "completed",
          title: `src/file-${index}.ts`,
          output: "export const value = 1\n".repeat(40),
        },
      },
    ]
    events.push(...round.slice(0, count - events.length))
  }
  return events
}

interface ServerHarness {
  url: string
  headers: Record<string, string>
  sessionId: string
  services: Awaited<ReturnType<typeof createServices>>
  close(): Promise<void>
}

/** The real app on 127.0.0.1:0 over SQLite in a temp dir, an owner with an API key, one project and session. */
async function startHarness(): Promise<ServerHarness> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-bench-session-"))
  const config = Config.parse({
    dataDir: join(directory, "data"),
    log: { level: "silent" },
    server: { host: "127.0.0.1", port: 0, webDir: join(directory, "web") },
  })
  const logger = silentLogger()
  const services = await createServices(config, logger)
  const app = buildApp({ config, services, logger, rateLimits: { perMinute: 1e9, signInPerMinute: 1e9 } })
  await app.listen({ host: "127.0.0.1", port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const meta = { ip: "127.0.0.1", userAgent: "bench" }
  const { user } = await services.auth.setupOwner(
    { email: "owner@example.test", password: "correct horse battery staple" },
    meta,
  )
  const key = await services.auth.createApiKey(
    { userId: user.id, name: "bench", scope: "admin" },
    { userId: user.id, keyId: null, ...meta },
  )
  const headers = { authorization: `Bearer ${key.secret}` }
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    })
    if (response.status !== 201)
      throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`)
    return (await response.json()) as { id: string }
  }
  const project = await post("/api/projects", { name: "Session bench" })
  const session = await post(`/api/projects/${project.id}/sessions`, { title: "Ten thousand events" })
  return {
    url,
    headers,
    sessionId: session.id,
    services,
    async close() {
      await app.close()
      await services.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

/** (a) The first page plus totals of a 10,000-event session, as the web client opens it. */
async function firstPage(harness: ServerHarness): Promise<BenchFigure[]> {
  const events = realisticEvents(sessionEvents)
  for (let at = 0; at < events.length; at += 500)
    await harness.services.bus.append(harness.sessionId, events.slice(at, at + 500))
  const path = `/api/sessions/${harness.sessionId}/events?limit=200`
  const get = async (target: string) => {
    const response = await fetch(`${harness.url}${target}`, { headers: harness.headers })
    if (response.status !== 200) throw new Error(`GET ${target} answered ${response.status}`)
    return (await response.json()) as { items: unknown[]; head: number }
  }
  const page = await get(path)
  if (page.items.length !== 200 || page.head < sessionEvents)
    throw new Error(`expected 200 of ≥${sessionEvents} events, got ${page.items.length} of ${page.head}`)
  for (let index = 0; index < 20; index++) await get(path) // warm-up
  const samples: number[] = []
  for (let index = 0; index < pageRequests; index++) {
    const start = performance.now()
    await get(path)
    samples.push(performance.now() - start)
  }
  // The whole log in pages of 1,000 (a client that folds every event, e.g. an export).
  const whole: number[] = []
  for (let round = 0; round < 5; round++) {
    const start = performance.now()
    let after = 0
    for (;;) {
      const next = await get(`/api/sessions/${harness.sessionId}/events?after=${after}&limit=1000`)
      if (next.items.length === 0) break
      after += next.items.length
    }
    whole.push(performance.now() - start)
  }
  const note = `${pageRequests} sequential requests over loopback HTTP, ${sessionEvents.toLocaleString("en-US")}-event session, owner's API key; target p50 < 100 ms`
  return [
    ...latencyFigures(
      "GET /api/sessions/:id/events?limit=200 (first page + totals)",
      "SQLite (node:sqlite, WAL)",
      samples,
      note,
    ),
    {
      name: "whole 10,000-event log in pages of 1,000",
      variant: "SQLite (node:sqlite, WAL)",
      value: percentile(whole, 50),
      unit: "ms",
      note: "median of 5 reads, 10 requests each",
    },
  ]
}

/** (b) Events appended to a session reach 100 WebSocket subscribers: latency per event and subscriber. */
async function fanOut(harness: ServerHarness): Promise<BenchFigure[]> {
  const head = await harness.services.store.events.head(harness.sessionId)
  const worker = new Worker(new URL("./session-subscribers.ts", import.meta.url), {
    workerData: {
      url: `${harness.url.replace("http", "ws")}/api/stream`,
      headers: harness.headers,
      sessionId: harness.sessionId,
      after: head,
      clients: subscribers,
    },
  })
  const messages: { type: string; latencies?: number[] }[] = []
  const waiters: (() => void)[] = []
  worker.on("message", (message) => {
    messages.push(message)
    for (const wake of waiters.splice(0)) wake()
  })
  const failed = new Promise<never>((_, reject) => worker.once("error", reject))
  const next = async (type: string) => {
    for (;;) {
      const found = messages.findIndex((message) => message.type === type)
      if (found >= 0) return messages.splice(found, 1)[0]!
      await Promise.race([new Promise<void>((wake) => waiters.push(wake)), failed])
    }
  }
  await next("ready")
  const append = (index: number) =>
    harness.services.bus.append(harness.sessionId, [
      {
        id: newId("evt"),
        type: "assistant.text",
        data: { messageId: "msg_fanout", text: `word ${index} `, sentAt: now() },
      },
    ])
  const round = async (pace: number): Promise<number[]> => {
    worker.postMessage({ type: "expect", count: fanOutEvents * subscribers })
    for (let index = 0; index < fanOutEvents; index++) {
      await append(index)
      if (pace > 0) await new Promise((resolve) => setTimeout(resolve, pace))
    }
    return (await next("received")).latencies ?? []
  }
  await round(0) // warm-up
  const paced = await round(pacedEveryMs)
  const burst = await round(0)
  worker.postMessage({ type: "close" })
  await worker.terminate()
  const samples = `${fanOutEvents} events × ${subscribers} subscribers`
  return [
    ...latencyFigures(
      "append → WebSocket receipt, 100 subscribers",
      `paced (one event every ${pacedEveryMs} ms)`,
      paced,
      `${samples}; SQLite append + in-process bus + /api/stream over loopback`,
    ),
    ...latencyFigures(
      "append → WebSocket receipt, 100 subscribers",
      "burst (appends back to back)",
      burst,
      `${samples}; each append awaited, as the turn writer does`,
    ),
  ]
}

/** A no-op tool that adds up the time spent inside it. */
function timedRegistry(clock: { toolMs: number }) {
  return createToolRegistry([
    defineTool("noop", {
      description: "Does nothing; returns at once.",
      parameters: z.object({ n: z.number().int() }),
      async execute({ n }) {
        const start = performance.now()
        const outcome = { title: `noop ${n}`, output: "ok", metadata: {} }
        clock.toolMs += performance.now() - start
        return outcome
      },
    }),
  ])
}

/** The scripted model, with the time spent inside it per call (pulling its parts) and each call's start. */
function timedModel(turns: ScriptedTurn[]) {
  const scripted = createScriptedModel(turns)
  const calls: { startedAt: number; modelMs: number }[] = []
  const port: ModelPort = {
    async *stream(request: ModelRequest) {
      const call = { startedAt: performance.now(), modelMs: 0 }
      calls.push(call)
      const parts = scripted.stream(request)[Symbol.asyncIterator]()
      for (;;) {
        const start = performance.now()
        const next = await parts.next()
        call.modelMs += performance.now() - start
        if (next.done) return
        yield next.value as ModelPart
      }
    },
  }
  return { port, calls, scripted }
}

const toolTurns = (): ScriptedTurn[] => [
  // Each call differs (n), so that the loop detector never asks.
  ...Array.from({ length: toolCalls }, (_, n) => ({ toolCalls: [{ name: "noop", input: { n } }] })),
  { text: "Done." },
]

/** (c) Loop overhead per tool call: step wall time minus model and tool time, through the real engine. */
async function loopOverhead(withCheckpoints: boolean): Promise<{ perCall: number[]; meanMs: number }> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-bench-loop-"))
  try {
    const workspace = join(directory, "workspaces", "prj_bench")
    const { mkdir } = await import("node:fs/promises")
    await mkdir(workspace, { recursive: true })
    const store = await openStore({ sqlitePath: join(directory, "xionimus.db") })
    const bus = createEventBus({ log: store.events, pubsub: createInProcessPubSub() })
    await store.projects.create({
      id: "prj_bench",
      name: "bench",
      source: { kind: "directory", path: workspace },
    })
    const clock = { toolMs: 0 }
    const model = timedModel(toolTurns())
    const router = createModelRouter({
      port: model.port,
      catalog: createModelCatalog({
        overrides: {
          "scripted/model": {
            contextWindow: 1_000_000,
            maxOutputTokens: 4_096,
            capabilities: { tools: true },
          },
        },
      }),
      config: { default: "scripted/model" },
    })
    const runtime: ProjectRuntime = {
      projectId: "prj_bench",
      files: createDirectoryFiles({
        directory: workspace,
        staging: join(directory, "staging"),
        limits: { maxFileBytes: 1 << 20, maxUploadBytes: 1 << 24, maxUploadFiles: 100 },
      }),
      sandboxed: true,
      ...(withCheckpoints
        ? {
            checkpoints: createCheckpoints({
              workspace,
              gitDir: checkpointGitDir(join(directory, "workspaces"), "prj_bench"),
            }),
          }
        : {}),
    }
    const engine = createSessionEngine({
      bus,
      sessions: store.sessions,
      log: store.events,
      runtimeFor: async () => runtime,
      routerFor: async () => router,
      contextWindowOf: () => 1_000_000,
      permissions: async () => ({ mode: "full-auto", project: [], user: [] }),
      tools: timedRegistry(clock),
      limits: { maxSteps: toolCalls + 10, loopThreshold: 3 },
      nodeId: "bench",
    })
    const session = await engine.create({ projectId: "prj_bench", createdBy: null })
    const start = performance.now()
    await engine.send(session.id, { text: "call noop 200 times", authorId: null })
    await engine.idle(session.id)
    const wall = performance.now() - start
    const events = await bus.read(session.id, { after: 0, limit: 100_000 })
    const ended = events.findLast((event) => event.type === "turn.ended")
    if ((ended?.data as { outcome?: string } | undefined)?.outcome !== "completed")
      throw new Error(`the bench turn did not complete: ${JSON.stringify(ended?.data)}`)
    model.scripted.verify()
    // Step i runs from model call i's start to model call i+1's start: model, loop, tool.
    const toolShare = clock.toolMs / toolCalls
    const perCall = model.calls
      .slice(0, toolCalls)
      .map((call, index) => model.calls[index + 1]!.startedAt - call.startedAt - call.modelMs - toolShare)
    const modelMs = model.calls.reduce((sum, call) => sum + call.modelMs, 0)
    await engine.close()
    await bus.close()
    await store.close()
    return { perCall, meanMs: (wall - modelMs - clock.toolMs) / toolCalls }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}

/** The same 200 calls without engine or log: the model's stream consumed, the tool run through the registry. */
async function bareLoop(): Promise<number[]> {
  const clock = { toolMs: 0 }
  const tools = timedRegistry(clock)
  const model = timedModel(toolTurns())
  const perCall: number[] = []
  const controller = new AbortController()
  const context = {
    sessionId: "ses_bench",
    messageId: "msg_bench",
    callId: "call",
    signal: controller.signal,
    ask: async () => {},
  } as unknown as Parameters<typeof tools.run>[2]
  for (let step = 0; step <= toolCalls; step++) {
    const start = performance.now()
    const toolBefore = clock.toolMs
    const calls: { toolName: string; input: unknown }[] = []
    for await (const part of model.port.stream({
      model: "scripted/model",
      messages: [],
      tools: [],
    } as unknown as ModelRequest))
      if (part.type === "tool-call") calls.push(part)
    for (const call of calls) await tools.run(call.toolName, call.input, context, () => {})
    if (step < toolCalls)
      perCall.push(performance.now() - start - model.calls[step]!.modelMs - (clock.toolMs - toolBefore))
  }
  model.scripted.verify()
  return perCall
}

async function loopFigures(): Promise<BenchFigure[]> {
  const variant = (checkpoints: boolean) =>
    checkpoints
      ? "session engine, hidden-git checkpoint per call"
      : "session engine (SQLite log), no checkpoints"
  const figures: BenchFigure[] = []
  const bare = await bareLoop()
  figures.push({
    name: "loop overhead per tool call (excl. model and tool time), p50",
    variant: "bare loop (model stream + tool registry, no log)",
    value: percentile(bare, 50),
    unit: "ms",
    note: `${toolCalls} calls of a no-op tool, scripted model`,
  })
  await loopOverhead(false) // warm-up
  for (const checkpoints of [false, true]) {
    const { perCall, meanMs } = await loopOverhead(checkpoints)
    figures.push({
      name: "loop overhead per tool call (excl. model and tool time), p50",
      variant: variant(checkpoints),
      value: percentile(perCall, 50),
      unit: "ms",
      note: `${toolCalls} calls in one turn; p99 ${percentile(perCall, 99).toFixed(2)} ms, mean incl. turn start/end ${meanMs.toFixed(2)} ms${checkpoints ? "" : "; target p50 < 5 ms"}`,
    })
  }
  return figures
}

const bench: Bench = {
  title: "Sessions: loading a long session, live fan-out, turn loop overhead",
  command: "node bench/session.bench.ts",
  async run() {
    const harness = await startHarness()
    try {
      return [...(await firstPage(harness)), ...(await fanOut(harness)), ...(await loopFigures())]
    } finally {
      await harness.close()
    }
  },
}

export default bench

if (import.meta.main) console.log(JSON.stringify(await bench.run(), null, 2))
