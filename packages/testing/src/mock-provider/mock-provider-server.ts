import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { anthropicFormat } from "./anthropic-format.ts"
import { geminiFormat } from "./gemini-format.ts"
import type { MockReply } from "./mock-reply.ts"
import { isMockScenarioName, mockScenarios } from "./mock-scenarios.ts"
import { ollamaCompatibleFormat, ollamaNativeFormat } from "./ollama-format.ts"
import { openAIChatFormat } from "./openai-chat-format.ts"
import { openAIResponsesFormat } from "./openai-responses-format.ts"
import type { WireFormat } from "./wire-format.ts"

export type MockFormatName =
  | "openai-chat"
  | "openai-responses"
  | "anthropic"
  | "gemini"
  | "ollama-compatible"
  | "ollama-native"

const formats: Record<MockFormatName, WireFormat> = {
  "openai-chat": openAIChatFormat,
  "openai-responses": openAIResponsesFormat,
  anthropic: anthropicFormat,
  gemini: geminiFormat,
  "ollama-compatible": ollamaCompatibleFormat,
  "ollama-native": ollamaNativeFormat,
}

/** One request the mock received, for assertions on what the SDK sent. */
export interface MockRequest {
  format: MockFormatName
  method: string
  path: string
  model: string
  headers: IncomingMessage["headers"]
  body: unknown
}

export interface MockProviderOptions {
  host?: string
  /** 0 (default) picks a free port. */
  port?: number
  /** When set, a request without this key (bearer, x-api-key, x-goog-api-key or ?key=) gets the auth error. */
  apiKey?: string
  /** Model ids the list endpoints report, beside the scenario names. */
  models?: string[]
}

export interface MockProviderServer {
  /** http://host:port, no trailing slash. */
  readonly url: string
  /** Base URLs to give each SDK provider. */
  readonly baseURLs: {
    openai: string
    anthropic: string
    google: string
    ollama: string
    ollamaNative: string
    compatible: string
  }
  /** Queues replies for the next requests, in order; without a queued reply the model id names the scenario. */
  enqueue(...replies: MockReply[]): void
  /** Queued replies no request has taken yet. */
  pending(): number
  /** Model requests whose connection is still open (a client that stops reading must close it). */
  open(): number
  readonly requests: MockRequest[]
  close(): Promise<void>
}

function formatOf(method: string, path: string): MockFormatName | "models" | undefined {
  if (method === "GET") return path.endsWith("/models") || path.endsWith("/api/tags") ? "models" : undefined
  if (path.endsWith("/chat/completions"))
    return path.startsWith("/ollama/") ? "ollama-compatible" : "openai-chat"
  if (path.endsWith("/responses")) return "openai-responses"
  if (path.endsWith("/messages")) return "anthropic"
  if (path.includes(":streamGenerateContent") || path.includes(":generateContent")) return "gemini"
  if (path.endsWith("/api/chat")) return "ollama-native"
  return undefined
}

function keyOf(request: IncomingMessage, url: URL): string | undefined {
  const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, "")
  const header = request.headers["x-api-key"] ?? request.headers["x-goog-api-key"]
  return (
    bearer ?? (typeof header === "string" ? header : undefined) ?? url.searchParams.get("key") ?? undefined
  )
}

