import { levelCovers } from "@xionimus/auth"
import { AppError } from "@xionimus/kit"
import {
  ForkBody,
  RewindBody,
  SendMessageBody,
  Session,
  SessionPermissionBody,
  StoredEvent,
} from "@xionimus/protocol"
import { auditAction } from "../audit-action.ts"
import { defineRoute, emptyResponse, type Route } from "../define-route.ts"
import { findLiveProject } from "../project-access.ts"
import type { RouteDeps } from "../route-deps.ts"
import {
  MessageAccepted,
  RevertParams,
  RewindPreview,
  SessionParams,
  TurnAccepted,
} from "./session-schemas.ts"

/**
 * Working in a session: send messages (a turn starts, or the message queues), cancel, resume, answer
 * permission questions, rewind (and undo it) and fork. Progress arrives as events on the session's stream.
 */
export function sessionTurnRoutes({ services }: RouteDeps): Route[] {
  const { sessions } = services
  /** Turns change files: the project must not be deleted. */
  const liveSession = async (sessionId: string) => {
    const session = await sessions.get(sessionId)
    await findLiveProject(services.store, session.projectId)
    return session
  }
  return [
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/messages",
      summary: "Send a message: starts a turn, or queues the message while one runs",
      description:
        "Answers 202 at once; the turn's events (text as it streams, tool calls, permission questions, the end) " +
        "arrive on the session's stream. The same `clientId` sent twice creates one message.",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      body: SendMessageBody,
      response: { 202: MessageAccepted },
      async handler({ params, body, principal }) {
        await liveSession(params.sessionId)
        return sessions.send(params.sessionId, {
          text: body.text,
          ...(body.attachments?.length ? { attachments: body.attachments } : {}),
          ...(body.model ? { model: body.model } : {}),
          ...(body.clientId ? { clientId: body.clientId } : {}),
          authorId: principal?.user.id ?? null,
        })
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/cancel",
      summary: "Cancel the running turn (its commands are killed) and drop queued messages' turns",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      response: { 202: emptyResponse("Cancelling; the turn ends with turn.ended (cancelled)") },
      async handler({ params }) {
        await sessions.cancel(params.sessionId)
        return undefined
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/resume",
      summary: "Continue an interrupted, paused or failed turn from the log",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      response: { 202: TurnAccepted },
      async handler({ params, principal }) {
        await liveSession(params.sessionId)
        return sessions.resume(params.sessionId, principal?.user.id ?? null)
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/permissions",
      summary: "Answer a permission question (permission.asked): allow once, allow always, or deny",
      description:
        "`allow-always` with scope project or user saves rules in those settings; a denial's message reaches the agent.",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      body: SessionPermissionBody,
      response: { 204: emptyResponse("Decided; the turn goes on") },
      async handler({ params, body, request, principal }) {
        // Rules for the whole project are the project owners' to set (as with PUT …/permissions).
        if (body.decision.kind === "allow-always" && body.decision.scope === "project") {
          const { projectId } = await sessions.get(params.sessionId)
          if (!principal || !levelCovers(await services.teams.projectLevel(principal, projectId), "manage")) {
            throw new AppError(
              "FORBIDDEN",
              "Only the project's owners may allow a tool for the whole project. Allow it for this session or for yourself (scope session or user).",
              { projectId, scope: "project" },
            )
          }
        }
        await sessions.decide(params.sessionId, body.requestId, body.decision, principal?.user.id ?? null)
        await auditAction(services.auth, request, principal, "session.permission.decided", params.sessionId, {
          requestId: body.requestId,
          decision: body.decision.kind,
          ...("scope" in body.decision ? { scope: body.decision.scope } : {}),
        })
        return undefined
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/rewind/preview",
      summary: "What a rewind to a message would change: the diff and the events the chat would hide",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      body: RewindBody,
      response: { 200: RewindPreview },
      handler: ({ params, body }) => sessions.rewindPreview(params.sessionId, body.messageId, body.mode),
    }),
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/rewind",
      summary: "Rewind to a message (code and chat, chat only, or code only)",
      description:
        "Appends and answers the session.reverted event; the log keeps everything, and the rewind can be undone.",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      body: RewindBody,
      response: { 201: StoredEvent },
      handler: ({ params, body }) => sessions.rewind(params.sessionId, body.messageId, body.mode),
    }),
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/rewind/:eventId/undo",
      summary: "Undo a rewind (its session.reverted event)",
      tags: ["sessions"],
      access: "project:write",
      params: RevertParams,
      response: { 201: StoredEvent },
      handler: ({ params }) => sessions.undoRewind(params.sessionId, params.eventId),
    }),
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/fork",
      summary: "Fork the session at a message: a new session with the log and the files up to there",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      body: ForkBody,
      response: { 201: Session },
      handler: ({ params, body, principal }) =>
        sessions.fork(params.sessionId, {
          ...(body.messageId ? { messageId: body.messageId } : {}),
          ...(body.title ? { title: body.title } : {}),
          createdBy: principal?.user.id ?? null,
        }),
    }),
  ]
}
