import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { request } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, test } from "node:test"
import { Config, type ConfigInput } from "@xionimus/config"
import { isAppError, silentLogger } from "@xionimus/kit"
import type { FileEntry, Project } from "@xionimus/protocol"
import { signInOwner } from "@xionimus/testing"
import { createServices, isLoopbackHost, onShutdownSignals, startServer } from "../src/index.ts"
import { eventually } from "./support/frame-client.ts"
import { createTestApp } from "./support/test-app.ts"

describe("startServer", () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "xionimus-start-"))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  const configOf = (server: NonNullable<ConfigInput["server"]> = {}) =>
    Config.parse({
      dataDir: join(dir, "data"),
      server: { host: "127.0.0.1", port: 0, webDir: join(dir, "web"), ...server },
    })

  test("refuses a non-loopback host with BIND_REFUSED while no owner exists, and binds once one does", async () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com"]) {
      await assert.rejects(startServer({ config: configOf({ host }), logger: silentLogger() }), (error) => {
        assert.ok(isAppError(error))
        assert.equal(error.code, "BIND_REFUSED")
        assert.match(error.message, /no owner/)
        assert.match(error.message, new RegExp(host.replace(/\./g, "\\.")))
        return true
      })
    }
    const services = await createServices(configOf(), silentLogger())
    await services.auth.setupOwner(
      { email: "owner@example.test", password: "correct horse battery staple" },
      { ip: null, userAgent: null },
    )
    await services.close()
    const server = await startServer({ config: configOf({ host: "0.0.0.0" }), logger: silentLogger() })
    try {
      const port = new URL(server.url).port
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200)
    } finally {
      await server.close()
    }
  })

  test("loopback hosts: localhost, 127.0.0.0/8, ::1", () => {
    for (const host of [
      "localhost",
      "127.0.0.1",
      "127.1.2.3",
      "::1",
      "[::1]",
      "::ffff:127.0.0.1",
      "LOCALHOST",
    ])
      assert.equal(isLoopbackHost(host), true, host)
    for (const host of [
      "0.0.0.0",
      "::",
      "128.0.0.1",
      "::ffff:10.0.0.1",
      "localhost.example.com",
      "",
      "127.0.0.1.nip.io",
    ])
      assert.equal(isLoopbackHost(host), false, host)
  })

  test("listens on the resolved port, answers, and close() is idempotent", async () => {
    const server = await startServer({ config: configOf(), logger: silentLogger() })
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${server.url}/healthz`)
    assert.deepEqual(await response.json(), { status: "ok" })
    const closing = server.close()
    assert.equal(server.close(), closing)
    await closing
    await assert.rejects(fetch(`${server.url}/healthz`))
  })

  test("shutdown: stops accepting, lets the in-flight request finish, then closes", async () => {
    const server = await startServer({
      config: configOf({ shutdownTimeoutMs: 60_000 }),
      logger: silentLogger(),
    })
    const owner = await signInOwner(server.url)
    const project = (await (
      await fetch(`${server.url}/api/projects`, {
        method: "POST",
        headers: { "content-type": "application/json", ...owner.headers },
        body: JSON.stringify({ name: "Slow" }),
      })
    ).json()) as Project

    // A request whose body arrives in two halves: it is in flight until the second half is sent.
    const body = Buffer.from(JSON.stringify({ path: "slow.txt", content: "finished" }))
    const seen = new Promise((resolve) => server.app.server.once("request", resolve))
    let answerRequest: ReturnType<typeof request> | undefined
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const slow = request(`${server.url}/api/projects/${project.id}/files`, {
        method: "PUT",
        headers: { "content-type": "application/json", "content-length": body.length, ...owner.headers },
      })
      slow.on("response", (response) => {
        let text = ""
        response.on("data", (chunk) => {
          text += chunk
        })
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }))
      })
      slow.on("error", reject)
      slow.write(body.subarray(0, 10))
      answerRequest = slow
    })
    await seen

    const closed = server.close()
    await eventually(() => !server.app.server.listening, "the listener to stop")
    await assert.rejects(fetch(`${server.url}/healthz`), "new connections are refused")

    answerRequest!.end(body.subarray(10))
    const { status, body: text } = await answer
    assert.equal(status, 200, text)
    assert.equal((JSON.parse(text) as FileEntry).path, "slow.txt")
    await closed
  })

  test("shutdown: requests still running at shutdownTimeoutMs are cut so that close() ends", async () => {
    const server = await startServer({ config: configOf({ shutdownTimeoutMs: 100 }), logger: silentLogger() })
    const seen = new Promise((resolve) => server.app.server.once("request", resolve))
    const cut = new Promise<Error>((resolve) => {
      const stuck = request(`${server.url}/api/projects`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": 1000 },
      })
      stuck.on("error", resolve)
      stuck.on("response", () => resolve(new Error("unexpected answer")))
      stuck.write("{")
    })
    await seen
    await server.close()
    const error = await cut
    assert.match(error.message, /socket hang up|ECONNRESET/)
  })
})

describe("requests during shutdown", () => {
  test("a request reaching the app while it closes answers 503 SHUTTING_DOWN with Connection: close", async () => {
    const harness = await createTestApp()
    let answer: Response | undefined
    // Runs after the app's own preClose hooks and before the listener closes: the app is closing.
    harness.app.addHook("preClose", async () => {
      answer = await fetch(`http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/healthz`)
    })
    await harness.app.listen({ host: "127.0.0.1", port: 0 })
    await harness.app.close()
    assert.equal(answer?.status, 503)
    assert.equal(answer?.headers.get("connection"), "close")
    const body = (await answer?.json()) as { error: { code: string; requestId: string } }
    assert.equal(body.error.code, "SHUTTING_DOWN")
    assert.equal(body.error.requestId, answer?.headers.get("x-request-id"))
    await harness.close()
  })
})

describe("onShutdownSignals", () => {
  test("the first signal closes once and exits 0; a second exits at once; the disposer unhooks", async () => {
    const before = process.listenerCount("SIGTERM")
    const exits: number[] = []
    let closes = 0
    let finishClose: () => void = () => undefined
    const dispose = onShutdownSignals(
      () => {
        closes += 1
        return new Promise<void>((resolve) => {
          finishClose = resolve
        })
      },
      { exit: (code) => exits.push(code) },
    )
    assert.equal(process.listenerCount("SIGTERM"), before + 1)
    process.emit("SIGTERM")
    process.emit("SIGINT")
    assert.deepEqual([closes, exits], [1, [130]])
    finishClose()
    await eventually(() => exits.length === 2, "the exit after close")
    assert.deepEqual(exits, [130, 0])
    await dispose()
    assert.equal(process.listenerCount("SIGTERM"), before)
  })
})
