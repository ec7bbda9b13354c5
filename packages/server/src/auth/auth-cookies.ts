import type { IssuedSession } from "@xionimus/auth"
import type { FastifyReply, FastifyRequest } from "fastify"

export const sessionCookie = "xionimus_session"
/** Readable by the page's script, which sends it back in the x-csrf-token header (double submit). */
export const csrfCookie = "xionimus_csrf"
export const csrfHeader = "x-csrf-token"

const secureOf = (request: FastifyRequest) => request.protocol === "https"

/** Sets the session (httpOnly) and CSRF (readable) cookies; both SameSite=Strict, Secure over TLS. */
export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, issued: IssuedSession): void {
  const expires = new Date(issued.session.expiresAt)
  const common = { path: "/", sameSite: "strict" as const, secure: secureOf(request), expires }
  reply.setCookie(sessionCookie, issued.token, { ...common, httpOnly: true })
  reply.setCookie(csrfCookie, issued.csrfToken, { ...common, httpOnly: false })
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  const common = { path: "/", sameSite: "strict" as const, secure: secureOf(request) }
  reply.clearCookie(sessionCookie, { ...common, httpOnly: true })
  reply.clearCookie(csrfCookie, common)
}
