/**
 * The wait a provider asks for, in ms: OpenAI's `retry-after-ms`, the standard `retry-after` (seconds
 * or an HTTP date), Anthropic's `anthropic-ratelimit-*-reset` is not used (it is a reset time, not a
 * wait), and Google's google.rpc.RetryInfo `retryDelay` ("7s") in the error body.
 */
export function retryAfterMsOf(
  headers: Record<string, string> | undefined,
  body: unknown,
  now: () => number = Date.now,
): number | undefined {
  const header = (name: string) => {
    if (!headers) return undefined
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name)
    return key === undefined ? undefined : headers[key]
  }
  const milliseconds = Number(header("retry-after-ms"))
  if (header("retry-after-ms") !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0)
    return milliseconds
  const retryAfter = header("retry-after")
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
    const date = Date.parse(retryAfter)
    if (Number.isFinite(date)) return Math.max(0, date - now())
  }
  return retryDelayInBody(body)
}

function retryDelayInBody(body: unknown): number | undefined {
  const details = (body as { error?: { details?: unknown } } | undefined)?.error?.details
  if (!Array.isArray(details)) return undefined
  for (const detail of details) {
    const delay = (detail as { retryDelay?: unknown }).retryDelay
    if (typeof delay === "string") {
      const match = /^(\d+(?:\.\d+)?)s$/.exec(delay)
      if (match) return Number(match[1]) * 1000
    }
  }
  return undefined
}
