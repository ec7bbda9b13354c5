import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Config, type ConfigInput } from "@xionimus/config"
import { createLogger, type Logger, silentLogger } from "@xionimus/kit"
import type { FastifyInstance } from "fastify"
import {
  type BuildAppOptions,
  buildApp,
  createServices,
  type ServiceOptions,
  type Services,
} from "../../src/index.ts"
import { exercisedRoutes, routeKey } from "./route-coverage.ts"

export interface TestAppOptions {
  /** Merged over the test defaults (data dir in a temp dir, no web build, silent log). */
  config?: Omit<ConfigInput, "dataDir">
  app?: Pick<BuildAppOptions, "purgeIntervalMs" | "streamSocket">
  services?: ServiceOptions
  /** Replaces services for the app only (to inject a failure); the real ones are still closed. */
  wrapServices?: (services: Services) => Services
  /** Where log lines go (JSON, one per line); default nowhere. */
  logDestination?: NodeJS.WritableStream
  /** Record exercised routes for the coverage check (default true). */
  record?: boolean
}

export interface TestApp {
  app: FastifyInstance
  services: Services
  config: Config
  dataDir: string
  logger: Logger
  close(): Promise<void>
}

/** A real app over real SQLite, workspaces and in-process bus in a fresh temp dir. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), "xionimus-server-"))
  const overrides = options.config ?? {}
  const config = Config.parse({
    ...overrides,
    dataDir: join(dir, "data"),
    log: { level: "silent", ...overrides.log },
    server: { webDir: join(dir, "no-web-build"), ...overrides.server },
  })
  const logger = options.logDestination
    ? createLogger({ level: "info", destination: options.logDestination })
    : silentLogger()
  const services = await createServices(config, logger, options.services)
  const app = buildApp({
    config,
    services: options.wrapServices ? options.wrapServices(services) : services,
    logger,
    ...options.app,
  })
  if (options.record !== false) {
    app.addHook("onRequest", async (request) => {
      if (request.routeOptions.url) exercisedRoutes.add(routeKey(request.method, request.routeOptions.url))
    })
  }
  return {
    app,
    services,
    config,
    dataDir: config.dataDir!,
    logger,
    async close() {
      await app.close()
      await services.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
