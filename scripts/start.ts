// `npm start`: builds the web client when its build is missing or older than its sources, then runs
// `xionimus serve` with any extra arguments (`npm start -- --port 4200`).
import { spawn, spawnSync } from "node:child_process"
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const web = join(root, "apps/web")
const built = join(web, "dist/index.html")

function newestSource(dir: string): number {
  return readdirSync(dir).reduce((newest, name) => {
    const path = join(dir, name)
    const stats = statSync(path)
    return Math.max(newest, stats.isDirectory() ? newestSource(path) : stats.mtimeMs)
  }, 0)
}

if (!existsSync(built) || statSync(built).mtimeMs < newestSource(join(web, "src"))) {
  console.log("Building the web client (once; npm run build does it by hand)…")
  const result = spawnSync("npm", ["run", "build", "--workspace", "@xionimus/web"], {
    cwd: root,
    stdio: "inherit",
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

const child = spawn(
  process.execPath,
  [join(root, "apps/cli/bin/xionimus.js"), "serve", ...process.argv.slice(2)],
  {
    stdio: "inherit",
  },
)
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal))
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
