import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { startServer } from "@xionimus/server"
import { signInOwner } from "@xionimus/testing"
import type { WebSocketConstructor } from "../../src/index.ts"

export interface TestServer {
  url: string
  /** The owner's API key as `{ authorization: "Bearer xk_…" }` (the server is set up at start). */
  headers: Record<string, string>
  /** Stops the server (its data stays, so `restart` can bring it back on the same port). */
  stop(): Promise<void>
  /** Starts a server again on the same port over the same data. */
  restart(): Promise<void>
  /** Stops the server and removes its data. */
  close(): Promise<void>
}

/**
 * The real server (SQLite, workspaces, in-process bus) on 127.0.0.1 with a fresh temp data dir;
 * `settings` adds top-level configuration (model providers, agent settings).
 */
export async function startTestServer(settings: Record<string, unknown> = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), "xionimus-sdk-"))
  const configFor = (port: number) =>
    Config.parse({
      ...settings,
      dataDir: join(dir, "data"),
      log: { level: "silent" },
      server: { host: "127.0.0.1", port, webDir: join(dir, "no-web-build"), shutdownTimeoutMs: 2000 },
    })
  let running: Awaited<ReturnType<typeof startServer>> | undefined = await startServer({
    config: configFor(0),
    logger: silentLogger(),
  })
  const url = running.url
  const port = Number(new URL(url).port)
  const { headers } = await signInOwner(url)
  return {
    url,
    headers,
    async stop() {
      await running?.close()
      running = undefined
    },
    async restart() {
      running = await startServer({ config: configFor(port), logger: silentLogger() })
    },
    async close() {
      await running?.close()
      running = undefined
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Polls until `condition` holds; fails after a safety timeout with `what` in the message. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Node's WebSocket sending the given headers (an API key) with the upgrade request. */
export function webSocketWith(headers: Record<string, string>): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { headers } as unknown as string[])
    }
  } as unknown as WebSocketConstructor
}
