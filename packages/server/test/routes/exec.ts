import assert from "node:assert/strict"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { after, before, describe, test } from "node:test"
import type { ExecStarted, ServerFrame, StoredEvent } from "@xionimus/protocol"
import { createProject } from "../support/expect-error.ts"
import { connectFrames } from "../support/frame-client.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

export function execTests(): void {
  describe("exec and terminal routes", () => {
    let harness: TestApp
    let base: string
    let projectId: string
    before(async () => {
      harness = await createTestApp()
      await harness.app.listen({ host: "127.0.0.1", port: 0 })
      base = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`
      projectId = (await createProject(harness.app, "Runs")).id
    })
    after(() => harness.close())

    const exec = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      harness.app.inject({ method: "POST", url: `/api/projects/${projectId}/exec`, payload, headers })

    test("wait: runs in the sandbox, answers with result and output, and logs ordered events", async () => {
      // Pauses between writes: stdout and stderr are two pipes, read in the order their data arrives.
      const response = await exec({
        command: "echo out; sleep 0.1; echo err >&2; sleep 0.1; id -u; exit 3",
        wait: true,
      })
      assert.equal(response.statusCode, 200, response.body)
      const body = response.json() as ExecStarted
      assert.equal(body.result?.exitCode, 3)
      assert.equal(body.stdout, "out\n1000\n")
      assert.equal(body.stderr, "err\n")
      const events = await harness.app.inject({ method: "GET", url: `/api/streams/${body.stream}/events` })
      assert.equal(events.statusCode, 200, events.body)
      const items = (events.json() as { items: StoredEvent[] }).items
      assert.equal(items[0]?.type, "exec.run.started")
      assert.equal(items.at(-1)?.type, "exec.run.finished")
      const text = items
        .filter((event) => event.type === "exec.output.appended")
        .map((event) => (event.data as { text: string }).text)
        .join("")
      assert.equal(text, "out\nerr\n1000\n")
    })

    test("without wait: 202 with the stream; a subscriber sees the run finish", async () => {
      const response = await exec({ command: ["/bin/sh", "-c", "sleep 0.2; echo later"], timeoutMs: 5000 })
      assert.equal(response.statusCode, 202, response.body)
      const { stream } = response.json() as ExecStarted
      const client = await connectFrames(`${base}/api/stream`, harness.ownerHeaders)
      try {
        client.send({ type: "subscribe", stream })
        const finished = (await client.next(
          (frame: ServerFrame) => frame.type === "event" && frame.event.type === "exec.run.finished",
        )) as Extract<ServerFrame, { type: "event" }>
        assert.equal((finished.event.data as { exitCode: number }).exitCode, 0)
      } finally {
        await client.close()
      }
    })

    test("limits and bad requests: a timeout is named, a cwd outside /workspace is a 400", async () => {
      const slow = (await exec({ command: "sleep 10", timeoutMs: 200, wait: true })).json() as ExecStarted
      assert.equal(slow.result?.limit, "timeout")
      const outside = await exec({ command: "true", cwd: "/etc" })
      assert.equal(outside.statusCode, 400)
      assert.equal(outside.json().error.code, "SANDBOX_REQUEST_INVALID")
      const anonymous = await exec({ command: "true" }, { authorization: "" })
      assert.equal(anonymous.statusCode, 401)
    })

    test("file: runs a workspace file by its extension; an unknown extension or both fields is a 400", async () => {
      const write = await harness.app.inject({
        method: "PUT",
        url: `/api/projects/${projectId}/files`,
        payload: { path: "hello.py", content: "print('hello', 6 * 7)\n" },
      })
      assert.equal(write.statusCode, 200, write.body)
      const run = (await exec({ file: "hello.py", wait: true })).json() as ExecStarted
      assert.equal(run.stdout, "hello 42\n")
      const unknown = await exec({ file: "notes.md" })
      assert.equal(unknown.statusCode, 400)
      assert.equal(unknown.json().error.code, "SANDBOX_REQUEST_INVALID")
      const both = await exec({ file: "hello.py", command: "true" })
      assert.equal(both.statusCode, 400)
    })

    test("a project listed in sandbox.networkAllow reaches its allowed hosts through the egress proxy", async () => {
      const host = createServer((request, response) => response.end(`host says ${request.url}`))
      await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve))
      try {
        const port = (host.address() as AddressInfo).port
        const online = await createProject(harness.app, "Online")
        harness.config.sandbox.networkAllow[online.id] = ["127.0.0.1"]
        const response = await harness.app.inject({
          method: "POST",
          url: `/api/projects/${online.id}/exec`,
          payload: {
            command: [
              "python3",
              "-c",
              `import urllib.request as u; print(u.urlopen('http://127.0.0.1:${port}/hi').read().decode())`,
            ],
            env: { NO_PROXY: "none", no_proxy: "none" },
            wait: true,
          },
        })
        const body = response.json() as ExecStarted
        assert.equal(body.stdout, "host says /hi\n", body.stderr)
        const offline = (await exec({ command: "env | grep -ci proxy", wait: true })).json() as ExecStarted
        assert.equal(offline.stdout, "0\n")
      } finally {
        host.close()
      }
    })

    test("GET sandbox: what is enforced and which toolchains run", async () => {
      const response = await harness.app.inject({ method: "GET", url: `/api/projects/${projectId}/sandbox` })
      assert.equal(response.statusCode, 200, response.body)
      const info = response.json() as { backend: string; isolated: boolean; runtimes: { name: string }[] }
      assert.equal(info.backend, "bubblewrap")
      assert.equal(info.isolated, true)
      assert.ok(info.runtimes.some((runtime) => runtime.name === "sh"))
    })

    test("terminal over WebSocket: input, resize, output, exit", async () => {
      const client = await connectFrames(
        `${base}/api/projects/${projectId}/terminal?cols=90&rows=20`,
        harness.ownerHeaders,
      )
      client.send({ type: "resize", cols: 100, rows: 33 })
      client.send({ type: "input", data: "stty size; echo hi-$((40 + 2)); exit 7\n" })
      let output = ""
      for (;;) {
        const frame = (await client.next()) as unknown as { type: string; data?: string; exitCode?: number }
        if (frame.type === "output") output += frame.data
        if (frame.type === "exit") {
          assert.equal(frame.exitCode, 7)
          break
        }
      }
      assert.match(output, /33 100/)
      assert.match(output, /hi-42/)
      assert.equal((await client.closed).code, 1000)
    })

    test("terminal: a plain HTTP request is told to upgrade", async () => {
      const response = await harness.app.inject({ method: "GET", url: `/api/projects/${projectId}/terminal` })
      assert.equal(response.statusCode, 426)
    })
  })
}
