import type { Config } from "@xionimus/config"
import type { Logger } from "@xionimus/kit"
import type { AppMetrics } from "./metrics.ts"
import type { OpenApiBuilder } from "./openapi.ts"
import type { ProjectActivity } from "./project-activity.ts"
import type { Services } from "./services.ts"

/** What route modules receive from buildApp. */
export interface RouteDeps {
  config: Config
  services: Services
  /** The app logger, for work outside a request (inside one, use request.log: it carries the request id). */
  logger: Logger
  activity: ProjectActivity
  metrics: AppMetrics
  openapi: OpenApiBuilder
  /** The server's version (package.json). */
  version: string
}
