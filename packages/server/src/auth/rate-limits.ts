import { createHash } from "node:crypto"
import fastifyRateLimit from "@fastify/rate-limit"
import { AppError } from "@xionimus/kit"
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify"
import { Redis } from "ioredis"
import { sessionCookie } from "./auth-cookies.ts"

export interface RateLimits {
  /** Requests per minute per API key, browser session or (anonymous) IP address; default 600. */
  perMinute: number
  /** Sign-in, first-run, reset and invitation requests per minute per IP address; default 20. */
  signInPerMinute: number
  /** Reads of shared session links (no account) per minute per IP address; default 60. */
  sharedPerMinute: number
  /** Prefix of the Redis counter keys (tests use one per run); default "xionimus-rate-". */
  namespace?: string
}

export const defaultRateLimits: RateLimits = { perMinute: 600, signInPerMinute: 20, sharedPerMinute: 60 }

/** Public reads by share token: limited per address, so that tokens cannot be guessed at speed. */
const sharedUrls = new Set(["/api/shared/:token"])

const signInUrls = new Set([
  "/api/auth/login",
  "/api/auth/setup",
  "/api/auth/reset",
  "/api/invitations/accept",
  "/api/auth/oidc/:providerId/start",
  "/api/auth/oidc/:providerId/callback",
])

const digest = (value: string) => createHash("sha256").update(value).digest("base64url").slice(0, 22)

/** Who a request counts against: its key or session (hashed: no secret is kept as a counter name), else its IP. */
function requesterOf(request: FastifyRequest): string {
  const header = request.headers.authorization
  if (header) return `key:${digest(header)}`
  const session = request.cookies?.[sessionCookie]
  if (session) return `session:${digest(session)}`
  return `ip:${request.ip}`
}

/**
 * Registers @fastify/rate-limit: counters in memory, or in Redis when `redisUrl` is set so that several
 * nodes share them. Returns the hook that the API routes run first; refusals are RATE_LIMITED (429)
 * with retry-after.
 */
export function registerRateLimits(
  app: FastifyInstance,
  limits: RateLimits,
  redisUrl: string | undefined,
): (instance: FastifyInstance) => void {
  const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : undefined
  if (redis) app.addHook("onClose", async () => void redis.disconnect())
  app.register(fastifyRateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: limits.namespace ?? "xionimus-rate-" } : {}),
    // A counter store that is down must not take the API down with it.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new AppError(
        "RATE_LIMITED",
        `Too many requests: at most ${context.max} a minute. Retry in ${context.after}.`,
        {
          retryAfterSeconds: Math.ceil(context.ttl / 1000),
        },
      ),
  })
  return (instance) => {
    const general = instance.rateLimit({
      max: limits.perMinute,
      timeWindow: 60_000,
      keyGenerator: requesterOf,
    })
    const signIn = instance.rateLimit({
      max: limits.signInPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => `sign-in:${request.ip}`,
    })
    const shared = instance.rateLimit({
      max: limits.sharedPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => `shared:${request.ip}`,
    })
    instance.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
      if (signInUrls.has(request.routeOptions.url ?? "")) await signIn.call(instance, request, reply)
      if (!reply.sent && sharedUrls.has(request.routeOptions.url ?? ""))
        await shared.call(instance, request, reply)
      if (!reply.sent) await general.call(instance, request, reply)
    })
  }
}
