import { readFile, writeFile } from "node:fs/promises"
import { resolve } from "node:path"
import { AppError } from "@xionimus/kit"
import type { HeadlessSessions } from "@xionimus/server"
import { type CliIo, writeLine } from "../cli-io.ts"
import { loadCliConfig } from "../load-cli-config.ts"
import { openHeadless, usageError } from "../open-headless.ts"

type Engine = HeadlessSessions["services"]["orchestra"]["engine"]
type RunStatus = Awaited<ReturnType<Engine["status"]>>
type RunState = RunStatus["state"]
type RunSummary = Awaited<ReturnType<HeadlessSessions["services"]["orchestra"]["list"]>>["items"][number]

interface DataDirOption {
  dataDir?: string
}

/** Exit codes of the commands that drive a run: 0 done, 3 waiting at a gate, 1 ended otherwise. */
export const gateExit = 3

/** Events worth a line on stderr while a run is driven here. */
function describe(event: { type: string; data: unknown }): string | null {
  const data = event.data as Record<string, unknown>
  switch (event.type) {
    case "step.started":
      return `▶ ${data.role} ${data.purpose}${data.packageId ? ` ${data.packageId}` : ""} (${data.stepId})`
    case "step.ended":
      return `  ${data.stepId} ${data.outcome}`
    case "package.created":
      return `+ package ${data.id}: ${data.title}`
    case "package.moved":
      return `  ${data.id}: ${data.from} → ${data.to} (${data.by}: ${data.reason})`
    case "gate.opened":
      return `■ gate ${data.id} (${data.kind}): ${data.reason}`
    case "merge.applied":
      return `✓ merged ${data.packageId}: ${(data.files as string[]).join(", ") || "no changes"}`
    case "merge.conflicted":
      return `✗ ${data.packageId} conflicts in ${(data.paths as string[]).join(", ")}`
    case "run.ended":
      return `■ run ended: ${data.outcome} — ${data.message}`
    default:
      return null
  }
}

async function withOrchestra<T>(
  io: CliIo,
  options: DataDirOption,
  work: (headless: HeadlessSessions, engine: Engine) => Promise<T>,
): Promise<T> {
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const headless = await openHeadless(config, io)
  try {
    return await work(headless, headless.services.orchestra.engine)
  } finally {
    await headless.close()
  }
}

/**
 * Drives the run in this process until it waits for a person (a gate) or ends, printing its steps
 * on stderr; SIGINT cancels it. Returns the exit code for where it stopped.
 */
async function driveUntilIdle(
  headless: HeadlessSessions,
  runId: string,
  io: CliIo,
  options: { json?: boolean; after: number },
): Promise<number> {
  const engine = headless.services.orchestra.engine
  const subscription = await headless.services.bus.subscribe(runId, {
    after: options.after,
    onEvent(event) {
      const line = describe(event)
      if (line) writeLine(io.stderr, line)
    },
  })
  const stop = io.onSignal(() => {
    engine.cancel(runId, null).catch(() => undefined)
  })
  try {
    await engine.idle(runId)
  } finally {
    stop()
    subscription.dispose()
  }
  const status = await engine.status(runId)
  printStatus(io, status, options.json)
  return exitCodeOf(status.state)
}

function exitCodeOf(state: RunState): number {
  if (state.ended) return state.ended.outcome === "done" ? 0 : 1
  return state.gates.some((gate) => gate.status === "open") ? gateExit : 0
}

function printStatus(io: CliIo, status: RunStatus, json = false): void {
  if (json) {
    writeLine(io.stdout, JSON.stringify(status, null, 2))
    return
  }
  const { state } = status
  const where = state.ended
    ? `ended ${state.ended.outcome}: ${state.ended.message}`
    : status.waiting.length > 0
      ? "waiting for a decision at a gate"
      : status.active.length > 0
        ? "running"
        : "paused (drive it with `xionimus orchestra resume`)"
  const run = state.totals.run
  writeLine(io.stdout, `run ${status.runId} · project ${state.projectId}`)
  writeLine(io.stdout, `goal: ${state.goal}`)
  writeLine(io.stdout, `state: ${where}`)
  writeLine(
    io.stdout,
    `usage: ${run.modelCalls} model calls, ${run.inputTokens + run.outputTokens} tokens, $${run.costUsd.toFixed(4)}`,
  )
  if (state.packages.length > 0) writeLine(io.stdout, "packages:")
  for (const item of state.packages) {
    const extra = item.conflict ? ` (conflict: ${item.conflict.join(", ")})` : ""
    writeLine(io.stdout, `  ${item.id}  ${item.state.padEnd(16)}  ${item.title}${extra}`)
  }
  printGates(io, status.waiting)
}

