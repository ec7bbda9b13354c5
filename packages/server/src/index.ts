// Public surface of the server package, the composition root.

export type { QuotaReport } from "@xionimus/protocol"
export { type BuildAppOptions, buildApp } from "./app.ts"
export { type Accounts, openAccounts } from "./auth/open-accounts.ts"
export { checkDatabase, migrateDatabase } from "./database.ts"
export {
  defineRoute,
  emptyResponse,
  type Route,
  type RouteContext,
  type RouteDefinition,
  rawResponse,
} from "./define-route.ts"
export { errorStatus, statusOf } from "./error-status.ts"
export {
  type HeadlessSessions,
  type HeadlessSessionsOptions,
  openHeadlessSessions,
} from "./headless-sessions.ts"
export {
  type ConnectionTest,
  configuredModels,
  type ModelInfo,
  type ModelList,
  readUsage,
  testConfiguredProvider,
  type UsageQuery,
  type UsageReport,
  type UsageTotals,
  usageGroups,
} from "./llm/model-commands.ts"
export { isLoopbackHost } from "./loopback.ts"
export type { OpenApiDocument } from "./openapi.ts"
export { createPurgeJob, type PurgeJob } from "./purge-job.ts"
export type { QuotaService } from "./quotas/quota-service.ts"
export type { SandboxHost } from "./sandbox-host.ts"
export { diagnoseSandbox, execInDirectory } from "./sandbox-tools.ts"
export {
  rotateSecretsKey,
  type SecretsKeyStatus,
  secretsKeyStatus,
} from "./secrets/rotate-secrets.ts"
export { createServices, type ServiceOptions, type Services } from "./services.ts"
export { onShutdownSignals } from "./shutdown-signals.ts"
export { type RunningServer, type StartServerOptions, startServer } from "./start-server.ts"
