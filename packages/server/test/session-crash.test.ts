// A real server process killed mid-turn (SIGKILL) and started again on the same data directory: what was
// committed before the kill is all there, the turn shows as interrupted, and it can be resumed.
import assert from "node:assert/strict"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { fileURLToPath } from "node:url"
import type { Session, StoredEvent } from "@xionimus/protocol"
import { type MockProviderServer, signInOwner, startMockProvider } from "@xionimus/testing"

const bin = fileURLToPath(new URL("../../../apps/cli/bin/xionimus.js", import.meta.url))

let root: string
let mock: MockProviderServer
const started: ChildProcess[] = []

before(async () => {
  root = await mkdtemp(join(tmpdir(), "xionimus-crash-"))
  await mkdir(join(root, "home"))
  mock = await startMockProvider({ apiKey: "mock-key" })
})
after(async () => {
  // Only the processes this test started.
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
  await mock.close()
  await rm(root, { recursive: true, force: true })
})

interface Server {
  child: ChildProcess
  url: string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  output: () => string
}

/** `xionimus serve` on the test's data directory, its provider at the mock; resolves with its URL. */
async function serve(): Promise<Server> {
  const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--data-dir", join(root, "data")], {
    cwd: root,
    env: {
      HOME: join(root, "home"),
      PATH: process.env.PATH,
      XIONIMUS_LOG_LEVEL: "warn",
      OPENAI_BASE_URL: mock.baseURLs.openai,
      OPENAI_API_KEY: "mock-key",
    },
  })
  started.push(child)
  let output = ""
  child.stdout.on("data", (chunk) => {
    output += chunk
  })
  child.stderr.on("data", (chunk) => {
    output += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  )
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const found = /Xionimus is running at (http:\/\/\S+)/.exec(output)
      if (found) resolve(found[1]!)
    })
    exited.then((result) => reject(new Error(`serve exited early (${JSON.stringify(result)}): ${output}`)))
  })
  return { child, url, exited, output: () => output }
}

async function call<T>(url: string, headers: Record<string, string>, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { ...headers, ...(init.body ? { "content-type": "application/json" } : {}) },
  })
  const text = await response.text()
  assert.ok(response.ok, `${init.method ?? "GET"} ${url}: ${response.status} ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}

async function allEvents(base: string, headers: Record<string, string>, sessionId: string) {
  return (
    await call<{ items: StoredEvent[] }>(`${base}/api/sessions/${sessionId}/events?limit=1000`, headers)
  ).items
}

/** Polls until `check` returns a value; the deadline only guards against hanging forever. */
async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test("SIGKILL mid-turn, restart: the committed events are kept, the turn is interrupted and resumable", async () => {
  // A long, slow answer: the server is killed while it streams.
  const chunks = Array.from({ length: 200 }, (_, index) => `word${index} `)
  mock.enqueue({ type: "stream", blocks: [{ type: "text", chunks }], delayMs: 50 })

  const first = await serve()
  const owner = await signInOwner(first.url)
  const project = await call<{ id: string }>(`${first.url}/api/projects`, owner.headers, {
    method: "POST",
    body: JSON.stringify({ name: "Crash" }),
  })
  const session = await call<Session>(`${first.url}/api/projects/${project.id}/sessions`, owner.headers, {
    method: "POST",
    body: JSON.stringify({ model: "openai/slow-model" }),
  })
  await call(`${first.url}/api/sessions/${session.id}/messages`, owner.headers, {
    method: "POST",
    body: JSON.stringify({ text: "Write a long answer" }),
  })
  const before = await waitFor("streamed text before the kill", 30_000, async () => {
    const events = await allEvents(first.url, owner.headers, session.id)
    return events.filter((event) => event.type === "assistant.text").length >= 2 ? events : undefined
  })
  first.child.kill("SIGKILL")
  assert.deepEqual(await first.exited, { code: null, signal: "SIGKILL" })
  assert.ok(!before.some((event) => event.type === "turn.ended"), "the turn was still running")

  const second = await serve()
  // The dead process held the lease on this host: the new server marks the turn before it answers,
  // without waiting for the lease to run out.
  const interrupted = await call<Session>(`${second.url}/api/sessions/${session.id}`, owner.headers)
  assert.equal(interrupted.runState, "interrupted")
  const after = await allEvents(second.url, owner.headers, session.id)
  // Everything a client saw before the kill is still there, unchanged; more may have been committed after.
  assert.deepEqual(after.slice(0, before.length), before)
  const ended = after.filter((event) => event.type === "turn.ended")
  assert.equal(ended.length, 1)
  assert.equal((ended[0]!.data as { outcome: string }).outcome, "interrupted")
  const answer = after.findLast((event) => event.type === "assistant.finished")
  assert.equal(
    (answer?.data as { reason: string } | undefined)?.reason,
    "interrupted",
    "the cut-off answer says why",
  )
  assert.equal(interrupted.head, after.at(-1)!.seq)

  // Resume: a new turn runs to the end (the mock answers its default scenario).
  const resumed = await call<{ turnId: string }>(
    `${second.url}/api/sessions/${session.id}/resume`,
    owner.headers,
    {
      method: "POST",
    },
  )
  assert.ok(resumed.turnId)
  const finished = await waitFor("the resumed turn to end", 30_000, async () => {
    const events = await allEvents(second.url, owner.headers, session.id)
    const last = events.filter((event) => event.type === "turn.ended").at(-1)
    return last && (last.data as { turnId: string }).turnId === resumed.turnId ? last : undefined
  })
  assert.equal((finished.data as { outcome: string }).outcome, "completed", second.output())

  second.child.kill("SIGTERM")
  assert.equal((await second.exited).code, 0, second.output())
})
