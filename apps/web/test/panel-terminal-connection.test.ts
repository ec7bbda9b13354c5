// The terminal panel's connection: against the real server's terminal WebSocket (Node has WebSocket), and
// its retry schedule with a scripted socket and clock.
import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { createClient } from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import { signInOwner } from "@xionimus/testing"
import {
  createTerminalConnection,
  retryDelay,
  type TerminalConnection,
  type TerminalSocket,
  type TerminalStatus,
  terminalUrl,
} from "../src/stores/terminal-store.ts"

let dir: string
let server: Awaited<ReturnType<typeof startServer>>
let headers: Record<string, string>
let projectId: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "xionimus-terminal-"))
  server = await startServer({
    config: Config.parse({ dataDir: join(dir, "data"), log: { level: "silent" }, server: { port: 0 } }),
    logger: silentLogger(),
  })
  headers = (await signInOwner(server.url)).headers
  projectId = (await createClient({ baseUrl: server.url, headers }).createProject({ name: "Shell" })).id
})
after(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

async function eventually(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

test("terminalUrl turns the page's origin into the WebSocket endpoint", () => {
  assert.equal(
    terminalUrl("http://127.0.0.1:4100", "prj_1"),
    "ws://127.0.0.1:4100/api/projects/prj_1/terminal",
  )
  assert.equal(terminalUrl("https://x.example/", "prj_1"), "wss://x.example/api/projects/prj_1/terminal")
})

test("the real terminal: output, resize, exit; New terminal starts a fresh shell", async () => {
  let output = ""
  let newShells = 0
  const connection = createTerminalConnection({
    url: terminalUrl(server.url, projectId),
    openSocket: (url) => new WebSocket(url, { headers } as unknown as string[]) as unknown as TerminalSocket,
    onOutput: (data) => {
      output += data
    },
    onNewShell: () => {
      newShells += 1
      output = ""
    },
    size: () => ({ cols: 90, rows: 20 }),
  })
  try {
    await eventually(() => connection.status.get().state === "connected", "connected")
    connection.resize(101, 31)
    connection.input("stty size; echo hi-$((40 + 2))\n")
    await eventually(() => /31 101/.test(output) && /hi-42/.test(output), "size and echo in the output")
    connection.input("exit 7\n")
    await eventually(() => connection.status.get().state === "exited", "the exit")
    assert.deepEqual(connection.status.get(), { state: "exited", exitCode: 7, limit: null })

    connection.reconnect()
    await eventually(() => connection.status.get().state === "connected", "a new shell")
    assert.ok(newShells >= 2)
    await eventually(() => /\$ ?$/.test(output), "the new shell's prompt")
    connection.input("echo again-$((1 + 1))\n")
    await eventually(() => /again-2/.test(output), "the new shell's output")
    assert.match(output, /again-2/, "the new shell answers")
  } finally {
    connection.dispose()
  }
})

/** A socket the test drives: open, deliver frames, close. */
class ScriptedSocket implements TerminalSocket {
  readyState = 0
  onopen: (() => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null
  sent: string[] = []
  readonly url: string
  constructor(url: string) {
    this.url = url
  }
  send(data: string) {
    this.sent.push(data)
  }
  close() {
    this.drop()
  }
  open() {
    this.readyState = 1
    this.onopen?.()
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }
  drop() {
    if (this.readyState === 3) return
    this.readyState = 3
    this.onclose?.({ code: 1006, reason: "" })
  }
}

function scripted(): {
  connection: TerminalConnection
  sockets: ScriptedSocket[]
  timers: { run: () => void; ms: number }[]
  states: TerminalStatus[]
} {
  const sockets: ScriptedSocket[] = []
  const timers: { run: () => void; ms: number }[] = []
  const connection = createTerminalConnection({
    url: "ws://host/api/projects/prj_1/terminal",
    openSocket: (url) => {
      const socket = new ScriptedSocket(url)
      sockets.push(socket)
      return socket
    },
    onOutput: () => {},
    size: () => ({ cols: 80, rows: 24 }),
    now: () => 1000,
    setTimer: (run, ms) => {
      timers.push({ run, ms })
      return timers.length
    },
    clearTimer: () => {},
    backoff: { initialMs: 500, maxMs: 4000 },
  })
  const states: TerminalStatus[] = [connection.status.get()]
  connection.status.subscribe(() => states.push(connection.status.get()))
  return { connection, sockets, timers, states }
}

test("a dropped connection retries with a doubling delay, reset once the shell talks again", () => {
  const { connection, sockets, timers } = scripted()
  assert.equal(sockets[0]?.url, "ws://host/api/projects/prj_1/terminal?cols=80&rows=24")
  sockets[0]?.open()
  sockets[0]?.receive({ type: "output", data: "$ " })
  for (const expected of [500, 1000, 2000, 4000, 4000]) {
    sockets.at(-1)?.drop()
    const status = connection.status.get()
    assert.equal(status.state, "disconnected")
    assert.equal(timers.at(-1)?.ms, expected)
    assert.equal(status.state === "disconnected" ? status.retryAt : null, 1000 + expected)
    timers.at(-1)?.run()
    assert.equal(connection.status.get().state, "connecting")
  }
  // Connected and talking: the next drop starts from the first delay again.
  sockets.at(-1)?.open()
  sockets.at(-1)?.receive({ type: "output", data: "$ " })
  sockets.at(-1)?.drop()
  assert.equal(timers.at(-1)?.ms, 500)
  connection.dispose()
})

test("an opened socket that closes before the shell talks keeps backing off (the terminal could not start)", () => {
  const { connection, sockets, timers } = scripted()
  sockets[0]?.open()
  sockets[0]?.drop()
  timers.at(-1)?.run()
  sockets[1]?.open()
  sockets[1]?.drop()
  assert.deepEqual(
    timers.map((timer) => timer.ms),
    [500, 1000],
  )
  connection.dispose()
})

test("exit is final until Reconnect; a resize made while connecting is sent once the socket opens", () => {
  const { connection, sockets, timers } = scripted()
  connection.resize(120, 40)
  assert.deepEqual(sockets[0]?.sent, [])
  sockets[0]?.open()
  assert.deepEqual(
    sockets[0]?.sent.map((text) => JSON.parse(text)),
    [{ type: "resize", cols: 120, rows: 40 }],
  )
  connection.resize(120, 40)
  assert.equal(sockets[0]?.sent.length, 1, "the same size is not sent twice")
  connection.input("exit\n")
  sockets[0]?.receive({ type: "exit", exitCode: 0, limit: null })
  // The exit notice changes the layout: a resize between the exit frame and the close is not sent.
  connection.resize(120, 38)
  connection.input("ls\n")
  assert.equal(sockets[0]?.sent.length, 2)
  sockets[0]?.drop()
  assert.deepEqual(connection.status.get(), { state: "exited", exitCode: 0, limit: null })
  assert.equal(timers.length, 0, "no automatic retry after an exit")
  connection.reconnect()
  assert.equal(sockets.length, 2)
  assert.equal(sockets[1]?.url, "ws://host/api/projects/prj_1/terminal?cols=80&rows=24")
  connection.dispose()
  assert.equal(sockets[1]?.readyState, 3, "dispose closes the socket")
  assert.equal(timers.length, 0, "…and schedules nothing")
})

test("retryDelay doubles from the initial delay up to the maximum", () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelay(attempt)),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000],
  )
})

test("a shell the server could not start (an error frame) is final until New terminal: no automatic retry", () => {
  const { connection, sockets, timers } = scripted()
  sockets[0]?.open()
  sockets[0]?.receive({
    type: "error",
    code: "QUOTA_EXCEEDED",
    message: "Your sandbox CPU time per day quota is used up.",
  })
  sockets[0]?.drop()
  assert.deepEqual(connection.status.get(), {
    state: "failed",
    code: "QUOTA_EXCEEDED",
    message: "Your sandbox CPU time per day quota is used up.",
  })
  assert.equal(timers.length, 0, "nothing is scheduled")
  assert.equal(sockets.length, 1)
  connection.reconnect()
  assert.equal(sockets.length, 2)
  assert.equal(connection.status.get().state, "connecting")
  connection.dispose()
})
