// HTTP throughput and tail latency of the real server (startServer on 127.0.0.1:0, logging off) under
// autocannon (in a worker thread, so that the load generator does not share the server's event loop): GET /healthz (no I/O) and GET /api/projects?limit=50 (a DB-backed page of 200 seeded
// projects) on SQLite, and the same list on PostgreSQL (a schema of its own) for comparison.
// Run alone: `node bench/http.bench.ts` prints the figures as JSON.
import { mkdtemp, rm } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { type RunningServer, type ServiceOptions, startServer } from "@xionimus/server"
import { createTestSchema, signInOwner } from "@xionimus/testing"
import type { Bench, BenchFigure } from "./lib.ts"

const seededProjects = 200
const durationSeconds = 5
const connections = 10

/** The part of autocannon's result this bench reads (the package ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p99: number; p50: number }
  errors: number
  timeouts: number
  non2xx: number
}
type Autocannon = (options: {
  url: string
  connections: number
  duration: number
  /** Worker threads generating load: 1 keeps the load off the server's event loop. */
  workers?: number
  headers?: Record<string, string>
}) => Promise<AutocannonResult>

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon

async function load(url: string, headers: Record<string, string> = {}): Promise<AutocannonResult> {
  // A short warm-up so that the figure is steady-state, not the first JIT pass.
  await autocannon({ url, connections, duration: 1, workers: 1, headers })
  const result = await autocannon({ url, connections, duration: durationSeconds, workers: 1, headers })
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`,
    )
  }
  return result
}

async function withServer<T>(
  input: { databaseUrl?: string },
  services: ServiceOptions,
  use: (server: RunningServer, headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-bench-http-"))
  const config = Config.parse({
    ...input,
    dataDir: directory,
    log: { level: "silent" },
    server: { host: "127.0.0.1", port: 0, webDir: join(directory, "web") },
  })
  // The load comes from one key; the per-key rate limit would otherwise answer most of it with 429.
  const unlimited = { perMinute: 1e9, signInPerMinute: 1e9 }
  const server = await startServer({
    config,
    logger: silentLogger(),
    services,
    app: { rateLimits: unlimited },
  })
  try {
    const { headers } = await signInOwner(server.url)
    for (let index = 0; index < seededProjects; index++) {
      const response = await server.app.inject({
        method: "POST",
        url: "/api/projects",
        headers,
        payload: { name: `Bench project ${index}` },
      })
      if (response.statusCode !== 201) throw new Error(`seeding failed: ${response.body}`)
    }
    return await use(server, headers)
  } finally {
    await server.close()
    await rm(directory, { recursive: true, force: true })
  }
}

function figures(name: string, variant: string, result: AutocannonResult): BenchFigure[] {
  const note = `${connections} connections, ${durationSeconds} s, ${result.requests.total.toLocaleString("en-US")} requests`
  return [
    { name, variant, value: result.requests.average, unit: "req/s", note },
    {
      name: `${name}, p99 latency`,
      variant,
      value: result.latency.p99,
      unit: "ms",
      note: `p50 ${result.latency.p50} ms`,
    },
  ]
}

const listPath = "/api/projects?limit=50"

async function onSqlite(): Promise<BenchFigure[]> {
  return withServer({}, {}, async (server, headers) => [
    ...figures("GET /healthz", "SQLite server", await load(`${server.url}/healthz`)),
    ...figures(
      `GET ${listPath}`,
      "SQLite (node:sqlite, WAL)",
      await load(`${server.url}${listPath}`, headers),
    ),
  ])
}

async function onPostgres(): Promise<BenchFigure[]> {
  const schema = createTestSchema()
  try {
    const [version] = await schema.query<{ server_version: string }>("show server_version")
    const variant = `PostgreSQL ${version?.server_version.split(" ")[0] ?? ""} (loopback)`
    return await withServer(
      { databaseUrl: schema.url },
      { databaseSchema: schema.schema },
      async (server, headers) =>
        figures(`GET ${listPath}`, variant, await load(`${server.url}${listPath}`, headers)),
    )
  } finally {
    await schema.drop()
  }
}

const bench: Bench = {
  title: "HTTP: requests/s and p99 latency (autocannon, loopback)",
  command: "node bench/http.bench.ts",
  async run() {
    return [...(await onSqlite()), ...(await onPostgres())]
  },
}

export default bench

if (import.meta.main) console.log(JSON.stringify(await bench.run(), null, 2))
