import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import type { CgroupSlot, CgroupUsage } from "./cgroups.ts"
import { createOutputLimiter } from "./output-limiter.ts"
import type { ExecRequest, ExecResult, LimitName, SandboxLimits } from "./types.ts"
import { workspaceSize } from "./workspace-size.ts"

/** How the backend turns a request into a process: the full argv of the launcher, already built. */
export interface LaunchPlan {
  file: string
  args: string[]
  /** Host working directory (the none backend); bwrap sets its own with --chdir. */
  cwd?: string
  /** Start in its own process group and kill the whole group (the none backend has no pid namespace). */
  processGroup?: boolean
  /** A process started ahead of time that takes this run, or null to start `file` now. */
  warm?: () => Promise<ChildProcessWithoutNullStreams | null>
  /** Removes what the backend made for this run (gVisor: its container and bundle); awaited before the result. */
  cleanup?: () => Promise<void>
}

export interface RunOptions {
  plan: LaunchPlan
  request: ExecRequest
  limits: SandboxLimits
  slot: CgroupSlot | null
  /** Host path checked against limits.diskBytes while the run goes; null = not checked. */
  workspaceDir: string | null
  diskCheckIntervalMs: number
  /** Called with a function that kills the run, so that release()/dispose() can end it. */
  register(kill: () => void): () => void
}

const SIGXCPU = 24
const SIGXFSZ = 25

/**
 * Runs one launch plan to its end: feeds stdin, streams ordered chunks, enforces the wall-clock timeout,
 * the output cap and the disk quota by SIGKILLing the whole tree (bwrap's pid namespace dies with it, the
 * cgroup is swept), then names the limit that ended it from the exit status and the cgroup's counters.
 */
export async function runProcess(options: RunOptions): Promise<ExecResult> {
  const { plan, request, limits, slot } = options
  const started = performance.now()
  let endedBy: LimitName | "abort" | null = null
  const child =
    (await plan.warm?.()) ??
    spawn(plan.file, plan.args, {
      stdio: ["pipe", "pipe", "pipe"],
      env: {},
      detached: plan.processGroup === true,
      ...(plan.cwd ? { cwd: plan.cwd } : {}),
    })
  const timers: NodeJS.Timeout[] = []
  /** Sweeps of the slot started by kill(): all must end before the slot is handed on, or one still polling
   * would kill the slot's next launcher (seen under load). */
  const sweeps: Promise<void>[] = []

  const kill = (reason: LimitName | "abort") => {
    if (endedBy === null) endedBy = reason
    if (plan.processGroup && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL")
      } catch {
        // The group is gone.
      }
    }
    child.kill("SIGKILL")
    if (slot) sweeps.push(slot.kill())
  }
  const unregister = options.register(() => kill("abort"))
  const output = createOutputLimiter(limits.outputBytes, request.onOutput, () => {
    kill("output")
    child.stdout.destroy()
    child.stderr.destroy()
  })
  child.stdout.on("data", (data: Buffer) => output.push("stdout", data))
  child.stderr.on("data", (data: Buffer) => output.push("stderr", data))
  child.stdin.on("error", () => undefined) // the program may exit without reading its input
  child.stdin.end(request.stdin === undefined ? undefined : Buffer.from(request.stdin))

  timers.push(setTimeout(() => kill("timeout"), limits.timeoutMs))
  const onAbort = () => kill("abort")
  request.signal?.addEventListener("abort", onAbort, { once: true })
  if (request.signal?.aborted) onAbort()
  if (options.workspaceDir && options.diskCheckIntervalMs > 0) {
    const dir = options.workspaceDir
    let checking = false
    let previous = Number.POSITIVE_INFINITY
    const interval = setInterval(() => {
      if (checking) return
      checking = true
      // Only a run that grows a workspace past its quota is stopped: one that cleans up an over-full
      // workspace must be able to finish.
      void workspaceSize(dir, limits.diskBytes * 2)
        .then((size) => {
          if (size > limits.diskBytes && size > previous) kill("disk")
          previous = size
        })
        .finally(() => {
          checking = false
        })
    }, options.diskCheckIntervalMs)
    timers.push(interval)
  }

  return new Promise((resolve, reject) => {
    let exited = false
    child.on("error", (error) => {
      cleanup()
      void (plan.cleanup?.() ?? Promise.resolve()).finally(() => reject(error))
    })
    child.on("exit", () => {
      exited = true
      // A pipe still held open would keep "close" from coming; the pid namespace is gone, so don't wait long.
      timers.push(
        setTimeout(() => {
          child.stdout.destroy()
          child.stderr.destroy()
        }, 2000),
      )
    })
    child.on("close", async (code, signal) => {
      if (!exited) return
      const wallMs = performance.now() - started
      await Promise.all(sweeps)
      if (slot) await slot.kill() // nothing of this run may outlive it
      await plan.cleanup?.()
      const usage = slot?.usage() ?? null
      cleanup()
      output.finish()
      resolve({
        exitCode: code,
        signal,
        limit: limitOf(endedBy, code, usage),
        aborted: endedBy === "abort",
        truncated: output.truncated,
        usage: {
          wallMs: Math.round(wallMs * 100) / 100,
          cpuMs: usage?.cpuMs ?? null,
          peakMemoryBytes: usage?.peakMemoryBytes ?? null,
          stdoutBytes: output.bytes.stdout,
          stderrBytes: output.bytes.stderr,
        },
        limits,
      })
    })
  })

  function cleanup(): void {
    for (const timer of timers) clearTimeout(timer)
    request.signal?.removeEventListener("abort", onAbort)
    unregister()
  }
}

/** The limit that ended the run: what we killed it for, else what the kernel killed it for. */
export function limitOf(
  endedBy: LimitName | "abort" | null,
  exitCode: number | null,
  usage: CgroupUsage | null,
): LimitName | null {
  if (endedBy === "abort") return null
  if (endedBy === "output" || endedBy === "disk") return endedBy
  if (usage?.oomKilled) return "memory"
  // bwrap reports a program killed by signal N as exit code 128 + N.
  if (exitCode === 128 + SIGXCPU) return "cpu"
  if (exitCode === 128 + SIGXFSZ) return "disk"
  if (usage?.pidsLimitHit && (endedBy === "timeout" || exitCode !== 0)) return "pids"
  return endedBy
}
