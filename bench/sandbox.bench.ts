// Sandbox start-up and throughput: /bin/true start+exit (plain spawn, our bubblewrap sandbox with and
// without cgroups, @anthropic-ai/sandbox-runtime, our gVisor backend), python3 and node start-up overhead, memory of an idle sandbox, and
// 1,000 short runs at concurrency caps 2 and 8.
// Run alone: `node bench/sandbox.bench.ts` prints the figures as JSON.
import { spawn, spawnSync } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createBubblewrapProvider, createGvisorProvider, detectGvisor, type Sandbox } from "@xionimus/sandbox"
import type { Bench, BenchFigure } from "./lib.ts"

const startRuns = 200
const interpreterRuns = 30
const gvisorRuns = 30
const throughputRuns = 1000

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN
}

const sandboxLikeEnvironment = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/tmp", LANG: "C.UTF-8" }

function plainRun(argv: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    // The sandbox's environment, not the bench's: NODE_EXTRA_CA_CERTS alone costs node ~60 ms at start.
    const child = spawn(argv[0]!, argv.slice(1), { stdio: "ignore", env: sandboxLikeEnvironment })
    child.on("error", reject)
    child.on("close", () => resolve(performance.now() - start))
  })
}

async function sandboxRun(sandbox: Sandbox, argv: [string, ...string[]]): Promise<number> {
  const start = performance.now()
  const result = await sandbox.exec({ command: { argv } })
  if (result.exitCode !== 0) throw new Error(`${argv.join(" ")} failed in the sandbox: ${result.exitCode}`)
  return performance.now() - start
}

async function times(count: number, run: () => Promise<number>): Promise<number[]> {
  return (await interleaved(count, [run]))[0]!
}

/**
 * Runs the variants round-robin (a, b, c, a, b, c…) so that the load of a shared machine falls on all of
 * them alike; the ratios stay meaningful even when the absolute numbers move.
 */
async function interleaved(count: number, runs: (() => Promise<number>)[]): Promise<number[][]> {
  for (const run of runs) for (let index = 0; index < 5; index++) await run() // warm-up
  const values = runs.map(() => [] as number[])
  for (let index = 0; index < count; index++) {
    for (const [variant, run] of runs.entries()) values[variant]!.push(await run())
  }
  return values
}

/** @anthropic-ai/sandbox-runtime, as a user would embed it; null + why when it cannot run here. */
async function sandboxRuntimeTimes(workspace: string): Promise<{ values: number[] | null; note: string }> {
  try {
    const { SandboxManager } = await import("@anthropic-ai/sandbox-runtime")
    await SandboxManager.initialize({
      network: { allowedDomains: [], deniedDomains: [] },
      filesystem: { denyRead: [], allowWrite: [workspace], denyWrite: [] },
    } as never)
    try {
      const probe = await SandboxManager.wrapWithSandbox("cat /etc/shadow >/dev/null 2>&1 && echo readable")
      const shadow = spawnSync("/bin/sh", ["-c", probe], { encoding: "utf8" }).stdout.includes("readable")
      const command = await SandboxManager.wrapWithSandbox("/bin/true")
      const values = await times(startRuns / 2, () => plainRun(["/bin/sh", "-c", command]))
      return {
        values,
        note:
          "srt 0.0.83, defaults + no network; file and network limits only (no CPU, memory, pids or time)" +
          (shadow ? "; run as root it left /etc/shadow readable in this run" : ""),
      }
    } finally {
      await SandboxManager.reset()
    }
  } catch (error) {
    return { values: null, note: `could not run here: ${(error as Error).message}` }
  }
}

/** The gVisor backend (a runsc container per run, ~0.1 s each): fewer runs; null + why when runsc does not work. */
async function gvisorTimes(workspace: string): Promise<{ values: number[] | null; note: string }> {
  const status = await detectGvisor()
  if (!status.available) return { values: null, note: `not measured: ${status.detail}` }
  const provider = await createGvisorProvider({ maxConcurrent: 1 })
  try {
    const sandbox = await provider.create({ projectId: "bench-gvisor", workspaceDir: workspace })
    const values = await times(gvisorRuns, () => sandboxRun(sandbox, ["/bin/true"]))
    return { values, note: `${status.detail}, --platform=ptrace, OCI bundle per run; ${gvisorRuns} runs` }
  } finally {
    await provider.dispose()
  }
}

async function throughput(workspace: string, cap: number): Promise<number> {
  const provider = await createBubblewrapProvider({ maxConcurrent: cap, cgroupName: "xionimus-bench" })
  try {
    const sandbox = await provider.create({ projectId: `throughput-${cap}`, workspaceDir: workspace })
    await sandbox.exec({ command: { argv: ["/bin/true"] } })
    const start = performance.now()
    await Promise.all(
      Array.from({ length: throughputRuns }, () => sandbox.exec({ command: { argv: ["/bin/echo", "x"] } })),
    )
    return throughputRuns / ((performance.now() - start) / 1000)
  } finally {
    await provider.dispose()
  }
}