function printGates(io: CliIo, gates: RunStatus["waiting"]): void {
  if (gates.length === 0) return
  writeLine(io.stdout, "gates waiting:")
  for (const gate of gates) writeLine(io.stdout, `  ${gate.id}  ${gate.kind.padEnd(14)}  ${gate.reason}`)
  writeLine(io.stdout, "decide with `xionimus orchestra approve <gate>` or `reject <gate> --comment <text>`")
}

/** A preset by name (only `default` ships) or a JSON file of roles as data. */
async function presetOf(io: CliIo, name: string | undefined): Promise<unknown> {
  if (name === undefined || name === "default") return undefined
  const path = resolve(io.cwd, name)
  const text = await readFile(path, "utf8").catch(() => {
    throw new AppError(
      "PRESET_INVALID",
      `There is no preset "${name}": use "default" or the path of a JSON file with roles (docs/orchestra.md).`,
      { preset: name },
    )
  })
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError("PRESET_INVALID", `${path} is not JSON.`, { path })
  }
}

/** `xionimus orchestra start --project <dir> [--preset <name>] "goal"`: start a run and drive it to its first gate. */
export async function orchestraStartCommand(
  goal: string,
  options: DataDirOption & { project: string; preset?: string; json?: boolean; maxCalls?: string },
  io: CliIo,
): Promise<number> {
  if (!goal.trim())
    return usageError(io, 'give the goal, e.g. xionimus orchestra start --project . "add a login page"')
  const modelCalls = options.maxCalls === undefined ? undefined : Number(options.maxCalls)
  if (modelCalls !== undefined && !(Number.isInteger(modelCalls) && modelCalls >= 1))
    return usageError(io, `--max-calls takes a whole number of at least 1, not "${options.maxCalls}"`)
  const preset = await presetOf(io, options.preset)
  return withOrchestra(io, options, async (headless, engine) => {
    const project = await headless.projectForDirectory(resolve(io.cwd, options.project))
    const status = await engine.start({
      projectId: project.id,
      goal,
      ...(preset !== undefined ? { preset: preset as never } : {}),
      ...(modelCalls !== undefined ? { budget: { modelCalls } } : {}),
      createdBy: null,
    })
    writeLine(io.stderr, `run ${status.runId} · project ${project.name} (${project.id})`)
    return driveUntilIdle(headless, status.runId, io, { json: options.json ?? false, after: 0 })
  })
}

