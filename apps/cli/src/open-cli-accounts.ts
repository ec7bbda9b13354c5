import type { Config } from "@xionimus/config"
import { AppError } from "@xionimus/kit"
import type { Accounts } from "@xionimus/server"
import type { CliIo } from "./cli-io.ts"
import { loadCliConfig } from "./load-cli-config.ts"

/** The audit log's actor for operator commands: nobody signed in, the machine's operator. */
export const operator = { userId: null, keyId: null, ip: null, userAgent: "xionimus-cli" }

/** Opens the accounts of the configured data directory (importing the server only for these commands). */
export async function openCliAccounts(io: CliIo, dataDir: string | undefined): Promise<Accounts> {
  const { config } = await loadCliConfig(io, { dataDir })
  const server: { openAccounts?: (config: Config) => Promise<Accounts> } = await import("@xionimus/server")
  if (!server.openAccounts) {
    throw new AppError("INTERNAL", "This build of @xionimus/server lacks openAccounts; reinstall Xionimus.")
  }
  return server.openAccounts(config)
}

/** Everything on stdin, without the one line ending a shell adds (`echo pw | xionimus …`). */
export async function readSecret(io: CliIo): Promise<string> {
  if (!io.stdin) return ""
  let text = ""
  for await (const chunk of io.stdin)
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")
  return text.replace(/\r?\n$/, "")
}
