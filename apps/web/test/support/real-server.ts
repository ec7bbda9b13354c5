// What the web's store tests share: the real server on port 0 in a temp data dir (optionally with the mock
// provider as its model), signed in as the owner with an API key, and the SDK clients a page would use —
// Node has fetch and WebSocket, so the stores run here as in the browser.
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Config, type ConfigInput } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import {
  type Client,
  createClient,
  createSessionsClient,
  createStreamClient,
  type SessionsClient,
  type StreamClient,
  streamUrl,
  type WebSocketConstructor,
} from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import { type MockProviderServer, signInOwner, startMockProvider } from "@xionimus/testing"

export interface RealServer {
  url: string
  /** `{ authorization: "Bearer …" }` of the owner's admin key. */
  headers: Record<string, string>
  client: Client
  sessions: SessionsClient
  streams: StreamClient
  /** The mock provider serving model `mock/m`, when asked for. */
  mock: MockProviderServer | undefined
  close(): Promise<void>
}

export async function startRealServer(
  options: { mockModel?: boolean; config?: Omit<ConfigInput, "dataDir"> } = {},
): Promise<RealServer> {
  const dir = await mkdtemp(join(tmpdir(), "xionimus-web-test-"))
  const mock = options.mockModel ? await startMockProvider() : undefined
  const server = await startServer({
    config: Config.parse({
      log: { level: "silent" },
      server: { port: 0 },
      ...(mock
        ? {
            providers: {
              mock: { type: "openai-compatible", baseURL: mock.baseURLs.compatible, models: ["m"] },
            },
            models: { default: "mock/m", catalog: { "mock/m": { capabilities: { tools: true } } } },
          }
        : {}),
      ...options.config,
      dataDir: join(dir, "data"),
    }),
    logger: silentLogger(),
  })
  const { headers } = await signInOwner(server.url)
  const WebSocketWithKey = class extends WebSocket {
    constructor(url: string) {
      super(url, { headers } as unknown as string[])
    }
  } as unknown as WebSocketConstructor
  const streams = createStreamClient({ url: streamUrl(server.url), WebSocket: WebSocketWithKey })
  return {
    url: server.url,
    headers,
    client: createClient({ baseUrl: server.url, headers }),
    sessions: createSessionsClient({ baseUrl: server.url, headers }),
    streams,
    mock,
    async close() {
      streams.close()
      await server.close()
      await mock?.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Polls a local condition; fails with `what` after ten seconds. */
export async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
