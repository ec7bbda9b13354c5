import { randomBytes } from "node:crypto"
import { readFileSync } from "node:fs"
import fastifyCookie from "@fastify/cookie"
import fastifyMultipart from "@fastify/multipart"
import fastifyWebsocket from "@fastify/websocket"
import { createOidcLogin, type OidcProviderConfig } from "@xionimus/auth"
import type { Config } from "@xionimus/config"
import { AppError, type Logger } from "@xionimus/kit"
import { closeCodes } from "@xionimus/protocol"
import Fastify, { type FastifyInstance } from "fastify"
import { accountRoutes } from "./auth/account-routes.ts"
import { accountSettingsRoutes } from "./auth/account-settings-routes.ts"
import { apiKeyRoutes } from "./auth/api-key-routes.ts"
import { auditRoutes } from "./auth/audit-routes.ts"
import { authRoutes } from "./auth/auth-routes.ts"
import { createFirstRun } from "./auth/first-run.ts"
import { oidcRoutes } from "./auth/oidc-routes.ts"
import { defaultRateLimits, type RateLimits, registerRateLimits } from "./auth/rate-limits.ts"
import { createRequestIdentity } from "./auth/request-identity.ts"
import { createRouteGuard } from "./auth/route-guard.ts"
import { addSecurityHeaders } from "./auth/security-headers.ts"
import { signInProvidersOf } from "./auth/sign-in-providers.ts"
import { teamRoutes } from "./auth/team-routes.ts"
import { totpRoutes } from "./auth/totp-routes.ts"
import { userRoutes } from "./auth/user-routes.ts"
import { sendError } from "./error-reply.ts"
import { createMetrics } from "./metrics.ts"
import { mountRoute } from "./mount-route.ts"
import { createOpenApiBuilder } from "./openapi.ts"
import { createProjectActivity } from "./project-activity.ts"
import { createPurgeJob } from "./purge-job.ts"
import { quotaRoutes } from "./quotas/quota-routes.ts"
import { requestLogValue } from "./request-log.ts"
import { registerResponseCompression } from "./response-compression.ts"
import type { RouteDeps } from "./route-deps.ts"
import { execRoutes } from "./routes/exec-routes.ts"
import { fileRoutes } from "./routes/file-routes.ts"
import { fileTransferRoutes } from "./routes/file-transfer-routes.ts"
import { healthRoutes } from "./routes/health-routes.ts"
import { metaRoutes } from "./routes/meta-routes.ts"
import { orchestraRoutes } from "./routes/orchestra-routes.ts"
import { permissionRoutes } from "./routes/permission-routes.ts"
import { projectImportRoute } from "./routes/project-import-route.ts"
import { projectRoutes } from "./routes/project-routes.ts"
import { providerRoutes } from "./routes/provider-routes.ts"
import { sessionCallDiffRoutes } from "./routes/session-call-diff-route.ts"
import { sessionCompactRoutes } from "./routes/session-compact-route.ts"
import {
  defaultEventStreamLimits,
  type EventStreamLimits,
  sessionEventRoutes,
} from "./routes/session-event-routes.ts"
import { sessionRoutes } from "./routes/session-routes.ts"
import { sessionTurnRoutes } from "./routes/session-turn-routes.ts"
import { shareRoutes } from "./routes/share-routes.ts"
import { streamRoutes } from "./routes/stream-routes.ts"
import { usageRoutes } from "./routes/usage-routes.ts"
import type { Services } from "./services.ts"
import {
  defaultStreamSocketLimits,
  mountStreamSocket,
  type StreamSocketLimits,
} from "./stream-socket-route.ts"
import { mountTerminalSocket } from "./terminal-socket-route.ts"
import { registerWebClient, webDirOf } from "./web-client.ts"

