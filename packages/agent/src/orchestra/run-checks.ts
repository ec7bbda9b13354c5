import { posix } from "node:path"
import type { ProjectRuntime } from "../types.ts"
import type { CheckRan } from "./run-events.ts"
import type { RunPackage } from "./run-state.ts"

/** Runs the package's machine checks on its current revision in its worktree. */
export async function runChecks(
  runtime: ProjectRuntime,
  item: RunPackage,
  signal: AbortSignal,
): Promise<CheckRan[]> {
  const results: CheckRan[] = []
  for (const [index, check] of item.acceptance.entries()) {
    if (check.kind === "reviewer-approval") continue
    if (check.kind === "files-within") {
      const outside = item.files.filter((file) => !check.globs.some((glob) => posix.matchesGlob(file, glob)))
      results.push({
        packageId: item.id,
        index,
        check,
        passed: outside.length === 0,
        output:
          outside.length === 0
            ? `${item.files.length} changed file(s), all within ${check.globs.join(", ")}`
            : `Outside ${check.globs.join(", ")}: ${outside.join(", ")}`,
        revision: item.revision,
      })
      continue
    }
    if (!runtime.sandbox) {
      results.push({
        packageId: item.id,
        index,
        check,
        passed: false,
        output: "This project has no sandbox: the test command cannot run.",
        revision: item.revision,
      })
      continue
    }
    let output = ""
    const decoder = new TextDecoder()
    const exec = await runtime.sandbox.exec({
      command: { shell: check.command },
      cwd: "/workspace",
      limits: { timeoutMs: item.limits.sandboxSeconds * 1000 },
      signal,
      onOutput(chunk) {
        output = (output + decoder.decode(chunk.data, { stream: true })).slice(-4_000)
      },
    })
    const passed = exec.exitCode === 0
    results.push({
      packageId: item.id,
      index,
      check,
      passed,
      output:
        `exit ${exec.exitCode ?? exec.signal}${exec.limit ? ` (limit ${exec.limit})` : ""}\n${output}`.slice(
          -4_000,
        ),
      revision: item.revision,
    })
  }
  return results
}
