import { apiErrorFromResponse, invalidResponse, networkError } from "./api-error.ts"

export type FetchFunction = typeof globalThis.fetch

export type QueryValue = string | number | boolean | undefined | null

/** What the SDK needs of a protocol schema (zod's safeParse), so that it does not depend on zod itself. */
export interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  query?: Record<string, QueryValue>
  /** A JSON body, or FormData sent as multipart. */
  body?: unknown
  signal?: AbortSignal
}

export interface Http {
  /** `baseUrl` joined with an API path and query. */
  url(path: string, query?: Record<string, QueryValue>): string
  /** Sends a request and parses its JSON answer with `schema`. */
  json<T>(path: string, schema: Schema<T>, options?: RequestOptions): Promise<T>
  /** Sends a request whose answer has no body (204). */
  empty(path: string, options?: RequestOptions): Promise<void>
  /** Sends a request and returns its answer as text (Markdown, plain downloads). */
  text(path: string, options?: RequestOptions): Promise<string>
}

export function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ""
}

/** The one place that talks HTTP: joins URLs, sends JSON or multipart, parses answers and errors. */
export interface HttpOptions {
  baseUrl: string
  fetch?: FetchFunction
  /** Sent with every request: `{ authorization: "Bearer xk_…" }` for programs with an API key. */
  headers?: Record<string, string>
  /** The session's CSRF token, sent as x-csrf-token with every change (browsers: `csrfTokenFromCookie`). */
  csrfToken?: () => string | undefined
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"])

export function createHttp(options: HttpOptions): Http {
  const baseUrl = options.baseUrl.replace(/\/+$/, "")
  const extraHeaders = options.headers ?? {}
  const csrfToken = options.csrfToken
  // Called through a wrapper so that a browser's fetch is never invoked with a foreign `this`.
  const fetchFunction: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init))

  function url(path: string, query?: Record<string, QueryValue>): string {
    return `${baseUrl}${path}${queryString(query)}`
  }

  async function send(path: string, options: RequestOptions): Promise<Response> {
    const { method = "GET", query, body, signal } = options
    const headers: Record<string, string> = { accept: "application/json", ...extraHeaders }
    const csrf = unsafeMethods.has(method) ? csrfToken?.() : undefined
    if (csrf) headers["x-csrf-token"] = csrf
    const init: RequestInit = { method, headers }
    if (signal) init.signal = signal
    if (body instanceof FormData) init.body = body
    else if (body !== undefined) {
      init.body = JSON.stringify(body)
      headers["content-type"] = "application/json"
    }
    let response: Response
    try {
      response = await fetchFunction(url(path, query), init)
    } catch (error) {
      throw networkError(error)
    }
    if (!response.ok) throw await apiErrorFromResponse(response)
    return response
  }

  async function json<T>(path: string, schema: Schema<T>, options: RequestOptions = {}): Promise<T> {
    const response = await send(path, options)
    let value: unknown
    try {
      value = await response.json()
    } catch (error) {
      if (options.signal?.aborted) throw networkError(error)
      throw invalidResponse(path, ["the answer is not JSON"], response.status)
    }
    const parsed = schema.safeParse(value)
    if (!parsed.success) throw invalidResponse(path, parsed.error.issues, response.status)
    return parsed.data
  }

  async function empty(path: string, options: RequestOptions = {}): Promise<void> {
    const response = await send(path, options)
    await response.body?.cancel()
  }

  async function text(path: string, options: RequestOptions = {}): Promise<string> {
    const response = await send(path, options)
    try {
      return await response.text()
    } catch (error) {
      throw networkError(error)
    }
  }

  return { url, json, empty, text }
}