export interface BuildAppOptions {
  config: Config
  /** Opened by the caller (createServices), who also closes them. */
  services: Services
  logger: Logger
  /** How often deleted projects past purgeAfter are removed; default one hour. */
  purgeIntervalMs?: number
  /** WebSocket limits; defaults in stream-socket-route.ts. */
  streamSocket?: Partial<StreamSocketLimits>
  /** Sign-in providers beside the configuration's `auth.oidc` (docs/auth.md). */
  oidcProviders?: OidcProviderConfig[]
  /** Request rate limits; defaults in auth/rate-limits.ts. */
  rateLimits?: Partial<RateLimits>
  /** Server-Sent Events limits (heartbeat, slow clients); defaults in routes/session-event-routes.ts. */
  eventStream?: Partial<EventStreamLimits>
}

const tags = [
  { name: "health", description: "Liveness, readiness, metrics" },
  { name: "meta", description: "Version and API description" },
  { name: "projects", description: "Projects and starter templates" },
  { name: "files", description: "A project's files" },
  { name: "streams", description: "Event streams: paged reads and the WebSocket" },
  { name: "exec", description: "Running commands and terminals in a project's sandbox" },
  { name: "auth", description: "First run, sign-in, sessions, passwords (docs/auth.md)" },
  { name: "users", description: "User administration (instance administrators)" },
  { name: "api-keys", description: "API keys for programs and the CLI" },
  { name: "audit", description: "The audit log (instance administrators)" },
  { name: "teams", description: "Teams, roles, invitations and per-project denies" },
  { name: "models", description: "Models, provider settings and connection tests (docs/providers.md)" },
  { name: "usage", description: "Model usage: tokens, costs, calls" },
  {
    name: "sessions",
    description: "Agent sessions: messages, turns, approvals, rewind, fork, share, export",
  },
  { name: "orchestra", description: "Orchestra runs: roles, work packages, gates, CONTEXT.md, export" },
]

/**
 * The Fastify app with every route, the error shape, request ids, metrics, the purge job and the web client.
 * Nothing listens yet: tests call inject(), startServer() calls listen().
 */