/** `xionimus orchestra list [--project <dir or id>]`: a project's runs, newest first, with where each is. */
export async function orchestraListCommand(
  options: DataDirOption & { project: string; json?: boolean },
  io: CliIo,
): Promise<number> {
  return withOrchestra(io, options, async (headless) => {
    const project = await headless.findProject(options.project, io.cwd)
    // The list's pages carry each run's summary: no run's log is read here.
    const runs: RunSummary[] = []
    let cursor: string | undefined
    do {
      const page = await headless.services.orchestra.list(project.id, { limit: 200, cursor })
      runs.push(...page.items)
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    if (options.json) writeLine(io.stdout, JSON.stringify(runs, null, 2))
    else if (runs.length === 0) writeLine(io.stdout, "no runs yet: start one with `xionimus orchestra start`")
    else for (const run of runs) writeLine(io.stdout, summaryLine(run))
    return 0
  })
}

/** One run of the list: id, when, phase, packages done of all, gates waiting, cost, goal (last: it is long). */
function summaryLine(run: RunSummary): string {
  const gates = run.openGates > 0 ? `  ${run.openGates} gate${run.openGates === 1 ? "" : "s"} waiting` : ""
  return [
    run.runId,
    run.createdAt,
    run.phase.padEnd(9),
    `${run.packages.done}/${run.packages.total} packages${gates}`,
    `$${run.usage.costUsd.toFixed(4)}`,
    run.goal,
  ].join("  ")
}

/** `xionimus orchestra status <run>`. */
export async function orchestraStatusCommand(
  runId: string,
  options: DataDirOption & { json?: boolean },
  io: CliIo,
): Promise<number> {
  return withOrchestra(io, options, async (_headless, engine) => {
    printStatus(io, await engine.status(runId), options.json)
    return 0
  })
}

/** `xionimus orchestra gates <run> [--all]`: the gates waiting for a decision (or every gate). */
export async function orchestraGatesCommand(
  runId: string,
  options: DataDirOption & { all?: boolean; json?: boolean },
  io: CliIo,
): Promise<number> {
  return withOrchestra(io, options, async (_headless, engine) => {
    const status = await engine.status(runId)
    const gates = options.all ? status.state.gates : status.waiting
    if (options.json) writeLine(io.stdout, JSON.stringify(gates, null, 2))
    else if (gates.length === 0) writeLine(io.stdout, "no gate is waiting for a decision")
    else
      for (const gate of gates)
        writeLine(
          io.stdout,
          `${gate.id}  ${gate.kind.padEnd(14)}  ${gate.status.padEnd(8)}  ${gate.reason}${gate.comment ? ` — ${gate.comment}` : ""}`,
        )
    return 0
  })
}

/** The run a gate belongs to: given, or read from the gate's id (gate ids carry their run's). */
function runOfGate(gateId: string, run: string | undefined): string {
  if (run) return run
  const part = /^gat_(?:stp_)?([0-9a-f]{14}[0-9A-Za-z]{12})_/.exec(gateId)?.[1]
  if (!part)
    throw new AppError(
      "GATE_NOT_FOUND",
      `The gate id ${gateId} does not name its run; add --run <orc_…> (see \`xionimus orchestra gates <run>\`).`,
      { gateId },
    )
  return `orc_${part}`
}

/** `xionimus orchestra approve|reject <gate>`: decide, then drive the run to its next gate or its end. */
export async function orchestraDecideCommand(
  decision: "approve" | "reject",
  gateId: string,
  options: DataDirOption & { run?: string; comment?: string; json?: boolean },
  io: CliIo,
): Promise<number> {
  if (decision === "reject" && !options.comment?.trim())
    return usageError(io, "a rejection needs --comment <text>: the agent reads it to know what to do instead")
  const runId = runOfGate(gateId, options.run)
  return withOrchestra(io, options, async (headless, engine) => {
    const before = await engine.status(runId)
    await engine.decideGate(
      runId,
      gateId,
      { decision, ...(options.comment ? { comment: options.comment } : {}) },
      null,
    )
    writeLine(io.stderr, `${decision === "approve" ? "approved" : "rejected"} ${gateId}`)
    return driveUntilIdle(headless, runId, io, { json: options.json ?? false, after: before.state.head })
  })
}

/** `xionimus orchestra resume <run>`: drive a run again (after a stop) to its next gate or its end. */
export async function orchestraResumeCommand(
  runId: string,
  options: DataDirOption & { json?: boolean },
  io: CliIo,
): Promise<number> {
  return withOrchestra(io, options, async (headless, engine) => {
    const status = await engine.resume(runId)
    return driveUntilIdle(headless, runId, io, { json: options.json ?? false, after: status.state.head })
  })
}

/** `xionimus orchestra context show <run>`: CONTEXT.md as the run has it now. */
export async function orchestraContextCommand(
  runId: string,
  options: DataDirOption,
  io: CliIo,
): Promise<number> {
  return withOrchestra(io, options, async (_headless, engine) => {
    const { context } = await engine.status(runId)
    io.stdout.write(context.endsWith("\n") ? context : `${context}\n`)
    return 0
  })
}

/** `xionimus orchestra export <run> [--output <file>]`: the run as versioned JSON (events, CONTEXT.md, report). */
export async function orchestraExportCommand(
  runId: string,
  options: DataDirOption & { output?: string },
  io: CliIo,
): Promise<number> {
  return withOrchestra(io, options, async (_headless, engine) => {
    const text = `${JSON.stringify(await engine.exportRun(runId), null, 2)}\n`
    if (!options.output) {
      io.stdout.write(text)
      return 0
    }
    const file = resolve(io.cwd, options.output)
    await writeFile(file, text)
    writeLine(io.stderr, `exported ${runId} to ${file}`)
    return 0
  })
}
