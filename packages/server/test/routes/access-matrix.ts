import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { anonymous } from "../support/sign-in.ts"
import { createTeamFixture, type TeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

type Who = "anonymous" | "viewer" | "editor" | "owner" | "stranger"
type Expected = "allowed" | "AUTH_REQUIRED" | "FORBIDDEN" | "PROJECT_NOT_FOUND" | "TEAM_NOT_FOUND"

const rank = { viewer: 1, editor: 2, owner: 3 } as const

/** What each principal must get from a route, from its access level and whether it targets team A's things. */
export function expectedAnswer(who: Who, access: string, path: string): Expected {
  if (access === "public") return "allowed"
  if (who === "anonymous") return "AUTH_REQUIRED"
  if (access === "admin") return "FORBIDDEN"
  const [kind, mode] = access.split(":") as [string, string]
  const targetsProject = /\{(projectId|stream)\}/.test(path)
  const targetsTeam = path.includes("{teamId}")
  if (kind === "project" && targetsProject) {
    if (who === "stranger") return "PROJECT_NOT_FOUND"
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
    before(async () => {
      harness = await createTestApp()
      fixture = await createTeamFixture(harness, "matrix")
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
            const url = path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "x")
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
              code === "TEAM_NOT_FOUND"
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
