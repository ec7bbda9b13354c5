import { randomBytes } from "node:crypto"
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { type Config, redactSecret } from "@xionimus/config"
import { fromSystemError, toAppError } from "@xionimus/kit"
import type { ServerModule } from "../server-module.ts"
import type { CheckResult } from "./check-result.ts"
import { pingRedis } from "./redis-ping.ts"

// Node's recursive mkdir spins forever where mkdir keeps failing with ENOENT (for instance under
// /proc); walking up by hand fails instead.
async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === "EEXIST") return
    if (code !== "ENOENT" || dirname(path) === path) throw error
    await makeDirectory(dirname(path))
    await mkdir(path).catch((retry: NodeJS.ErrnoException) => {
      if (retry.code !== "EEXIST") throw retry
    })
  }
}

/** Creates the data directory if needed, then writes, reads back and deletes a probe file in it. */
export async function checkDataDir(dataDir: string): Promise<CheckResult> {
  const name = "data directory"
  const probe = join(dataDir, `.doctor-probe-${randomBytes(6).toString("hex")}`)
  try {
    await makeDirectory(dataDir)
    await writeFile(probe, "probe")
    if ((await readFile(probe, "utf8")) !== "probe") throw new Error("the probe file read back differently")
    await unlink(probe)
    return { name, status: "ok", required: true, detail: `${dataDir} is writable` }
  } catch (error) {
    await unlink(probe).catch(() => {})
    const known = fromSystemError(error, { dataDir })
    return {
      name,
      status: "fail",
      required: true,
      detail: `${dataDir}: ${(error as Error).message}`,
      fix: known?.message ?? "choose a writable directory with --data-dir or XIONIMUS_DATA_DIR",
    }
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

export async function checkDatabase(
  config: Config,
  loadServer: () => Promise<ServerModule>,
  timeoutMs = 20_000,
): Promise<CheckResult> {
  const name = "database"
  const which = config.databaseUrl
    ? `PostgreSQL ${redactSecret(config.databaseUrl)}`
    : `SQLite in ${config.dataDir}`
  try {
    const server = await loadServer()
    await withTimeout(server.checkDatabase(config), timeoutMs)
    return { name, status: "ok", required: true, detail: `${which} is reachable` }
  } catch (error) {
    const appError = toAppError(error)
    const fix = config.databaseUrl
      ? "start PostgreSQL, or correct XIONIMUS_DATABASE_URL / DATABASE_URL (unset both to use the embedded SQLite)"
      : "make the data directory writable, or choose another with --data-dir"
    return {
      name,
      status: "fail",
      required: true,
      detail: `${which}: ${appError.code}: ${appError.message}`,
      fix,
    }
  }
}

export async function checkRedis(redisUrl: string): Promise<CheckResult> {
  try {
    await pingRedis(redisUrl)
    return { name: "Redis", status: "ok", required: true, detail: `${redactSecret(redisUrl)} answers PING` }
  } catch (error) {
    return {
      name: "Redis",
      status: "fail",
      required: true,
      detail: (error as Error).message,
      fix: "start Redis, or correct XIONIMUS_REDIS_URL / REDIS_URL (unset both to keep events in one process)",
    }
  }
}
