import { randomBytes } from "node:crypto"
import { type AuthService, sameSecret } from "@xionimus/auth"
import type { Logger } from "@xionimus/kit"
import type { FastifyRequest } from "fastify"
import { isLoopbackHost } from "../loopback.ts"

/** Headers a reverse proxy adds: behind one, every request looks local, so local means nothing then. */
const proxyHeaders = ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host"]

/**
 * Who may create the owner: a request from the machine itself (loopback, not through a proxy), or anyone
 * holding the one-time setup token that is printed in the server log at start while no owner exists.
 */
export interface FirstRun {
  /** Logs the setup token when no owner exists yet. */
  announce(): Promise<void>
  fromMachine(request: FastifyRequest): boolean
  tokenMatches(token: string | undefined): boolean
}

export function createFirstRun(auth: AuthService, logger: Logger): FirstRun {
  const token = `setup_${randomBytes(18).toString("base64url")}`
  return {
    async announce() {
      if (!(await auth.setupRequired())) return
      logger.warn(
        { setupToken: token },
        "first run: no owner yet. Open Xionimus in a browser on this machine to create the owner, " +
          "or give this setup token in the first-run form.",
      )
    },
    fromMachine(request) {
      if (proxyHeaders.some((name) => request.headers[name] !== undefined)) return false
      return isLoopbackHost(request.socket.remoteAddress ?? "")
    },
    tokenMatches: (candidate) => candidate !== undefined && sameSecret(candidate, token),
  }
}
