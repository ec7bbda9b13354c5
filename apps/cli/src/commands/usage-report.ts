import { AppError } from "@xionimus/kit"
import type { UsageQuery, UsageTotals } from "@xionimus/server"
import { type CliIo, writeLine } from "../cli-io.ts"
import { loadCliConfig } from "../load-cli-config.ts"
import { loadModelModule } from "../model-module.ts"

export interface UsageOptions {
  user?: string
  team?: string
  project?: string
  session?: string
  from?: string
  to?: string
  by?: string
  json?: boolean
  dataDir?: string
}

const line = (label: string, totals: UsageTotals) =>
  `${label.padEnd(24)} ${String(totals.calls).padStart(6)} calls  ${String(totals.inputTokens).padStart(10)} in  ${String(totals.outputTokens).padStart(9)} out  ${String(totals.cachedInputTokens).padStart(9)} cached  $${totals.costUsd.toFixed(4)}`

/** `xionimus usage`: token and cost totals from the database, optionally grouped. */
export async function usageCommand(options: UsageOptions, io: CliIo): Promise<number> {
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const query: UsageQuery = {
    ...(options.user ? { userId: options.user } : {}),
    ...(options.team ? { teamId: options.team } : {}),
    ...(options.project ? { projectId: options.project } : {}),
    ...(options.session ? { sessionId: options.session } : {}),
    ...(options.from ? { from: new Date(options.from).toISOString() } : {}),
    ...(options.to ? { to: new Date(options.to).toISOString() } : {}),
  }
  if (options.by !== undefined) {
    const module = await import("@xionimus/server")
    const groups: readonly string[] = module.usageGroups
    if (!groups.includes(options.by))
      throw new AppError("VALIDATION_FAILED", `--by takes one of ${groups.join(", ")}, not "${options.by}".`)
    query.groupBy = options.by as NonNullable<UsageQuery["groupBy"]>
  }
  const report = await (await loadModelModule()).readUsage(config, query)
  if (options.json) {
    writeLine(io.stdout, JSON.stringify(report, null, 2))
    return 0
  }
  for (const group of report.groups) writeLine(io.stdout, line(group.key ?? "(none)", group))
  writeLine(io.stdout, line("total", report.totals))
  return 0
}
