import { isAppError } from "@xionimus/kit"
import { Health, Readiness } from "@xionimus/protocol"
import { defineRoute, type Route, rawResponse } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"

const pingTimeoutMs = 2000

/** Liveness, readiness and Prometheus metrics: what orchestrators and load balancers poll. */
export function healthRoutes({ services, metrics, logger }: RouteDeps): Route[] {
  async function check(name: string, ping: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
    try {
      await withTimeout(ping(), pingTimeoutMs)
      return { ok: true }
    } catch (error) {
      logger.warn({ err: error, check: name }, "readiness check failed")
      // Our own errors are worded for people; anything else may carry hosts or internals.
      return { ok: false, error: isAppError(error) ? error.message : "unreachable (see the server log)" }
    }
  }

  return [
    defineRoute({
      method: "GET",
      url: "/healthz",
      summary: "Liveness: the process answers",
      tags: ["health"],
      access: "public",
      response: { 200: Health },
      handler: () => ({ status: "ok" as const }),
    }),
    defineRoute({
      method: "GET",
      url: "/readyz",
      summary: "Readiness: the database and the event bus answer",
      description: "503 with the failing checks while a dependency is unreachable.",
      tags: ["health"],
      access: "public",
      response: { 200: Readiness, 503: Readiness },
      async handler({ reply }) {
        const [database, bus] = await Promise.all([
          check("database", () => services.store.ping()),
          check("bus", () => services.bus.ping()),
        ])
        const ready = database.ok && bus.ok
        if (!ready) reply.code(503)
        return { status: ready ? ("ready" as const) : ("not-ready" as const), checks: { database, bus } }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/metrics",
      summary: "Prometheus metrics",
      tags: ["health"],
      access: "admin",
      response: { 200: rawResponse("text/plain; version=0.0.4", "Prometheus text exposition format") },
      async handler({ reply }) {
        reply.type(metrics.registry.contentType)
        return await metrics.registry.metrics()
      },
    }),
  ]
}

async function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  try {
    await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