function modelList(path: string, ids: string[]): unknown {
  if (path.endsWith("/api/tags"))
    return {
      models: ids.map((name) => ({ name, model: name, size: 2_019_393_189, details: { family: "llama" } })),
    }
  if (path.startsWith("/google/"))
    return {
      models: ids.map((id) => ({
        name: `models/${id}`,
        displayName: id,
        supportedGenerationMethods: ["generateContent"],
      })),
    }
  if (path.startsWith("/anthropic/"))
    return {
      data: ids.map((id) => ({ type: "model", id, display_name: id, created_at: "2026-01-01T00:00:00Z" })),
      has_more: false,
    }
  return {
    object: "list",
    data: ids.map((id) => ({ id, object: "model", created: 1_763_769_600, owned_by: "mock" })),
  }
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString("utf8")
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Starts an HTTP server that answers like OpenAI (Chat Completions and Responses), Anthropic
 * (Messages), Google Gemini (streamGenerateContent) and Ollama (OpenAI-compatible and native), each
 * under its own path prefix. Close it to end every open connection, including hanging ones.
 */
export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProviderServer> {
  const queue: MockReply[] = []
  const requests: MockRequest[] = []
  const modelIds = [...(options.models ?? []), ...Object.keys(mockScenarios)]
  let closing = false

  async function writeStream(response: ServerResponse, format: WireFormat, reply: MockReply, model: string) {
    if (reply.type === "hang") return
    if (reply.type === "error") {
      const error = format.error(reply.error, reply.retryAfterSeconds)
      response.writeHead(error.status, { "content-type": "application/json", ...error.headers })
      response.end(JSON.stringify(error.body))
      return
    }
    response.writeHead(200, { "content-type": format.contentType, "cache-control": "no-cache" })
    const events = format.stream(reply, model)
    for (const [index, event] of events.entries()) {
      if (closing || response.destroyed) return
      if (index === reply.disconnectAfter) {
        response.socket?.destroy()
        return
      }
      if (index === reply.stallAfter) return
      if (index === reply.errorAfter?.events) {
        response.end(format.streamError(reply.errorAfter.error))
        return
      }
      if (reply.disconnectAfter === undefined) response.write(event)
      // Wait until the bytes left, so that a disconnect cuts the stream after them and not before.
      else await new Promise((resolve) => response.write(event, resolve))
      if (reply.delayMs) await sleep(reply.delayMs)
    }
    response.end()
  }

  let openRequests = 0

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://mock")
    const method = request.method ?? "GET"
    const kind = formatOf(method, url.pathname)
    const body = await readBody(request)
    if (kind === undefined) {
      response.writeHead(404, { "content-type": "application/json" })
      response.end(
        JSON.stringify({ error: { message: `The mock provider has no route ${method} ${url.pathname}` } }),
      )
      return
    }
    const wrongKey = options.apiKey !== undefined && keyOf(request, url) !== options.apiKey
    if (kind === "models") {
      if (wrongKey) {
        const error = (url.pathname.startsWith("/anthropic/") ? anthropicFormat : openAIChatFormat).error(
          "auth",
          undefined,
        )
        response.writeHead(error.status, { "content-type": "application/json" })
        response.end(JSON.stringify(error.body))
        return
      }
      response.writeHead(200, { "content-type": "application/json" })
      response.end(JSON.stringify(modelList(url.pathname, modelIds)))
      return
    }
    const model =
      kind === "gemini"
        ? decodeURIComponent(url.pathname.split("/models/")[1]?.split(":")[0] ?? "")
        : String((body as { model?: unknown } | undefined)?.model ?? "")
    requests.push({ format: kind, method, path: url.pathname, model, headers: request.headers, body })
    openRequests++
    response.once("close", () => openRequests--)
    const scripted = queue.shift()
    const reply: MockReply = wrongKey
      ? { type: "error", error: "auth" }
      : (scripted ?? (isMockScenarioName(model) ? mockScenarios[model] : mockScenarios.text))
    await writeStream(response, formats[kind], reply, model)
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" })
      response.end(JSON.stringify({ error: { message: String(error) } }))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address
  const url = `http://${host}:${address.port}`
  return {
    url,
    baseURLs: {
      openai: `${url}/openai/v1`,
      anthropic: `${url}/anthropic/v1`,
      google: `${url}/google/v1beta`,
      ollama: `${url}/ollama/v1`,
      ollamaNative: `${url}/ollama`,
      compatible: `${url}/compatible/v1`,
    },
    enqueue: (...replies) => queue.push(...replies),
    pending: () => queue.length,
    open: () => openRequests,
    requests,
    close() {
      closing = true
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
