import { EventPage, EventsQuery, StreamParams } from "@xionimus/protocol"
import type { RouteGuard } from "../auth/route-guard.ts"
import { checkStreamAccess } from "../auth/stream-access.ts"
import { defineRoute, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"

/** Reading an event stream page by page (the WebSocket delivers the same events live). */
export function streamRoutes({ services }: RouteDeps, guard: RouteGuard): Route[] {
  return [
    defineRoute({
      method: "GET",
      url: "/api/streams/:stream/events",
      summary: "Events of a stream with seq greater than `after`",
      description:
        "A project's activity stream is named by the project id, a session's log by the session id, a command's " +
        "output exec_<project>_<run>, an import's progress by the client's imp_ id. `head` is the stream's last seq.",
      tags: ["streams"],
      access: "project:read",
      params: StreamParams,
      query: EventsQuery,
      response: { 200: EventPage },
      async handler({ params, query, request }) {
        await checkStreamAccess(guard, services.bus, request, params.stream)
        const [items, head] = await Promise.all([
          services.bus.read(params.stream, { after: query.after, limit: query.limit }),
          services.store.events.head(params.stream),
        ])
        return { items, head }
      },
    }),
  ]
}
