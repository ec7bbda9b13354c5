import { spawn } from "node:child_process"
import { findExecutable } from "./find-executable.ts"

export interface GvisorStatus {
  available: boolean
  /** The runsc path, when installed. */
  path: string | null
  /** Why it is not offered, or its version. */
  detail: string
}

/**
 * Whether a working gVisor (`runsc`) is installed: it must print a version and run `/bin/true` through
 * `runsc do` on the ptrace platform within the time given. Debian's 2022 build hangs on its default
 * platform here, so a present binary is not enough.
 */
export async function detectGvisor(timeoutMs = 5000): Promise<GvisorStatus> {
  const path = findExecutable("runsc")
  if (!path) return { available: false, path: null, detail: "runsc is not installed" }
  const version = await run(path, ["--version"], timeoutMs)
  if (version.code !== 0)
    return { available: false, path, detail: `runsc --version failed: ${version.output}` }
  // The flags the gVisor backend runs with: the default (KVM/systrap) platform hung here, ptrace works.
  const trial = await run(
    path,
    ["--platform=ptrace", "--network=none", "--ignore-cgroups", "do", "/bin/true"],
    timeoutMs,
  )
  if (trial.code !== 0) {
    return {
      available: false,
      path,
      detail: trial.code === null ? `runsc do hung for ${timeoutMs} ms` : `runsc do failed: ${trial.output}`,
    }
  }
  return { available: true, path, detail: version.output.split("\n")[0] ?? "" }
}

function run(
  file: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], detached: true })
    let output = ""
    const collect = (data: Buffer) => {
      if (output.length < 4096) output += data.toString("utf8")
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL")
      } catch {
        // Gone.
      }
      resolve({ code: null, output: output.trim() })
    }, timeoutMs)
    child.on("error", (error) => {
      clearTimeout(timer)
      resolve({ code: -1, output: error.message })
    })
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, output: output.trim() })
    })
  })
}
