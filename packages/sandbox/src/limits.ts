import { AppError } from "@xionimus/kit"
import type { SandboxLimits } from "./types.ts"

const mebibyte = 1024 * 1024

/** Defaults for a run when neither the provider, the project nor the call sets a limit. */
export const defaultLimits: SandboxLimits = {
  timeoutMs: 60_000,
  cpuSeconds: 60,
  memoryBytes: 512 * mebibyte,
  pids: 256,
  cpuCores: 1,
  outputBytes: 4 * mebibyte,
  fileBytes: 1024 * mebibyte,
  openFiles: 1024,
  tmpBytes: 256 * mebibyte,
  diskBytes: 2048 * mebibyte,
}

/** Lower bounds below which nothing useful can run (bwrap itself needs a few pids and some memory). */
const minimums: SandboxLimits = {
  timeoutMs: 1,
  cpuSeconds: 1,
  memoryBytes: 16 * mebibyte,
  pids: 8,
  cpuCores: 0.01,
  outputBytes: 1,
  fileBytes: 1,
  openFiles: 16,
  tmpBytes: 4096,
  diskBytes: 1,
}

/**
 * The limits of one run: the call's values, but never above the project's (a call may narrow, not widen).
 * Raises SANDBOX_LIMIT_INVALID for a value that is not a number or below the minimum.
 */
export function resolveLimits(ceiling: SandboxLimits, requested: Partial<SandboxLimits> = {}): SandboxLimits {
  const result = { ...ceiling }
  for (const [key, value] of definedEntries(requested)) result[key] = Math.min(value, ceiling[key])
  return result
}

/** Configured values (the provider's or a project's) over a base, validated; these may raise the base. */
export function limitsWith(base: SandboxLimits, overrides: Partial<SandboxLimits> = {}): SandboxLimits {
  const result = { ...base }
  for (const [key, value] of definedEntries(overrides)) result[key] = value
  return result
}

function definedEntries(values: Partial<SandboxLimits>): [keyof SandboxLimits, number][] {
  const entries: [keyof SandboxLimits, number][] = []
  for (const key of Object.keys(values) as (keyof SandboxLimits)[]) {
    const value = values[key]
    if (value === undefined) continue
    if (!(key in minimums)) {
      throw new AppError("SANDBOX_LIMIT_INVALID", `There is no sandbox limit called ${key}.`, { limit: key })
    }
    if (typeof value !== "number" || !Number.isFinite(value) || value < minimums[key]) {
      throw new AppError(
        "SANDBOX_LIMIT_INVALID",
        `The limit ${key} must be a number of at least ${minimums[key]}; it was ${String(value)}.`,
        { limit: key, value, minimum: minimums[key] },
      )
    }
    entries.push([key, key === "cpuCores" ? value : Math.floor(value)])
  }
  return entries
}
