import { spawn } from "node:child_process"
import type { ToolExecRequest, ToolExecResult, ToolSandbox } from "../src/types.ts"

/**
 * A test stand-in for the sandbox port that runs commands on the host (no isolation), mapping
 * /workspace to `workspace`. It exercises the run tool's streaming, timeout and abort handling; the
 * isolation itself is the sandbox package's to prove.
 */
export function createHostSandbox(workspace: string): ToolSandbox & { requests: ToolExecRequest[] } {
  const requests: ToolExecRequest[] = []
  return {
    requests,
    exec(request) {
      requests.push(request)
      const argv =
        "shell" in request.command ? ["/bin/sh", "-c", request.command.shell] : [...request.command.argv]
      const cwd = (request.cwd ?? "/workspace").replace(/^\/workspace/, workspace)
      return new Promise<ToolExecResult>((resolve) => {
        const child = spawn(argv[0]!, argv.slice(1), {
          cwd,
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        })
        let seq = 0
        let limit: string | null = null
        const kill = () => {
          try {
            process.kill(-child.pid!, "SIGKILL")
          } catch {}
        }
        const timer = request.limits?.timeoutMs
          ? setTimeout(() => {
              limit = "timeout"
              kill()
            }, request.limits.timeoutMs)
          : undefined
        request.signal?.addEventListener("abort", kill, { once: true })
        for (const stream of ["stdout", "stderr"] as const)
          child[stream].on("data", (data: Buffer) => request.onOutput?.({ stream, seq: seq++, data }))
        child.on("close", (exitCode, signal) => {
          clearTimeout(timer)
          request.signal?.removeEventListener("abort", kill)
          resolve({ exitCode, signal, limit, aborted: request.signal?.aborted ?? false, truncated: false })
        })
      })
    },
  }
}
