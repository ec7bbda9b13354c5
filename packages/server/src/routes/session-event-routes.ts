import { PassThrough } from "node:stream"
import { AppError } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"
import type { FastifyRequest } from "fastify"
import { appErrorOf } from "../app-error-of.ts"
import { defineRoute, type Route, rawResponse } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { SessionEventPage, SessionEventsQuery, SessionParams, SessionStreamQuery } from "./session-schemas.ts"

export interface EventStreamLimits {
  /** How often a comment line keeps idle connections (and proxies) open; default 15 s. */
  heartbeatMs: number
  /** Unsent bytes allowed for a slow client before its stream is ended (it reconnects with Last-Event-ID). */
  maxBufferedBytes: number
}

export const defaultEventStreamLimits: EventStreamLimits = {
  heartbeatMs: 15_000,
  maxBufferedBytes: 8 * 1024 * 1024,
}

/** The open event streams of an app, so that shutdown can end them (an open response holds close()). */
export interface OpenEventStreams {
  /** Ends every open stream; clients reconnect (elsewhere) with Last-Event-ID. */
  endAll(): void
  readonly size: number
}

/** One event in the text/event-stream format: `id` is the seq, `event` the type, `data` the stored event. */
export function eventStreamFrame(event: StoredEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
}

/** The seq to resume after: the Last-Event-ID header (EventSource sends it on reconnect), else `after`. */
function resumePoint(request: FastifyRequest, after: number | undefined): number {
  const header = request.headers["last-event-id"]
  if (header === undefined || header === "") return after ?? 0
  if (typeof header !== "string" || !/^\d{1,15}$/.test(header.trim())) {
    throw new AppError("VALIDATION_FAILED", "Last-Event-ID must be the seq of the last event received.", {
      issues: [{ in: "headers", path: "last-event-id", code: "invalid_format", message: "not a seq" }],
    })
  }
  return Number(header.trim())
}

/** Reading a session's log: one page, or as Server-Sent Events (replay after a seq, then live). */
export function sessionEventRoutes(
  { services }: RouteDeps,
  limits: EventStreamLimits = defaultEventStreamLimits,
): { routes: Route[]; open: OpenEventStreams } {
  const { sessions, bus } = services
  const endings = new Set<() => void>()
  const open: OpenEventStreams = {
    endAll: () => {
      for (const end of [...endings]) end()
    },
    get size() {
      return endings.size
    },
  }

  const routes = [
    defineRoute({
      method: "GET",
      url: "/api/sessions/:sessionId/events",
      summary: "A page of the session's events with seq greater than `after`, and the session",
      tags: ["sessions"],
      access: "project:read",
      params: SessionParams,
      query: SessionEventsQuery,
      response: { 200: SessionEventPage },
      async handler({ params, query }) {
        const session = await sessions.get(params.sessionId)
        const items = await bus.read(params.sessionId, { after: query.after, limit: query.limit })
        return { items, head: Math.max(session.head, items.at(-1)?.seq ?? 0), session }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/sessions/:sessionId/events/stream",
      summary: "The session's events as Server-Sent Events: those after a seq, then live ones",
      description:
        "Each event is `id: <seq>`, `event: <type>`, `data: <StoredEvent JSON>`. Resume with the Last-Event-ID " +
        "header (EventSource sends it when it reconnects) or `?after=`; every seq after it comes exactly once, " +
        "in order. A comment line is sent every 15 s while nothing else is. The server ends the stream of a " +
        "client that stops reading, and every stream when it shuts down: reconnect with Last-Event-ID.",
      tags: ["sessions"],
      access: "project:read",
      params: SessionParams,
      query: SessionStreamQuery,
      response: { 200: rawResponse("text/event-stream", "Server-Sent Events, one per session event") },
      async handler({ params, query, request, reply }) {
        const after = resumePoint(request, query.after)
        const sessionId = params.sessionId
        const stream = new PassThrough()
        let ended = false
        const end = () => {
          if (ended) return
          ended = true
          stream.end()
        }
        // A first line makes the headers leave at once, so that the client knows it is connected.
        stream.write(`: events of ${sessionId} after ${after}\n\n`)
        const subscription = await bus.subscribe(sessionId, {
          after,
          onEvent(event) {
            if (ended) return
            if (stream.writableLength > limits.maxBufferedBytes) {
              // Cut, not ended: ending would wait for a client that does not read to take the backlog first.
              request.log.warn({ sessionId }, "event stream client too slow; dropping it")
              ended = true
              stream.destroy()
              return
            }
            stream.write(eventStreamFrame(event))
          },
          onError(error) {
            request.log.warn({ err: error, sessionId }, "event stream subscription ended")
            const { code, message } = appErrorOf(error)
            if (!ended) stream.write(`event: error\ndata: ${JSON.stringify({ code, message })}\n\n`)
            end()
          },
        })
        const heartbeat = setInterval(() => {
          if (!ended) stream.write(": heartbeat\n\n")
        }, limits.heartbeatMs)
        heartbeat.unref()
        endings.add(end)
        // Whoever ends it (client gone, slow client, shutdown): the subscription and the timer go with it.
        stream.once("close", () => {
          ended = true
          clearInterval(heartbeat)
          endings.delete(end)
          Promise.resolve(subscription.dispose()).catch((error: unknown) => {
            request.log.error({ err: error, sessionId }, "disposing an event stream subscription failed")
          })
        })
        reply.header("cache-control", "no-cache, no-transform")
        reply.header("x-accel-buffering", "no")
        reply.type("text/event-stream; charset=utf-8")
        return stream
      },
    }),
  ]
  return { routes, open }
}
