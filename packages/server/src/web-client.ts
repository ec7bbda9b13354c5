import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import fastifyStatic from "@fastify/static"
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify"

/** The web client's build directory: config.server.webDir, else apps/web/dist of this repository. */
export function webDirOf(configured: string | undefined): string {
  return configured ? resolve(configured) : fileURLToPath(new URL("../../../apps/web/dist", import.meta.url))
}

export interface WebClient {
  /** Whether a build was found (index.html present). */
  readonly built: boolean
  /** Answers a not-found GET with index.html when the URL belongs to the single-page app; false otherwise. */
  fallback(request: FastifyRequest, reply: FastifyReply): boolean
}

/**
 * Serves the web client's production build with an SPA fallback to index.html; without a build, `/`
 * answers a short page saying how to make one.
 */
export function registerWebClient(app: FastifyInstance, webDir: string): WebClient {
  const built = existsSync(resolve(webDir, "index.html"))
  if (!built) {
    app.get("/", (_request, reply) => reply.type("text/html; charset=utf-8").send(missingBuildPage(webDir)))
    return { built, fallback: () => false }
  }
  app.register(fastifyStatic, {
    root: webDir,
    wildcard: true,
    index: "index.html",
    // The build writes .br and .gz beside each text file (apps/web/vite.config.ts); a client that takes one
    // gets it, the others the plain file.
    preCompressed: true,
    setHeaders(reply, path) {
      // Vite fingerprints everything under assets/; index.html must be re-read to find new fingerprints.
      reply.header(
        "cache-control",
        path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      )
    },
  })
  return {
    built,
    fallback(request, reply) {
      if (request.method !== "GET" && request.method !== "HEAD") return false
      const path = request.url.split("?")[0] ?? "/"
      // /api/* answers JSON errors; a missing file with an extension (a stale asset) stays a 404.
      if (path === "/api" || path.startsWith("/api/") || /\.[A-Za-z0-9]+$/.test(path)) return false
      reply.header("cache-control", "no-cache").sendFile("index.html")
      return true
    },
  }
}

function missingBuildPage(webDir: string): string {
  const escaped = webDir.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Xionimus</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>Xionimus is running</h1>
<p>The web client is not built yet (no index.html in <code>${escaped}</code>).
Run <code>npm run build</code> in the Xionimus directory, then reload this page.</p>
<p>The API answers meanwhile: <a href="/api/docs">/api/docs</a>.</p>
</body></html>
`
}
