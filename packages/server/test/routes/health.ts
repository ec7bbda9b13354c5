import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { AppError } from "@xionimus/kit"
import { createProject, expectError } from "../support/expect-error.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

export function healthTests(): void {
  describe("health, readiness and metrics", () => {
    let harness: TestApp
    before(async () => {
      harness = await createTestApp()
    })
    after(() => harness.close())

    test("GET /healthz answers ok", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/healthz" })
      assert.equal(response.statusCode, 200)
      assert.deepEqual(response.json(), { status: "ok" })
      assert.match(String(response.headers["x-request-id"]), /^req-/)
    })

    test("GET /healthz takes no query parameters", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/healthz?verbose=1" })
      expectError(response, 400, "VALIDATION_FAILED")
    })

    test("GET /readyz is ready when the database and the bus answer", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/readyz" })
      assert.equal(response.statusCode, 200)
      assert.deepEqual(response.json(), {
        status: "ready",
        checks: { database: { ok: true }, bus: { ok: true } },
      })
    })

    test("GET /metrics exposes request durations, event appends, bus subscribers and process metrics", async () => {
      await createProject(harness.app, "Metrics")
      await harness.app.inject({ method: "GET", url: "/healthz" })
      const response = await harness.app.inject({ method: "GET", url: "/metrics" })
      assert.equal(response.statusCode, 200)
      assert.match(String(response.headers["content-type"]), /^text\/plain/)
      const text = response.body
      assert.match(
        text,
        /xionimus_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} [1-9]/,
      )
      assert.match(text, /xionimus_event_appends_total\{type="project.created"\} 1/)
      assert.match(text, /xionimus_bus_subscribers 0/)
      assert.match(text, /process_cpu_user_seconds_total/)
    })
  })

  describe("readiness with a dependency down", () => {
    test("GET /readyz answers 503 naming the failing check", async () => {
      const harness = await createTestApp({
        wrapServices: (services) => ({
          ...services,
          store: {
            ...services.store,
            ping: () => Promise.reject(new AppError("DB_UNREACHABLE", "The database does not answer.")),
          },
          bus: Object.assign(Object.create(services.bus), {
            ping: () => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.7:6379")),
          }),
        }),
      })
      try {
        const response = await harness.app.inject({ method: "GET", url: "/readyz" })
        assert.equal(response.statusCode, 503)
        const body = response.json()
        assert.equal(body.status, "not-ready")
        assert.deepEqual(body.checks.database, { ok: false, error: "The database does not answer." })
        assert.equal(body.checks.bus.ok, false)
        // A foreign error may carry hosts; readiness does not repeat it.
        assert.doesNotMatch(body.checks.bus.error, /10\.0\.0\.7/)
      } finally {
        await harness.close()
      }
    })
  })
}
