import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Config, type ConfigInput } from "@xionimus/config"
import { createLogger, type Logger, silentLogger } from "@xionimus/kit"
import type { FastifyInstance, InjectOptions } from "fastify"
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
  app?: Pick<
    BuildAppOptions,
    "purgeIntervalMs" | "streamSocket" | "rateLimits" | "oidcProviders" | "eventStream"
  >
  services?: ServiceOptions
  /** Replaces services for the app only (to inject a failure); the real ones are still closed. */
  wrapServices?: (services: Services) => Services
  /** Where log lines go (JSON, one per line); default nowhere. */
  logDestination?: NodeJS.WritableStream
  /** Record exercised routes for the coverage check (default true). */
  record?: boolean
  /**
   * Create the owner and an admin-scope API key, and send the key with every inject() that sets no
   * authorization header itself (default true). Pass `authorization: ""` to send a request anonymously.
   */
  signedIn?: boolean
}

export interface TestApp {
  app: FastifyInstance
  services: Services
  config: Config
  dataDir: string
  logger: Logger
  /** The owner's admin-scope key (`Bearer …` value), when signedIn. */
  ownerKey: string
  /** `{ authorization: "Bearer xk_…" }` for the owner, to pass to a WebSocket or fetch. */
  ownerHeaders: Record<string, string>
  /** The owner's user id, when signedIn ("" otherwise). */
  ownerId: string
  close(): Promise<void>
}

export const ownerEmail = "owner@example.test"
export const ownerPassword = "correct horse battery staple"

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
    // Route tests send hundreds of requests a minute from one address; limits are tested on their own.
    rateLimits: { perMinute: 100_000, signInPerMinute: 100_000, ...options.app?.rateLimits },
  })
  let ownerKey = ""
  let ownerId = ""
  if (options.signedIn !== false) {
    const meta = { ip: "127.0.0.1", userAgent: "test" }
    const { user } = await services.auth.setupOwner({ email: ownerEmail, password: ownerPassword }, meta)
    const created = await services.auth.createApiKey(
      { userId: user.id, name: "test harness", scope: "admin" },
      { userId: user.id, keyId: null, ...meta },
    )
    ownerKey = created.secret
    ownerId = user.id
    const inject = app.inject.bind(app)
    // Every request of the route tests is made as the owner unless it says otherwise.
    app.inject = ((request: InjectOptions) => {
      const headers = { authorization: `Bearer ${ownerKey}`, ...(request.headers ?? {}) }
      if (headers.authorization === "") delete (headers as Record<string, unknown>).authorization
      return inject({ ...request, headers })
    }) as typeof app.inject
  }
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
    ownerKey,
    ownerId,
    ownerHeaders: ownerKey ? { authorization: `Bearer ${ownerKey}` } : {},
    async close() {
      await app.close()
      await services.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
