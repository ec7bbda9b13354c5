import { randomBytes } from "node:crypto"
import { AppError, type Disposer } from "@xionimus/kit"
import type { CgroupSlot } from "./cgroups.ts"
import type { LaunchPlan } from "./exec-run.ts"
import { limitOf } from "./exec-run.ts"
import type { LimitName, SandboxLimits, TerminalSession } from "./types.ts"

export interface TerminalLaunch {
  plan: LaunchPlan
  limits: SandboxLimits
  slot: CgroupSlot | null
  cols?: number | undefined
  rows?: number | undefined
}

/**
 * Starts the launch plan under a PTY (@lydell/node-pty): the sandboxed shell gets the PTY as its
 * controlling terminal. The session is killed (whole tree) on close() or when limits.timeoutMs passes.
 */
export async function openTerminalSession(launch: TerminalLaunch): Promise<TerminalSession> {
  let pty: typeof import("@lydell/node-pty")
  try {
    pty = await import("@lydell/node-pty")
  } catch (error) {
    throw new AppError(
      "SANDBOX_TERMINAL_UNAVAILABLE",
      "Terminals need @lydell/node-pty, which failed to load.",
      {},
      {
        cause: error,
      },
    )
  }
  const child = pty.spawn(launch.plan.file, launch.plan.args, {
    name: "xterm-256color",
    cols: clamp(launch.cols ?? 80, 1, 1000),
    rows: clamp(launch.rows ?? 24, 1, 1000),
    cwd: launch.plan.cwd ?? "/",
    env: {},
  })
  const listeners = new Set<(data: string) => void>()
  let endedBy: LimitName | "abort" | null = null
  // Set when the shell is gone: node-pty's resize (ioctl) and write on its closed PTY throw, and a late
  // frame from a client must not become an uncaught exception in the socket route.
  let gone = false
  /** Sweeps started by kill() end before the slot is handed on (see runProcess). */
  const sweeps: Promise<void>[] = []
  const kill = (reason: LimitName | "abort") => {
    // Once the shell is gone its slot was swept and handed on: a close() now (the client leaving after the
    // exit) must not sweep the slot again, which would kill the next terminal's shell in it.
    if (gone) return
    if (endedBy === null) endedBy = reason
    try {
      process.kill(child.pid, "SIGKILL")
    } catch {
      // Already gone.
    }
    if (launch.slot) sweeps.push(launch.slot.kill())
  }
  const timer = setTimeout(() => kill("timeout"), launch.limits.timeoutMs)
  const dataSubscription = child.onData((data) => {
    for (const listener of listeners) listener(data)
  })
  const exited = new Promise<{ exitCode: number | null; limit: LimitName | null; cpuMs: number | null }>(
    (resolve) => {
      child.onExit(async ({ exitCode, signal }) => {
        gone = true
        clearTimeout(timer)
        dataSubscription.dispose()
        listeners.clear()
        await Promise.all(sweeps)
        if (launch.slot) await launch.slot.kill()
        await launch.plan.cleanup?.()
        const usage = launch.slot?.usage() ?? null
        const code = signal ? null : exitCode
        resolve({ exitCode: code, limit: limitOf(endedBy, code, usage), cpuMs: usage?.cpuMs ?? null })
      })
    },
  )
  return {
    id: `term_${randomBytes(8).toString("hex")}`,
    write(data) {
      if (endedBy === null && !gone) ignoreClosedPty(() => child.write(data))
    },
    resize(cols, rows) {
      if (endedBy === null && !gone)
        ignoreClosedPty(() => child.resize(clamp(cols, 1, 1000), clamp(rows, 1, 1000)))
    },
    onData(listener): Disposer {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    exited,
    async close() {
      kill("abort")
      await exited
    },
  }
}

/** The PTY can close a moment before onExit reports it (ENOTTY, EBADF): a frame then has nowhere to go. */
function ignoreClosedPty(action: () => void): void {
  try {
    action()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (!/ENOTTY|EBADF|EIO/.test(message)) throw error
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(Number.isFinite(value) ? value : min)))
}
