import { AppError } from "@xionimus/kit"
import { ClientFrame, ServerFrame } from "@xionimus/protocol"
import type { FastifyInstance } from "fastify"
import { z } from "zod"
import type { RouteGuard } from "./auth/route-guard.ts"
import { streamAuthorizer } from "./auth/stream-authorizer.ts"
import type { RouteDeps } from "./route-deps.ts"
import { handleStreamConnection, type StreamSocket } from "./stream-connection.ts"

export interface StreamSocketLimits {
  maxSubscriptions: number
  maxInvalidFrames: number
  maxBufferedBytes: number
  heartbeatMs: number
}

export const defaultStreamSocketLimits: StreamSocketLimits = {
  maxSubscriptions: 100,
  maxInvalidFrames: 20,
  maxBufferedBytes: 8 * 1024 * 1024,
  heartbeatMs: 30_000,
}

/** GET /api/stream: the WebSocket endpoint (registered after @fastify/websocket is loaded). */
export function mountStreamSocket(
  app: FastifyInstance,
  deps: RouteDeps,
  limits: StreamSocketLimits,
  guard: RouteGuard,
): void {
  deps.openapi.addOperation("GET", "/api/stream", {
    summary: "WebSocket: subscribe to event streams, resume by seq",
    description:
      "Upgrade to a WebSocket, then send ClientFrame JSON text frames (subscribe/unsubscribe/ping) and " +
      "receive ServerFrame frames. After `subscribe {stream, after}` the server answers `subscribed {head}`, " +
      "then every event with seq > after, then live events, each exactly once. On shutdown the server " +
      "closes with 1001; after too many invalid frames with 4400; a client too slow to read with 1013.",
    tags: ["streams"],
    "x-access": "project:read",
    responses: {
      "101": { description: "Switching Protocols" },
      "426": {
        description: "Not a WebSocket upgrade request",
        content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
      },
    },
    "x-websocket": {
      clientFrame: z.toJSONSchema(ClientFrame, { io: "input", unrepresentable: "any" }),
      serverFrame: z.toJSONSchema(ServerFrame, { io: "output", unrepresentable: "any" }),
    },
  })
  const authorizer = streamAuthorizer(guard, deps.services.bus)
  app.route({
    method: "GET",
    url: "/api/stream",
    // Before the upgrade: an anonymous or foreign-origin client gets an HTTP error, never a socket.
    preValidation: (request) => authorizer.admit(request),
    handler: () => {
      throw new AppError(
        "UPGRADE_REQUIRED",
        "This is the WebSocket endpoint. Connect with a WebSocket client (ws:// or wss://).",
      )
    },
    wsHandler: (socket, request) => {
      handleStreamConnection(socket as unknown as StreamSocket, {
        bus: deps.services.bus,
        log: request.log,
        requestId: request.id,
        authorize: (stream) => authorizer.subscribe(request, stream),
        ...limits,
      })
    },
  })
}
