import type { FastifyInstance } from "fastify"

const csp = (scriptSource: string) =>
  [
    "default-src 'self'",
    `script-src ${scriptSource}`,
    // React and the component styles set style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ")

const appPolicy = csp("'self'")
// The API reference page (/api/docs) is one self-contained page with an inline script.
const docsPolicy = csp("'self' 'unsafe-inline'")

/**
 * Headers on every answer: a strict Content-Security-Policy, no framing, no sniffing, no referrer, HSTS
 * when the request came over TLS. No CORS headers are ever sent, so other origins cannot read answers.
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (request, reply) => {
    if (!reply.hasHeader("content-security-policy")) {
      reply.header("content-security-policy", request.url.startsWith("/api/docs") ? docsPolicy : appPolicy)
    }
    reply.header("x-frame-options", "DENY")
    reply.header("x-content-type-options", "nosniff")
    reply.header("referrer-policy", "no-referrer")
    reply.header("cross-origin-opener-policy", "same-origin")
    if (request.protocol === "https")
      reply.header("strict-transport-security", "max-age=31536000; includeSubDomains")
  })
}
