import type { Config } from "@xionimus/config"
import { AppError, type Logger } from "@xionimus/kit"

/** What the CLI uses of @xionimus/server (the composition root). */
export interface ServerModule {
  startServer(options: { config: Config; logger?: Logger }): Promise<{ url: string; close(): Promise<void> }>
  migrateDatabase(config: Config): Promise<{ applied: string[] }>
  checkDatabase(config: Config): Promise<void>
}

/**
 * Imports the server only for the commands that need it: `version` and `config show` stay fast and
 * work even when the server cannot load.
 */
export async function loadServer(): Promise<ServerModule> {
  const server: Partial<ServerModule> = await import("@xionimus/server")
  const { startServer, migrateDatabase, checkDatabase } = server
  if (!startServer || !migrateDatabase || !checkDatabase) {
    throw new AppError(
      "INTERNAL",
      "This build of @xionimus/server lacks startServer, migrateDatabase or checkDatabase; reinstall Xionimus.",
    )
  }
  return { startServer, migrateDatabase, checkDatabase }
}
