// `npm run dev`: the API server and the Vite dev server together, both reloading on change.
//   - the server runs `xionimus serve` under `node --watch`: it restarts when any module it loaded changes
//     (the browser's stream client reconnects and resumes by itself);
//   - Vite serves apps/web with hot module replacement and proxies /api (and its WebSocket) and /healthz
//     to the server.
// Options: --port (web, default 5173), --api-port (default 4100), --data-dir (default .data/dev).
import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { parseArgs } from "node:util"

const root = new URL("..", import.meta.url).pathname
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "5173" },
    "api-port": { type: "string", default: "4100" },
    "data-dir": { type: "string", default: join(root, ".data/dev") },
  },
})
const apiUrl = `http://127.0.0.1:${values["api-port"]}`

const children: ChildProcess[] = []
let stopping = false

function run(name: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: "inherit",
  })
  child.on("exit", (code, signal) => {
    if (stopping) return
    console.error(`[dev] ${name} exited (${code ?? signal}); stopping the other one`)
    stop(code ?? 1)
  })
  children.push(child)
  return child
}

function stop(code: number): void {
  if (stopping) return
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM")
  let remaining = children.filter((child) => child.exitCode === null).length
  if (remaining === 0) process.exit(code)
  for (const child of children) {
    child.once("exit", () => {
      remaining -= 1
      if (remaining === 0) process.exit(code)
    })
  }
}

run(
  "server",
  [
    "--watch",
    "--watch-preserve-output",
    join(root, "apps/cli/bin/xionimus.js"),
    "serve",
    "--port",
    values["api-port"],
    "--data-dir",
    values["data-dir"],
  ],
  { cwd: root },
)
run("vite", [join(root, "node_modules/vite/bin/vite.js"), "--port", values.port, "--strictPort"], {
  cwd: join(root, "apps/web"),
  env: { ...process.env, XIONIMUS_API_URL: apiUrl },
})
console.log(
  `[dev] web: http://127.0.0.1:${values.port} (hot reload) · API: ${apiUrl} · data: ${values["data-dir"]}`,
)

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(0))
