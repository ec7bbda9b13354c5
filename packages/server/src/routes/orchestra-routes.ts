import { PageQuery, ProjectParams, RunSummaryPage } from "@xionimus/protocol"
import { auditAction } from "../audit-action.ts"
import { defineRoute, type Route, rawResponse } from "../define-route.ts"
import { findLiveProject } from "../project-access.ts"
import type { RouteDeps } from "../route-deps.ts"
import {
  ForkRunBody,
  GateDecisionBody,
  GateList,
  GateParams,
  GatesQuery,
  RunContextBody,
  RunParams,
  RunStatusBody,
  StartRunBody,
} from "./orchestra-schemas.ts"

/**
 * Orchestra runs of a project: start, list, status, gates and their decisions, CONTEXT.md, cancel,
 * resume, fork, export. Access to a run is its project's role (the guard resolves `runId`, and hides
 * runs of other projects as RUN_NOT_FOUND).
 */
export function orchestraRoutes({ services }: RouteDeps): Route[] {
  const { orchestra } = services
  const runs = orchestra.engine
  return [
    defineRoute({
      method: "GET",
      url: "/api/projects/:projectId/runs",
      summary: "List the project's orchestra runs, newest first, each with its summary",
      description:
        "Per run: phase, goal, packages done of total, open gates, usage and budget, created and updated " +
        "time. A page at a time (`limit`, `cursor` = the previous page's `nextCursor`).",
      tags: ["orchestra"],
      access: "project:read",
      params: ProjectParams,
      query: PageQuery,
      response: { 200: RunSummaryPage },
      handler: ({ params, query }) =>
        orchestra.list(params.projectId, { limit: query.limit, cursor: query.cursor }),
    }),
    defineRoute({
      method: "POST",
      url: "/api/projects/:projectId/runs",
      summary: "Start an orchestra run on a goal",
      description:
        "The conductor plans first; the run then pauses at the plan gate (with the default preset). " +
        "Answers at once with the run's status; follow it with GET /api/runs/{runId}.",
      tags: ["orchestra"],
      access: "project:write",
      params: ProjectParams,
      body: StartRunBody,
      response: { 201: RunStatusBody },
      async handler({ params, body, request, principal }) {
        await findLiveProject(services.store, params.projectId)
        const status = await runs.start({
          projectId: params.projectId,
          goal: body.goal,
          ...(body.preset !== undefined ? { preset: body.preset as never } : {}),
          ...(body.budget ? { budget: body.budget } : {}),
          createdBy: principal?.user.id ?? null,
        })
        await auditAction(services.auth, request, principal, "run.started", status.runId, {
          projectId: params.projectId,
        })
        return status
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/runs/:runId",
      summary: "A run's status: packages, gates, steps, totals, CONTEXT.md",
      tags: ["orchestra"],
      access: "project:read",
      params: RunParams,
      response: { 200: RunStatusBody },
      handler: ({ params }) => runs.status(params.runId),
    }),
    defineRoute({
      method: "GET",
      url: "/api/runs/:runId/gates",
      summary: "The run's gates waiting for a decision (all of them with all=true)",
      tags: ["orchestra"],
      access: "project:read",
      params: RunParams,
      query: GatesQuery,
      response: { 200: GateList },
      async handler({ params, query }) {
        const status = await runs.status(params.runId)
        return { items: query.all === "true" ? status.state.gates : status.waiting }
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/runs/:runId/gates/:gateId",
      summary: "Decide a gate: approve, reject with a comment, or edit its payload",
      description:
        "The run goes on from the decision. GATE_NOT_FOUND, GATE_ALREADY_DECIDED, GATE_DECISION_INVALID " +
        "(a reject without a comment, an edit whose payload does not fit the gate), RUN_ENDED.",
      tags: ["orchestra"],
      access: "project:write",
      params: GateParams,
      body: GateDecisionBody,
      response: { 200: RunStatusBody },
      async handler({ params, body, request, principal }) {
        const status = await runs.decideGate(
          params.runId,
          params.gateId,
          {
            decision: body.decision,
            ...(body.comment !== undefined ? { comment: body.comment } : {}),
            ...(body.payload !== undefined ? { payload: body.payload } : {}),
          },
          principal?.user.id ?? null,
        )
        await auditAction(services.auth, request, principal, "run.gate.decided", params.runId, {
          gateId: params.gateId,
          decision: body.decision,
        })
        return status
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/runs/:runId/context",
      summary: "The run's CONTEXT.md (Markdown) and its version",
      tags: ["orchestra"],
      access: "project:read",
      params: RunParams,
      response: { 200: RunContextBody },
      async handler({ params }) {
        const status = await runs.status(params.runId)
        return { runId: status.runId, version: status.state.context.version, markdown: status.context }
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/runs/:runId/cancel",
      summary: "Cancel a run: running steps stop, their commands are killed, the run ends cancelled",
      tags: ["orchestra"],
      access: "project:write",
      params: RunParams,
      response: { 200: RunStatusBody },
      async handler({ params, request, principal }) {
        const status = await runs.cancel(params.runId, principal?.user.id ?? null)
        await auditAction(services.auth, request, principal, "run.cancelled", params.runId)
        return status
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/runs/:runId/resume",
      summary: "Drive a run again after a server restart: unfinished steps run again under their ids",
      tags: ["orchestra"],
      access: "project:write",
      params: RunParams,
      response: { 200: RunStatusBody },
      handler: ({ params }) => runs.resume(params.runId),
    }),
    defineRoute({
      method: "POST",
      url: "/api/runs/:runId/fork",
      summary: "Fork a run at a seq into a new run of the same project (not started: resume it)",
      tags: ["orchestra"],
      access: "project:write",
      params: RunParams,
      body: ForkRunBody,
      response: { 201: RunStatusBody },
      async handler({ params, body, request, principal }) {
        const status = await runs.fork(params.runId, body.seq !== undefined ? { seq: body.seq } : {})
        await auditAction(services.auth, request, principal, "run.forked", status.runId, {
          from: params.runId,
        })
        return status
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/runs/:runId/export",
      summary: "Download the run: its events, CONTEXT.md and a Markdown report (versioned JSON)",
      tags: ["orchestra"],
      access: "project:read",
      params: RunParams,
      response: { 200: rawResponse("application/json", "A run export document, as an attachment") },
      async handler({ params, request, reply, principal }) {
        const document = await runs.exportRun(params.runId)
        await auditAction(services.auth, request, principal, "run.exported", params.runId)
        reply.type("application/json; charset=utf-8")
        reply.header("content-disposition", `attachment; filename="${params.runId}.json"`)
        return JSON.stringify(document, null, 2)
      },
    }),
  ]
}
