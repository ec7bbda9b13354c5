import type { FastifyRequest } from "fastify"

/** URL paths whose last segment is a secret (a share link's token): kept out of log lines. */
const secretSegments = [/^(\/api\/shared\/)[^/?#]+/]

/** The request's URL with secret path segments replaced by `[redacted]`. */
export function redactedUrl(url: string): string {
  return secretSegments.reduce((current, pattern) => current.replace(pattern, "$1[redacted]"), url)
}

/** What a request's log line says about it: Fastify's default fields, with secrets in the URL hidden. */
export function requestLogValue(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}
