import type { Config } from "@xionimus/config"
import { AppError } from "@xionimus/kit"
import type { ConnectionTest, ModelList, UsageQuery, UsageReport } from "@xionimus/server"

/** What `models` and `usage` use of @xionimus/server. */
export interface ModelModule {
  configuredModels(config: Config): ModelList
  testConfiguredProvider(config: Config, providerId: string): Promise<ConnectionTest | undefined>
  readUsage(config: Config, query: UsageQuery): Promise<UsageReport>
}

/** Imports the server for the model commands only (the others stay fast). */
export async function loadModelModule(): Promise<ModelModule> {
  const server: Partial<ModelModule> = await import("@xionimus/server")
  const { configuredModels, testConfiguredProvider, readUsage } = server
  if (!configuredModels || !testConfiguredProvider || !readUsage)
    throw new AppError(
      "INTERNAL",
      "This build of @xionimus/server lacks the model commands; reinstall Xionimus.",
    )
  return { configuredModels, testConfiguredProvider, readUsage }
}
