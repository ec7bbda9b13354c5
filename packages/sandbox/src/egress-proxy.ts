import { lookup } from "node:dns/promises"
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http"
import { connect, isIP, type Socket } from "node:net"
import type { Logger } from "@xionimus/kit"

export interface EgressProxy {
  readonly socketPath: string
  close(): Promise<void>
}

/** Whether `host` is on the allow-list: exact names or IP literals, and `*.example.com` for subdomains. */
export function hostAllowed(host: string, allow: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, "")
  return allow.some((entry) => {
    const pattern = entry.toLowerCase()
    if (pattern.startsWith("*.")) return name.endsWith(pattern.slice(1)) && isIP(name) === 0
    return name === pattern
  })
}

/** Loopback, private, link-local and unspecified addresses: the host's and its network's services. */
export function isInternalAddress(address: string): boolean {
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address
  if (isIP(v4) === 4) {
    const [a = 0, b = 0] = v4.split(".").map(Number)
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    )
  }
  const lower = address.toLowerCase()
  return (
    lower === "::" ||
    lower === "::1" ||
    lower.startsWith("fc") ||
    lower.startsWith("fd") ||
    lower.startsWith("fe80")
  )
}

/**
 * Where a request may go: an allowed host, resolved here (the sandbox has no DNS). A name that resolves to an
 * internal address is refused (DNS rebinding onto the host's own services); an internal IP literal passes only
 * when it is itself on the allow-list.
 */
async function resolveAllowed(host: string, allow: readonly string[]): Promise<string | null> {
  if (!hostAllowed(host, allow)) return null
  if (isIP(host) !== 0) return host
  const addresses = await lookup(host, { all: true }).catch(() => [])
  if (addresses.length === 0 || addresses.some((item) => isInternalAddress(item.address))) return null
  return addresses[0]!.address
}

/**
 * An HTTP proxy on a Unix socket for one project: CONNECT tunnels (HTTPS) and absolute-URI HTTP requests to
 * allowed hosts; everything else is answered 403 and logged. The socket is bind-mounted into the sandbox.
 */
export async function createEgressProxy(options: {
  socketPath: string
  allow: readonly string[]
  projectId: string
  logger?: Logger | undefined
}): Promise<EgressProxy> {
  const { allow, logger, projectId } = options
  const sockets = new Set<Socket>()
  const refuse = (host: string, kind: string) =>
    logger?.warn({ projectId, host, kind }, "sandbox egress refused: host not on the project's allow-list")

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    // Nothing a sandboxed program sends may throw inside the server process.
    forward(request, response).catch((error: unknown) => {
      logger?.warn({ err: error, projectId }, "sandbox egress request failed")
      if (!response.headersSent) response.writeHead(502)
      response.end()
    })
  })

  async function forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let target: URL
    try {
      target = new URL(request.url ?? "")
    } catch {
      response.writeHead(400).end("absolute URL required\n")
      return
    }
    const address = target.protocol === "http:" ? await resolveAllowed(target.hostname, allow) : null
    if (!address) {
      refuse(target.hostname, "http")
      response
        .writeHead(403)
        .end(`xionimus: ${target.hostname} is not on this project's network allow-list\n`)
      return
    }
    const upstream = httpRequest(
      {
        host: address,
        port: target.port || 80,
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers: forwardHeaders(request.headers, target.host),
      },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers)
        reply.pipe(response)
      },
    )
    upstream.on("error", () => {
      if (!response.headersSent) response.writeHead(502)
      response.end()
    })
    request.pipe(upstream)
  }

  server.on("connect", (request: IncomingMessage, client: Socket, head: Buffer) => {
    tunnel(request, client, head).catch(() => client.destroy())
  })

  async function tunnel(request: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
    sockets.add(client)
    client.on("close", () => sockets.delete(client))
    client.on("error", () => client.destroy())
    const [host = "", portText = "443"] = (request.url ?? "").split(/:(?=\d+$)/)
    const address = await resolveAllowed(host.replace(/^\[|\]$/g, ""), allow)
    if (!address) {
      refuse(host, "connect")
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n")
      return
    }
    const upstream = connect(Number(portText), address, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on("close", () => sockets.delete(upstream))
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"))
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.socketPath, resolve)
  })
  return {
    socketPath: options.socketPath,
    async close() {
      for (const socket of sockets) socket.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The request's headers for the upstream server, without the proxy's own. */
function forwardHeaders(
  headers: IncomingMessage["headers"],
  host: string,
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === "proxy-connection" || name === "proxy-authorization") continue
    result[name] = value
  }
  result.host = host
  return result
}

/**
 * The in-sandbox bridge (Python): listens on 127.0.0.1:3128 before the command starts, then forks: the child
 * forwards each connection to the bind-mounted proxy socket, the parent execs the command (keeping its pid
 * and exit code). The bridge dies with the sandbox's pid namespace.
 */
export const bridgeProgram = [
  "import os, socket, sys, threading",
  "listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
  "listener.bind(('127.0.0.1', 3128)); listener.listen(64)",
  "if os.fork() == 0:",
  "    def pump(a, b):",
  "        try:",
  "            while True:",
  "                data = a.recv(65536)",
  "                if not data: break",
  "                b.sendall(data)",
  "        except OSError: pass",
  "        finally:",
  "            try: b.shutdown(socket.SHUT_WR)",
  "            except OSError: pass",
  "    while True:",
  "        client, _ = listener.accept()",
  "        try:",
  "            upstream = socket.socket(socket.AF_UNIX); upstream.connect('/run/xionimus/egress.sock')",
  "        except OSError:",
  "            client.close(); continue",
  "        threading.Thread(target=pump, args=(client, upstream), daemon=True).start()",
  "        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()",
  "listener.close()",
  "os.execvp(sys.argv[1], sys.argv[1:])",
].join("\n")