async function measure(): Promise<BenchFigure[]> {
  const workspace = await mkdtemp(join(tmpdir(), "xionimus-sandbox-bench-"))
  const provider = await createBubblewrapProvider({ maxConcurrent: 1, cgroupName: "xionimus-bench" })
  const figures: BenchFigure[] = []
  try {
    const sandbox = await provider.create({ projectId: "bench", workspaceDir: workspace })
    const plainProvider = await createBubblewrapProvider({ maxConcurrent: 1, cgroups: false })
    const withoutCgroups = await plainProvider.create({ projectId: "bench", workspaceDir: workspace })
    const [plain = [], ours = [], oursWithoutCgroups = []] = await interleaved(startRuns, [
      () => plainRun(["/bin/true"]),
      () => sandboxRun(sandbox, ["/bin/true"]),
      () => sandboxRun(withoutCgroups, ["/bin/true"]),
    ]).finally(() => plainProvider.dispose())
    const runtime = await sandboxRuntimeTimes(workspace)
    const gvisor = await gvisorTimes(workspace)
    const cgroups = provider.capabilities.cgroups
    const oursNote = `bubblewrap 0.8, all namespaces, seccomp, rlimits, ${cgroups ? `cgroup ${cgroups} memory+pids+cpu (reused slot, warm launcher)` : "no cgroups"}`
    for (const [label, fraction] of [
      ["p50", 0.5],
      ["p99", 0.99],
    ] as const) {
      const name = `/bin/true start+exit ${label}`
      figures.push({ name, variant: "plain spawn", value: percentile(plain, fraction), unit: "ms" })
      figures.push({
        name,
        variant: "Xionimus sandbox",
        value: percentile(ours, fraction),
        unit: "ms",
        note: oursNote,
      })
      figures.push({
        name,
        variant: "Xionimus sandbox without cgroups",
        value: percentile(oursWithoutCgroups, fraction),
        unit: "ms",
        note: "memory, pids and CPU share not enforced; no cgroup slot, so no warm launcher: a cold shell start every run",
      })
      figures.push({
        name,
        variant: "@anthropic-ai/sandbox-runtime",
        value: runtime.values ? percentile(runtime.values, fraction) : Number.NaN,
        unit: "ms",
        note: runtime.note,
      })
      figures.push({
        name,
        variant: "Xionimus gVisor backend",
        value: gvisor.values ? percentile(gvisor.values, fraction) : Number.NaN,
        unit: "ms",
        note: gvisor.note,
      })
    }
    for (const argv of [
      ["python3", "-c", "pass"],
      ["node", "-e", "0"],
    ] as [string, ...string[]][]) {
      const name = `\`${argv.join(" ")}\` start+exit p50`
      const [plainInterpreter = [], sandboxed = []] = await interleaved(interpreterRuns, [
        () => plainRun([`/usr/bin/${argv[0]}`, ...argv.slice(1)]),
        () => sandboxRun(sandbox, argv),
      ])
      const overhead = percentile(sandboxed, 0.5) - percentile(plainInterpreter, 0.5)
      figures.push({ name, variant: "plain spawn", value: percentile(plainInterpreter, 0.5), unit: "ms" })
      figures.push({
        name,
        variant: "Xionimus sandbox",
        value: percentile(sandboxed, 0.5),
        unit: "ms",
        note: `overhead ${overhead.toFixed(1)} ms (/usr/bin/${argv[0]})`,
      })
    }
    const idle = await sandbox.exec({ command: { argv: ["/bin/sleep", "1"] } })
    figures.push({
      name: "memory of an idle sandbox",
      variant: "Xionimus sandbox running sleep",
      value: (idle.usage.peakMemoryBytes ?? Number.NaN) / 1024 / 1024,
      unit: "MiB",
      note: "peak memory-cgroup charge of the run (bwrap, its init, sleep); between runs a slot keeps one waiting /bin/sh for up to 60 s (1.6 MiB RSS, 108 KiB of it private)",
    })
  } finally {
    await provider.dispose()
  }
  for (const cap of [2, 8]) {
    figures.push({
      name: "1,000 runs of `echo x`",
      variant: `concurrency cap ${cap}`,
      value: await throughput(workspace, cap),
      unit: "runs/s",
    })
  }
  await rm(workspace, { recursive: true, force: true })
  return figures
}

const bench: Bench = {
  title: "Sandbox: start-up, overhead, memory, throughput",
  command: "node bench/sandbox.bench.ts",
  run: measure,
}

export default bench

if (import.meta.main) console.log(JSON.stringify(await bench.run(), null, 2))
