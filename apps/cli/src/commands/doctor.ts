import { type Config, type ConfigProblem, formatConfigProblem } from "@xionimus/config"
import { isAppError } from "@xionimus/kit"
import { type CliIo, writeLine } from "../cli-io.ts"
import { type CheckResult, statusSymbols } from "../doctor/check-result.ts"
import { checkDatabase, checkDataDir, checkRedis } from "../doctor/data-checks.ts"
import { checkSandbox } from "../doctor/sandbox-check.ts"
import { checkBubblewrap, checkChromium, checkGit, checkNode, checkRipgrep } from "../doctor/tool-checks.ts"
import { loadCliConfig } from "../load-cli-config.ts"
import { loadServer } from "../server-module.ts"

export interface DoctorOptions {
  dataDir?: string
  json?: boolean
}

async function checkConfig(
  io: CliIo,
  options: DoctorOptions,
): Promise<{ result: CheckResult; config?: Config }> {
  const name = "configuration"
  try {
    const loaded = await loadCliConfig(io, { dataDir: options.dataDir })
    const files = loaded.files.length > 0 ? loaded.files.join(", ") : "defaults and environment only"
    return {
      result: { name, status: "ok", required: true, detail: `valid (${files})` },
      config: loaded.config,
    }
  } catch (error) {
    if (!isAppError(error) || error.code !== "CONFIG_INVALID") throw error
    const problems = (error.details as { problems: ConfigProblem[] }).problems
    const detail = problems.map(formatConfigProblem).join("; ")
    return { result: { name, status: "fail", required: true, detail, fix: "correct each value listed" } }
  }
}

function notChecked(name: string, reason = "the configuration is invalid"): CheckResult {
  return { name, status: "fail", required: true, detail: `not checked: ${reason}` }
}

function printResult(io: CliIo, result: CheckResult): void {
  writeLine(io.stdout, `${statusSymbols[result.status]} ${result.name.padEnd(15)} ${result.detail}`)
  if (result.fix) writeLine(io.stdout, `  ${" ".repeat(15)} fix: ${result.fix}`)
}

/**
 * `xionimus doctor`: checks everything Xionimus needs on this machine, one line each with the fix
 * for each failure. Exit code 1 when a required check fails.
 */
export async function doctorCommand(options: DoctorOptions, io: CliIo): Promise<number> {
  const results: CheckResult[] = []
  const report = (result: CheckResult) => {
    results.push(result)
    if (!options.json) printResult(io, result)
  }
  report(checkNode())
  const { result, config } = await checkConfig(io, options)
  report(result)
  report(await checkGit(io.env))
  report(await checkBubblewrap(io.env))
  report(await checkRipgrep(io.env))
  if (config) {
    const dataDir = await checkDataDir(config.dataDir!)
    report(dataDir)
    if (dataDir.status === "fail" && !config.databaseUrl) {
      report(notChecked("database", "the data directory that holds SQLite is not writable"))
    } else report(await checkDatabase(config, loadServer))
    if (config.redisUrl) report(await checkRedis(config.redisUrl))
    for (const check of await checkSandbox(config)) report(check)
  } else {
    report(notChecked("data directory"))
    report(notChecked("database"))
  }
  report(await checkChromium(io.env))

  const failed = results.filter((check) => check.required && check.status === "fail")
  if (options.json) {
    writeLine(io.stdout, JSON.stringify({ ok: failed.length === 0, checks: results }, null, 2))
  } else {
    writeLine(io.stdout)
    const summary =
      failed.length === 0
        ? "All required checks passed."
        : `${failed.length} required check${failed.length === 1 ? "" : "s"} failed: ${failed.map((check) => check.name).join(", ")}.`
    writeLine(io.stdout, summary)
  }
  return failed.length === 0 ? 0 : 1
}