export function buildApp(options: BuildAppOptions): FastifyInstance {
  const { config, services, logger } = options
  const version = packageVersion()
  const app = Fastify({
    // Request lines keep secrets out of URLs (share tokens).
    loggerInstance: logger.child({}, { serializers: { req: requestLogValue } }),
    genReqId: requestIdGenerator(),
    bodyLimit: config.server.bodyLimitBytes,
    // request.ip is the TCP peer unless it is a listed proxy (then X-Forwarded-For names the client).
    trustProxy: config.server.trustedProxies.length > 0 ? config.server.trustedProxies : false,
    // We answer requests arriving during shutdown ourselves, in the one error shape.
    return503OnClosing: false,
  }) as unknown as FastifyInstance

  const metrics = createMetrics(services.bus)
  const openapi = createOpenApiBuilder(
    { title: "Xionimus", version, description: "The Xionimus HTTP and WebSocket API (docs/api.md)." },
    tags,
  )
  const deps: RouteDeps = {
    config,
    services,
    logger,
    activity: createProjectActivity(services.bus, metrics),
    metrics,
    openapi,
    version,
  }

  const identity = createRequestIdentity(services.auth)
  const guard = createRouteGuard({
    identity,
    auth: services.auth,
    teams: services.teams,
    sessionProject: async (sessionId) => (await services.store.sessions.get(sessionId))?.projectId,
    runProject: (runId) => services.orchestra.projectOf(runId),
  })
  const sessionEvents = sessionEventRoutes(deps, { ...defaultEventStreamLimits, ...options.eventStream })
  const firstRun = createFirstRun(services.auth, logger)

  let closing = false
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id)
    if (closing) {
      reply.header("connection", "close")
      throw new AppError(
        "SHUTTING_DOWN",
        "The server is shutting down. Retry in a moment or on another node.",
      )
    }
  })
  app.addHook("onResponse", async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status_code: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    )
  })
  // Answers finishing during shutdown end their connection, or a keep-alive socket holds close() open.
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close")
  })
  app.addHook("preClose", async () => {
    closing = true
    // An open event stream would hold close() until the shutdown deadline; clients resume elsewhere.
    sessionEvents.open.endAll()
  })
  // Only JSON (and multipart on upload routes) is accepted; text/plain would reach schemas as a string.
  app.removeContentTypeParser("text/plain")
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error))

  addSecurityHeaders(app)
  registerResponseCompression(app)
  app.register(fastifyCookie)
  const applyRateLimits = registerRateLimits(
    app,
    { ...defaultRateLimits, ...options.rateLimits },
    config.redisUrl,
  )
  app.register(fastifyMultipart)
  app.register(fastifyWebsocket, {
    options: { maxPayload: 64 * 1024 },
    preClose(done) {
      closing = true
      for (const client of app.websocketServer.clients) {
        client.close(closeCodes.shuttingDown, "server shutting down")
      }
      app.websocketServer.close(() => undefined)
      done()
    },
    errorHandler(error, socket, request) {
      request.log.warn({ err: error }, "websocket failed")
      socket.terminate()
    },
  })

  const web = registerWebClient(app, webDirOf(config.server.webDir))
  app.setNotFoundHandler((request, reply) => {
    if (web.fallback(request, reply)) return
    const path = request.url.split("?")[0]
    sendError(
      request,
      reply,
      new AppError(
        "ROUTE_NOT_FOUND",
        `No route for ${request.method} ${path}. The routes are listed at /api/docs.`,
        {
          method: request.method,
          path,
        },
      ),
    )
  })

  // Routes go in a plugin so that they are added after @fastify/websocket and @fastify/multipart loaded.
  app.register(async (instance) => {
    applyRateLimits(instance)
    const routes = [
      ...healthRoutes(deps),
      ...metaRoutes(deps),
      ...projectRoutes(deps),
      projectImportRoute(deps),
      ...fileRoutes(deps),
      ...fileTransferRoutes(deps),
      ...streamRoutes(deps, guard),
      ...execRoutes(deps),
      ...authRoutes(deps, { firstRun, identity }),
      ...userRoutes(deps),
      ...apiKeyRoutes(deps),
      ...providerRoutes(deps),
      ...usageRoutes(deps),
      ...auditRoutes(deps),
      ...teamRoutes(deps),
      ...totpRoutes(deps),
      ...accountRoutes(deps),
      ...accountSettingsRoutes(deps),
      ...quotaRoutes(deps),
      ...oidcRoutes(deps, createOidcLogin([...signInProvidersOf(config), ...(options.oidcProviders ?? [])])),
      ...sessionRoutes(deps),
      ...sessionTurnRoutes(deps),
      ...orchestraRoutes(deps),
      ...sessionCompactRoutes(deps),
      ...sessionCallDiffRoutes(deps),
      ...sessionEvents.routes,
      ...shareRoutes(deps),
      ...permissionRoutes(deps),
    ]
    for (const route of routes) mountRoute(instance, openapi, route, guard)
    mountStreamSocket(instance, deps, { ...defaultStreamSocketLimits, ...options.streamSocket }, guard)
    mountTerminalSocket(instance, deps, guard)
  })

  const purgeJob = createPurgeJob({
    store: services.store,
    workspaces: services.workspaces,
    logger: logger.child({ component: "purge" }),
    intervalMs: options.purgeIntervalMs ?? 60 * 60 * 1000,
  })
  app.addHook("onReady", async () => {
    purgeJob.start()
    await firstRun.announce()
  })
  app.addHook("onClose", async () => purgeJob.dispose())
  return app
}

/** `req-` and 12 random characters; a well-formed id from an upstream proxy (x-request-id) is kept. */
function requestIdGenerator(): (request: {
  headers: Record<string, string | string[] | undefined>
}) => string {
  return (request) => {
    const upstream = request.headers["x-request-id"]
    if (typeof upstream === "string" && /^[A-Za-z0-9._:-]{1,100}$/.test(upstream)) return upstream
    return `req-${randomBytes(9).toString("base64url")}`
  }
}

function packageVersion(): string {
  const file = new URL("../package.json", import.meta.url)
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version
}
