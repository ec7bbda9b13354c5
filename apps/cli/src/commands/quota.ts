import { AppError } from "@xionimus/kit"
import type { QuotaReport } from "@xionimus/server"
import { type CliIo, writeLine } from "../cli-io.ts"
import { openCliAccounts } from "../open-cli-accounts.ts"

export interface QuotaShowOptions {
  /** A user's e-mail address or id. */
  user?: string
  team?: string
  json?: boolean
  dataDir?: string
}

const amount = (value: number | null, unit: string) => {
  if (value === null) return "unlimited"
  if (unit === "usd") return `$${value.toFixed(4)}`
  if (unit === "bytes") return `${value} B`
  return `${Math.round(value * 10) / 10} s`
}

/** `xionimus quota show --user <email>|--team <id>`: usage against each quota. */
export async function quotaShowCommand(options: QuotaShowOptions, io: CliIo): Promise<number> {
  if (Boolean(options.user) === Boolean(options.team))
    throw new AppError("VALIDATION_FAILED", "Give exactly one of --user <email> or --team <team id>.")
  const accounts = await openCliAccounts(io, options.dataDir)
  try {
    let report: QuotaReport
    if (options.user) {
      const user = options.user.startsWith("usr_")
        ? await accounts.auth.getUser(options.user)
        : await accounts.auth.findUserByEmail(options.user)
      report = await accounts.quotas.report("user", user.id)
    } else {
      if (!(await accounts.store.teams.getTeam(options.team!)))
        throw new AppError("TEAM_NOT_FOUND", `No team ${options.team}.`, { teamId: options.team })
      report = await accounts.quotas.report("team", options.team!)
    }
    if (options.json) {
      writeLine(io.stdout, JSON.stringify(report, null, 2))
      return 0
    }
    writeLine(io.stdout, `${report.scope} ${report.id}`)
    for (const quota of report.quotas) {
      const over = quota.limit !== null && quota.used >= quota.limit ? "  USED UP" : ""
      const resets = quota.resetsAt ? `  (resets ${quota.resetsAt})` : ""
      writeLine(
        io.stdout,
        `${quota.name.padEnd(24)} ${amount(quota.used, quota.unit).padStart(14)} of ${amount(quota.limit, quota.unit)}${over}${resets}`,
      )
    }
    return 0
  } finally {
    await accounts.close()
  }
}
