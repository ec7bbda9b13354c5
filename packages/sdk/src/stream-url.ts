/** The WebSocket URL of `/api/stream` for a server's HTTP base URL ("http://host:4100" → "ws://host:4100/api/stream"). */
export function streamUrl(baseUrl: string): string {
  const url = new URL("/api/stream", baseUrl)
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:"
  return url.toString()
}
