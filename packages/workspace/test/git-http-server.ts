import { spawn } from "node:child_process"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface GitHttpServer {
  /** e.g. http://127.0.0.1:41234/ — append the repository's path below the project root. */
  url: string
  /** Every Authorization header received, to prove what was (not) sent. */
  authorizations: (string | undefined)[]
  close(): Promise<void>
}

/**
 * A real git smart-HTTP server for tests: node:http on 127.0.0.1 port 0, each request handed to
 * `git http-backend` as CGI. It demands HTTP basic auth with the given user and password, so a
 * clone without the credential fails the way it does against a real host.
 */
export async function startGitHttpServer(options: {
  projectRoot: string
  user: string
  password: string
  gitBinary?: string
}): Promise<GitHttpServer> {
  const expected = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString("base64")}`
  const authorizations: (string | undefined)[] = []
  const children = new Set<ReturnType<typeof spawn>>()

  function handle(request: IncomingMessage, response: ServerResponse): void {
    authorizations.push(request.headers.authorization)
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { "WWW-Authenticate": 'Basic realm="test"', "Content-Type": "text/plain" })
      response.end("authentication required\n")
      return
    }
    const url = new URL(request.url ?? "/", "http://localhost")
    const child = spawn(options.gitBinary ?? "git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GIT_PROJECT_ROOT: options.projectRoot,
        GIT_HTTP_EXPORT_ALL: "1",
        REQUEST_METHOD: request.method ?? "GET",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers["content-type"] ?? "",
        ...(request.headers["content-length"] ? { CONTENT_LENGTH: request.headers["content-length"] } : {}),
        ...(typeof request.headers["git-protocol"] === "string"
          ? { GIT_PROTOCOL: request.headers["git-protocol"] }
          : {}),
        HTTP_CONTENT_ENCODING: request.headers["content-encoding"] ?? "",
        REMOTE_USER: options.user,
        REMOTE_ADDR: "127.0.0.1",
      },
      stdio: ["pipe", "pipe", "inherit"],
    })
    children.add(child)
    child.on("close", () => children.delete(child))
    request.pipe(child.stdin)
    forwardCgiResponse(child.stdout, response)
  }

  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    authorizations,
    async close() {
      for (const child of children) child.kill("SIGKILL")
      server.closeAllConnections()
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
    },
  }
}

/** Parses the CGI header block ("Status: 200 OK", other headers, blank line) and streams the body. */
function forwardCgiResponse(output: NodeJS.ReadableStream, response: ServerResponse): void {
  let head = Buffer.alloc(0)
  let headersDone = false
  output.on("data", (chunk: Buffer) => {
    if (headersDone) {
      response.write(chunk)
      return
    }
    head = Buffer.concat([head, chunk])
    const crlf = head.indexOf("\r\n\r\n")
    const lf = head.indexOf("\n\n")
    const end = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf : lf
    if (end === -1) return
    const separator = end === crlf ? 4 : 2
    let status = 200
    const headers: Record<string, string> = {}
    for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
      const colon = line.indexOf(":")
      if (colon === -1) continue
      const name = line.slice(0, colon).trim()
      const value = line.slice(colon + 1).trim()
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10)
      else headers[name] = value
    }
    headersDone = true
    response.writeHead(status, headers)
    response.write(head.subarray(end + separator))
  })
  output.on("end", () => {
    if (!headersDone) response.writeHead(502)
    response.end()
  })
}
