import assert from "node:assert/strict"
import type { AddressInfo } from "node:net"
import { after, before, describe, test } from "node:test"
import { defaultPreset } from "@xionimus/agent"
import { anonymous } from "../support/sign-in.ts"
import { createTeamFixture, type TeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

type Who = "anonymous" | "viewer" | "editor" | "owner" | "stranger"
type Expected =
  | "allowed"
  | "AUTH_REQUIRED"
  | "FORBIDDEN"
  | "PROJECT_NOT_FOUND"
  | "TEAM_NOT_FOUND"
  | "SESSION_NOT_FOUND"
  | "RUN_NOT_FOUND"
  | "REAUTH_REQUIRED"

const rank = { viewer: 1, editor: 2, owner: 3 } as const

/** What each principal must get from a route, from its access level and whether it targets team A's things. */
export function expectedAnswer(who: Who, access: string, path: string): Expected {
  if (access === "public") return "allowed"
  if (who === "anonymous") return "AUTH_REQUIRED"
  if (access === "admin") return "FORBIDDEN"
  // Deleting one's account with a key needs the password as well (none is sent here).
  if (path === "/api/account" && access === "self:write") return "REAUTH_REQUIRED"
  const [kind, mode] = access.split(":") as [string, string]
  const targetsProject = /\{(projectId|stream)\}/.test(path)
  const targetsTeam = path.includes("{teamId}")
  // An agent session answers for its project, hidden as a missing session from outsiders.
  const targetsSession = path.startsWith("/api/sessions/{sessionId}")
  // So does an orchestra run.
  const targetsRun = path.startsWith("/api/runs/{runId}")
  if (kind === "project" && (targetsProject || targetsSession || targetsRun)) {
    if (who === "stranger")
      return targetsSession ? "SESSION_NOT_FOUND" : targetsRun ? "RUN_NOT_FOUND" : "PROJECT_NOT_FOUND"
    const needed = mode === "read" ? 1 : mode === "write" ? 2 : 3
    return rank[who] >= needed ? "allowed" : "FORBIDDEN"
  }
  if (kind === "team" && targetsTeam) {
    if (who === "stranger") return "TEAM_NOT_FOUND"
    return mode === "read" || who === "owner" ? "allowed" : "FORBIDDEN"
  }
  return "allowed"
}

export function accessMatrixTests(): void {
  describe("authorisation matrix over the OpenAPI document", () => {
    let harness: TestApp
    let fixture: TeamFixture
    let origin: string
    before(async () => {
      harness = await createTestApp()
      fixture = await createTeamFixture(harness, "matrix")
      // The event stream (SSE) never ends by itself: it is asked over a real socket, for its status only.
      await harness.app.listen({ host: "127.0.0.1", port: 0 })
      origin = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`
    })
    after(() => harness.close())

    test("every route answers anonymous, viewer, editor, owner and another team's owner as its access says", async () => {
      const document = (await harness.app.inject({ method: "GET", url: "/api/openapi.json" })).json() as {
        paths: Record<string, Record<string, { "x-access"?: string }>>
      }
      const values: Record<string, string> = {
        projectId: fixture.projectId,
        stream: fixture.projectId,
        teamId: fixture.teamId,
        // Someone outside team A: member and deny routes act on nobody of consequence.
        userId: fixture.stranger.id,
        sessionId: "lgn_0190b6f3a2c100AAAAAAAAAAAA",
        keyId: "key_0190b6f3a2c100AAAAAAAAAAAA",
      }
      const headersOf: Record<Who, Record<string, string>> = {
        anonymous,
        viewer: fixture.viewer.headers,
        editor: fixture.editor.headers,
        stranger: fixture.stranger.headers,
        owner: fixture.owner.headers,
      }
      const newSession = async () =>
        (
          await harness.services.sessions.create({
            projectId: fixture.projectId,
            createdBy: fixture.owner.id,
          })
        ).id
      const sessionId = await newSession()
      // A run of team A's project, as its first event (not driven: no model answers in this app).
      const runId = "orc_0190b6f3a2c100AAAAAAAAAAAA"
      await harness.services.bus.append(runId, [
        {
          id: "started_matrix",
          type: "run.started",
          data: {
            projectId: fixture.projectId,
            goal: "Matrix",
            preset: defaultPreset("scripted/model"),
            budget: {},
            baseCheckpoint: "0".repeat(40),
            createdBy: fixture.owner.id,
          },
        },
      ])
      values.runId = runId
      const mismatches: string[] = []
      let checked = 0
      // The owner goes last: some of their allowed calls change things (deleting the project, for one).
      for (const who of ["anonymous", "viewer", "editor", "stranger", "owner"] as const) {
        for (const [path, operations] of Object.entries(document.paths)) {
          for (const [method, operation] of Object.entries(operations)) {
            const access = operation["x-access"]
            if (!access) {
              mismatches.push(`${method.toUpperCase()} ${path}: no x-access`)
              continue
            }
            // Setting up the owner and signing in are covered in auth.ts; here they would only log in.
            if (path === "/api/auth/setup" || path === "/api/auth/logout") continue
            // Agent sessions (not sign-in sessions); deleting one takes a fresh one, so the next callers find theirs.
            const agentSession =
              path.startsWith("/api/sessions/{sessionId}") &&
              (method === "delete" && path === "/api/sessions/{sessionId}" ? await newSession() : sessionId)
            const url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
              name === "sessionId" && agentSession ? agentSession : (values[name] ?? "x"),
            )
            if (path.endsWith("/events/stream")) {
              const status = await eventStreamStatus(`${origin}${url}`, headersOf[who])
              const expected = expectedAnswer(who, access, path)
              checked++
              if (status.got !== expected) {
                mismatches.push(
                  `${who} GET ${path} (${access}): expected ${expected}, got ${status.statusCode}`,
                )
              }
              continue
            }
            const response = await harness.app.inject({
              method: method.toUpperCase() as "GET",
              url,
              ...(method === "get" || method === "delete"
                ? { headers: headersOf[who] }
                : { headers: { ...headersOf[who], "content-type": "application/json" }, payload: "{}" }),
            })
            const code =
              response.statusCode >= 400
                ? (JSON.parse(response.body) as { error?: { code?: string } }).error?.code
                : undefined
            const refusal =
              response.statusCode === 401 ||
              response.statusCode === 403 ||
              code === "PROJECT_NOT_FOUND" ||
              code === "TEAM_NOT_FOUND" ||
              code === "SESSION_NOT_FOUND" ||
              code === "RUN_NOT_FOUND"
            const got = refusal ? (code === "AUTH_INVALID" ? "AUTH_REQUIRED" : code) : "allowed"
            const expected = expectedAnswer(who, access, path)
            checked++
            if (got !== expected) {
              mismatches.push(
                `${who} ${method.toUpperCase()} ${path} (${access}): expected ${expected}, got ${response.statusCode} ${code ?? ""}`,
              )
            }
          }
        }
      }
      assert.deepEqual(mismatches, [])
      assert.ok(checked > 200, `only ${checked} answers checked`)
    })
  })
}

/** The status of an event-stream request (read from its headers; the stream itself is cancelled). */
async function eventStreamStatus(
  url: string,
  headers: Record<string, string>,
): Promise<{ statusCode: number; got: string }> {
  const sent = Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== ""))
  const response = await fetch(url, { headers: sent })
  if (response.ok) {
    await response.body?.cancel()
    return { statusCode: response.status, got: "allowed" }
  }
  const code = ((await response.json()) as { error?: { code?: string } }).error?.code ?? ""
  return { statusCode: response.status, got: code === "AUTH_INVALID" ? "AUTH_REQUIRED" : code }
}
