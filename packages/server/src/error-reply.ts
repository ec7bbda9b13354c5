import type { AppError } from "@xionimus/kit"
import { type ErrorBody, errorCodes } from "@xionimus/protocol"
import type { FastifyReply, FastifyRequest } from "fastify"
import { appErrorOf } from "./app-error-of.ts"
import { statusOf } from "./error-status.ts"

/** The one error shape, with internals kept out of 500 answers. */
export function errorBody(error: AppError, requestId: string): { status: number; body: ErrorBody } {
  const status = statusOf(error.code)
  if (status >= 500 && status !== 503 && status !== 507) {
    return { status: 500, body: { error: { code: "INTERNAL", message: errorCodes.INTERNAL, requestId } } }
  }
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId,
    },
  }
  return { status, body }
}

/** Logs the failure (with its cause when the server is at fault) and answers with the error shape. */
export function sendError(request: FastifyRequest, reply: FastifyReply, thrown: unknown): FastifyReply {
  const error = appErrorOf(thrown)
  const { status, body } = errorBody(error, request.id)
  if (status >= 500) request.log.error({ err: thrown, code: error.code }, "request failed")
  else request.log.info({ code: error.code, status }, error.message)
  // A route that already chose a content type (a zip, raw bytes) must not label the error with it.
  reply.removeHeader("content-type")
  // Lockouts and rate limits say when to come back, in the header clients and proxies understand too.
  const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
  if (typeof retryAfter === "number" && status === 429) reply.header("retry-after", String(retryAfter))
  reply.removeHeader("content-disposition")
  return reply.code(status).type("application/json; charset=utf-8").send(body)
}
