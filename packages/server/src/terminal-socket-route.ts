import { AppError, toAppError } from "@xionimus/kit"
import { ProjectParams, TerminalClientFrame, TerminalServerFrame } from "@xionimus/protocol"
import type { FastifyInstance, FastifyRequest } from "fastify"
import { z } from "zod"
import type { RouteGuard } from "./auth/route-guard.ts"
import { findLiveProject } from "./project-access.ts"
import type { RouteDeps } from "./route-deps.ts"
import type { StreamSocket } from "./stream-connection.ts"

const url = "/api/projects/:projectId/terminal"
const open = 1
/** Unsent output allowed to pile up for a slow client before it is dropped. */
const maxBufferedBytes = 4 * 1024 * 1024

/** GET /api/projects/:projectId/terminal: an interactive shell in the project's sandbox over a WebSocket. */
export function mountTerminalSocket(app: FastifyInstance, deps: RouteDeps, guard: RouteGuard): void {
  deps.openapi.addOperation("GET", url, {
    summary: "WebSocket: an interactive terminal in the project's sandbox",
    description:
      "Upgrade to a WebSocket; send TerminalClientFrame JSON frames (input, resize) and receive " +
      "TerminalServerFrame frames (output, exit). Query cols and rows set the first size. Closing the socket " +
      "kills the shell and everything it started.",
    tags: ["exec"],
    "x-access": "project:write",
    parameters: [{ name: "projectId", in: "path", required: true, schema: { type: "string" } }],
    responses: { "101": { description: "Switching Protocols" } },
    "x-websocket": {
      clientFrame: z.toJSONSchema(TerminalClientFrame, { io: "input", unrepresentable: "any" }),
      serverFrame: z.toJSONSchema(TerminalServerFrame, { io: "output", unrepresentable: "any" }),
    },
  })
  app.route({
    method: "GET",
    url,
    preValidation: async (request) => {
      const { projectId } = ProjectParams.parse(request.params)
      const who = await guard.check("project:write", request, projectId)
      assertSameOrigin(request, who?.via)
      await findLiveProject(deps.services.store, projectId)
      if (who?.user) users.set(request, who.user.id)
    },
    handler: () => {
      throw new AppError("UPGRADE_REQUIRED", "This is a WebSocket endpoint. Connect with a WebSocket client.")
    },
    wsHandler: (connection, request) => {
      const socket = connection as unknown as StreamSocket
      void attachTerminal(socket, request, deps)
    },
  })
}

/** Who opened each terminal (set once the upgrade is authorised): its CPU time counts for them. */
const users = new WeakMap<FastifyRequest, string>()

async function attachTerminal(socket: StreamSocket, request: FastifyRequest, deps: RouteDeps): Promise<void> {
  const { projectId } = ProjectParams.parse(request.params)
  const userId = users.get(request)
  const subject = { projectId, ...(userId ? { userId } : {}) }
  const query = z
    .object({
      cols: z.coerce.number().int().min(1).max(1000).optional(),
      rows: z.coerce.number().int().min(1).max(1000).optional(),
    })
    .catch({})
    .parse(request.query)
  const send = (frame: TerminalServerFrame) => {
    if (socket.readyState !== open) return
    if (socket.bufferedAmount > maxBufferedBytes) return socket.terminate()
    socket.send(JSON.stringify(frame))
  }
  let terminal: Awaited<
    ReturnType<Awaited<ReturnType<typeof deps.services.sandboxes.sandboxFor>>["openTerminal"]>
  >
  // Frames a client sends right after connecting arrive while the terminal starts: keep them (up to a
  // bound) and play them in order once it runs, instead of dropping the first keystrokes.
  const early: TerminalClientFrame[] = []
  let started = false
  let socketClosed = false
  const apply = (frame: TerminalClientFrame) => {
    if (frame.type === "input") terminal.write(frame.data)
    else terminal.resize(frame.cols, frame.rows)
  }
  socket.on("message", (data) => {
    const parsed = TerminalClientFrame.safeParse(safeJson(String(data)))
    if (!parsed.success) return
    if (started) apply(parsed.data)
    else if (early.length < maxEarlyFrames) early.push(parsed.data)
  })
  socket.on("close", () => {
    socketClosed = true
  })
  try {
    // The user's and the team's daily sandbox CPU quota, like a command run through the exec route.
    await deps.services.quotas.assertSandbox(subject)
    const sandbox = await deps.services.sandboxes.sandboxFor(projectId)
    terminal = await sandbox.openTerminal({
      ...(query.cols ? { cols: query.cols } : {}),
      ...(query.rows ? { rows: query.rows } : {}),
    })
  } catch (error) {
    const failure = toAppError(error)
    if (failure.code === "INTERNAL") request.log.warn({ err: error }, "terminal could not start")
    // Said once, then closed: the client shows it and does not retry a start that would fail the same way.
    send({
      type: "error",
      code: failure.code,
      message:
        failure.code === "INTERNAL" ? "The terminal could not start. Try again later." : failure.message,
    })
    socket.close(1011, "the terminal could not start")
    return
  }
  const stop = terminal.onData((data) => send({ type: "output", data }))
  const closeTerminal = () => {
    stop()
    void terminal.close()
  }
  if (socketClosed) closeTerminal()
  else socket.on("close", closeTerminal)
  started = true
  for (const frame of early.splice(0)) apply(frame)
  const exited = await terminal.exited
  send({ type: "exit", exitCode: exited.exitCode, limit: exited.limit })
  socket.close(1000, "terminal exited")
  if (exited.cpuMs !== null)
    await deps.services.quotas
      .recordSandbox({ ...subject, cpuMs: exited.cpuMs })
      .catch((error: unknown) => request.log.warn({ err: error }, "terminal usage not recorded"))
}

/** Frames kept while the terminal starts; more are dropped. */
const maxEarlyFrames = 1000

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** A cookie-authenticated upgrade must come from our own pages (cross-site WebSocket hijacking). */
function assertSameOrigin(request: FastifyRequest, via: string | undefined): void {
  const origin = request.headers.origin
  if (via !== "session" || origin === undefined) return
  let host: string | undefined
  try {
    host = new URL(origin).host
  } catch {
    host = undefined
  }
  if (host !== request.headers.host) {
    throw new AppError(
      "FORBIDDEN",
      "Terminal connections with a session cookie must come from this server's pages.",
      {
        origin,
      },
    )
  }
}
