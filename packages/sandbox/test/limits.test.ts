import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { createConcurrencyGate } from "../src/concurrency-gate.ts"
import { defaultLimits, limitsWith, resolveLimits } from "../src/limits.ts"
import { createOutputLimiter } from "../src/output-limiter.ts"
import { commandArgv, sandboxCwd, sandboxEnvironment } from "../src/sandbox-request.ts"
import type { OutputChunk } from "../src/types.ts"

describe("limits", () => {
  it("lets a call narrow the ceiling but never widen it", () => {
    const limits = resolveLimits(defaultLimits, {
      timeoutMs: 1000,
      memoryBytes: defaultLimits.memoryBytes * 4,
    })
    assert.equal(limits.timeoutMs, 1000)
    assert.equal(limits.memoryBytes, defaultLimits.memoryBytes)
  })

  it("lets configuration raise the defaults", () => {
    assert.equal(limitsWith(defaultLimits, { timeoutMs: 600_000 }).timeoutMs, 600_000)
  })

  it("refuses values that are not numbers, below the minimum, or unknown", () => {
    assert.throws(() => resolveLimits(defaultLimits, { pids: 1 }), { code: "SANDBOX_LIMIT_INVALID" })
    assert.throws(() => resolveLimits(defaultLimits, { timeoutMs: Number.NaN }), {
      code: "SANDBOX_LIMIT_INVALID",
    })
    assert.throws(() => resolveLimits(defaultLimits, { bogus: 1 } as never), {
      code: "SANDBOX_LIMIT_INVALID",
    })
  })
})

describe("requests", () => {
  it("keeps the working directory inside /workspace", () => {
    assert.equal(sandboxCwd(undefined), "/workspace")
    assert.equal(sandboxCwd("src/lib/"), "/workspace/src/lib")
    assert.equal(sandboxCwd("/workspace/a/../b"), "/workspace/b")
    for (const bad of ["..", "/", "/workspace/../etc", "/workspacex", "a/../../b"]) {
      assert.throws(() => sandboxCwd(bad), { code: "SANDBOX_REQUEST_INVALID" }, bad)
    }
  })

  it("validates environment names and builds argv", () => {
    assert.equal(sandboxEnvironment({ FOO: "1" }).FOO, "1")
    assert.throws(() => sandboxEnvironment({ "1A": "x" }), { code: "SANDBOX_REQUEST_INVALID" })
    assert.throws(() => sandboxEnvironment({ A: "x\0y" }), { code: "SANDBOX_REQUEST_INVALID" })
    assert.deepEqual(commandArgv({ shell: "ls" }), ["/bin/sh", "-c", "ls"])
    assert.throws(() => commandArgv({ shell: " " }), { code: "SANDBOX_REQUEST_INVALID" })
  })
})

describe("output limiter", () => {
  it("cuts the chunk that crosses the cap, appends the marker and stops", () => {
    const chunks: OutputChunk[] = []
    let overflowed = 0
    const limiter = createOutputLimiter(
      10,
      (chunk) => chunks.push(chunk),
      () => {
        overflowed += 1
      },
    )
    limiter.push("stdout", Buffer.from("12345"))
    limiter.push("stderr", Buffer.from("abcdefgh"))
    limiter.push("stdout", Buffer.from("late"))
    assert.equal(overflowed, 1)
    assert.equal(limiter.truncated, true)
    assert.deepEqual(limiter.bytes, { stdout: 5, stderr: 5 })
    assert.deepEqual(
      chunks.map((chunk) => [chunk.seq, chunk.stream, chunk.data.toString()]),
      [
        [0, "stdout", "12345"],
        [1, "stderr", "abcde"],
        [2, "stderr", "\n[xionimus: output truncated after 10 bytes; the run was stopped]\n"],
      ],
    )
  })
})

describe("concurrency gate", () => {
  it("runs at most `limit` at once, in FIFO order, and drops aborted waiters", async () => {
    const gate = createConcurrencyGate(1, 5)
    const first = await gate.acquire()
    const order: string[] = []
    const controller = new AbortController()
    const second = gate.acquire().then((release) => {
      order.push("second")
      return release
    })
    const aborted = gate.acquire(controller.signal)
    const third = gate.acquire().then((release) => {
      order.push("third")
      return release
    })
    assert.deepEqual(gate.stats(), { running: 1, queued: 3 })
    controller.abort()
    await assert.rejects(aborted)
    first()
    ;(await second)()
    ;(await third)()
    assert.deepEqual(order, ["second", "third"])
    assert.deepEqual(gate.stats(), { running: 0, queued: 0 })
  })

  it("refuses past the queue size and fails waiters on close", async () => {
    const gate = createConcurrencyGate(1, 1)
    await gate.acquire()
    const waiting = gate.acquire()
    await assert.rejects(gate.acquire(), { code: "SANDBOX_BUSY" })
    gate.close()
    await assert.rejects(waiting, { code: "SANDBOX_CLOSED" })
  })
})
