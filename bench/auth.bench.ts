// Authentication cost on the real server (startServer on 127.0.0.1:0, SQLite, logging off):
// - the same public route (GET /api/version) anonymous, with a bearer API key, and with a session cookie:
//   the difference is what authenticating a request adds (hash the secret, one indexed lookup of the key
//   or session and one of its user). Sequential keep-alive requests, p50 and p99 of 3,000 each.
// - sign-in throughput (POST /api/auth/login) with the documented argon2id parameters (m=19456 KiB,
//   t=2, p=1), 4 requests in flight (libuv's default thread pool hashes 4 at once).
// Run alone: `node bench/auth.bench.ts` prints the figures as JSON.
import { mkdtemp, rm } from "node:fs/promises"
import { Agent, request } from "node:http"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { startServer } from "@xionimus/server"
import { signInOwner, testOwner } from "@xionimus/testing"
import type { Bench, BenchFigure } from "./lib.ts"

const samples = 3000
const loginSeconds = 5
const loginConcurrency = 4

function call(
  agent: Agent,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { agent, method: options.method ?? "GET", headers: options.headers },
      (answer) => {
        answer.resume()
        answer.on("end", () => resolve(answer.statusCode ?? 0))
      },
    )
    outgoing.on("error", reject)
    outgoing.end(options.body)
  })
}

async function latencies(agent: Agent, url: string, headers: Record<string, string>): Promise<number[]> {
  for (let index = 0; index < 300; index++) await call(agent, url, { headers })
  const times: number[] = []
  for (let index = 0; index < samples; index++) {
    const start = performance.now()
    const status = await call(agent, url, { headers })
    times.push(performance.now() - start)
    if (status !== 200) throw new Error(`${url} answered ${status}`)
  }
  return times.sort((a, b) => a - b)
}

const percentile = (sorted: number[], fraction: number) =>
  sorted[Math.floor(sorted.length * fraction)] ?? Number.NaN

async function loginsPerSecond(url: string): Promise<{ rate: number; total: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: loginConcurrency })
  const body = JSON.stringify(testOwner)
  const headers = { "content-type": "application/json" }
  const deadline = performance.now() + loginSeconds * 1000
  let total = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: loginConcurrency }, async () => {
      while (performance.now() < deadline) {
        const status = await call(agent, `${url}/api/auth/login`, { method: "POST", headers, body })
        if (status !== 200) throw new Error(`login answered ${status}`)
        total++
      }
    }),
  )
  agent.destroy()
  return { rate: total / ((performance.now() - start) / 1000), total }
}

const bench: Bench = {
  title: "Authentication: per-request overhead and sign-in throughput",
  command: "node bench/auth.bench.ts",
  async run() {
    const directory = await mkdtemp(join(tmpdir(), "xionimus-bench-auth-"))
    const config = Config.parse({
      dataDir: directory,
      log: { level: "silent" },
      server: { host: "127.0.0.1", port: 0, webDir: join(directory, "web") },
    })
    const unlimited = { perMinute: 1e9, signInPerMinute: 1e9 }
    const server = await startServer({ config, logger: silentLogger(), app: { rateLimits: unlimited } })
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const owner = await signInOwner(server.url)
      const url = `${server.url}/api/version`
      const variants = [
        ["anonymous (no credentials)", {}],
        ["bearer API key", owner.headers],
        ["session cookie", { cookie: owner.cookie }],
      ] as const
      const figures: BenchFigure[] = []
      let baseline = 0
      for (const [variant, headers] of variants) {
        const sorted = await latencies(agent, url, headers)
        const p50 = percentile(sorted, 0.5)
        if (!baseline) baseline = p50
        figures.push({
          name: "GET /api/version, p50 latency (sequential, keep-alive)",
          variant,
          value: p50,
          unit: "ms",
          note: `p99 ${percentile(sorted, 0.99).toFixed(3)} ms; ${variant === variants[0][0] ? "baseline" : `+${(p50 - baseline).toFixed(3)} ms over anonymous`}; ${samples} requests`,
        })
      }
      const logins = await loginsPerSecond(server.url)
      figures.push({
        name: "POST /api/auth/login (argon2id m=19456 KiB, t=2, p=1)",
        variant: `${loginConcurrency} in flight, ${cpus().length} cores`,
        value: logins.rate,
        unit: "logins/s",
        note: `${logins.total} sign-ins in ${loginSeconds} s; each verifies one argon2id hash and writes a session`,
      })
      return figures
    } finally {
      agent.destroy()
      await server.close()
      await rm(directory, { recursive: true, force: true })
    }
  },
}

export default bench

if (import.meta.main) console.log(JSON.stringify(await bench.run(), null, 2))
