import type { AddressInfo } from "node:net"
import type { Config } from "@xionimus/config"
import { AppError, createLogger, type Logger } from "@xionimus/kit"
import type { FastifyInstance } from "fastify"
import { type BuildAppOptions, buildApp } from "./app.ts"
import { isLoopbackHost } from "./loopback.ts"
import { createServices, type ServiceOptions } from "./services.ts"

export interface StartServerOptions {
  config: Config
  logger?: Logger
  /** Passed to createServices (per-run PostgreSQL schema or Redis prefix in tests and benches). */
  services?: ServiceOptions
  /** Passed to buildApp. */
  app?: Pick<
    BuildAppOptions,
    "purgeIntervalMs" | "streamSocket" | "rateLimits" | "oidcProviders" | "eventStream"
  >
}

export interface RunningServer {
  /** http://host:port actually bound (port 0 resolved). */
  url: string
  app: FastifyInstance
  /**
   * Graceful shutdown: stops accepting connections, closes WebSockets with 1001, lets in-flight requests
   * finish for up to config.server.shutdownTimeoutMs (then cuts them), stops the purge job, closes the bus
   * and the store. Calling it again returns the same promise.
   */
  close(): Promise<void>
}

/**
 * Opens the services, builds the app and listens on config.server.host:port. Refuses any host but
 * loopback (BIND_REFUSED) until the owner account exists. Installs no signal handlers (see onShutdownSignals).
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options
  const logger = options.logger ?? createLogger({ level: config.log.level })
  const { host, port } = config.server
  const services = await createServices(config, logger, options.services)
  let app: FastifyInstance
  try {
    // Until the owner exists, anyone who reaches the port could claim the instance: stay on loopback.
    if (!isLoopbackHost(host) && (await services.auth.setupRequired())) {
      throw new AppError(
        "BIND_REFUSED",
        `Refusing to listen on ${host}: no owner account exists yet, so anyone who can reach the port could ` +
          "claim this instance. Start once on 127.0.0.1 (the default) and create the owner from a browser on " +
          "this machine (or `xionimus user create --admin`), then listen where you like.",
        { host },
      )
    }
    app = buildApp({ config, services, logger, ...options.app })
    await app.listen({ host, port })
  } catch (error) {
    await services.close()
    throw error
  }
  const address = app.server.address() as AddressInfo
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address
  const url = `http://${shownHost}:${address.port}`
  logger.info({ url }, "server listening")
  // Runs a stopped server left mid-way are driven again (each under its lease), now and every lease period.
  services.orchestra.start().catch((error: unknown) => {
    logger.error({ err: error }, "resuming orchestra runs failed")
  })
  // Start the sandbox now so that its warnings (unenforced limits, development backend) show at start.
  services.sandboxes.provider().catch((error: unknown) => {
    logger.warn(
      { err: error },
      "the sandbox cannot start: running code in projects will fail until it is fixed",
    )
  })

  async function shutdown(): Promise<void> {
    logger.info("server shutting down")
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), config.server.shutdownTimeoutMs)
    })
    const closed = app.close()
    const outcome = await Promise.race([closed.then(() => "closed" as const), deadline])
    clearTimeout(timer)
    if (outcome === "timeout") {
      logger.warn(
        { timeoutMs: config.server.shutdownTimeoutMs },
        "requests still running at the deadline; cutting them",
      )
      app.server.closeAllConnections()
      for (const client of app.websocketServer.clients) client.terminate()
      await closed
    }
    await services.close()
    logger.info("server stopped")
  }
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= shutdown()
    return closing
  }
  return { url, app, close }
}
