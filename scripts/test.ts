// The whole test suite: lint, types, boundaries, web build, then every test file in one `node --test` run
// (unit, contract, HTTP, CLI and the Chromium end-to-end test), so the runner's closing summary counts all.
//   npm test                 everything
//   npm test -- --only unit  skip the web build and the browser tests
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { parseArgs } from "node:util"

const root = new URL("..", import.meta.url).pathname
const { values } = parseArgs({ options: { only: { type: "string" } } })
const unitOnly = values.only === "unit"

function step(title: string, command: string, args: string[]): void {
  console.log(`\n▶ ${title}: ${command} ${args.join(" ")}`)
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" })
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status || 1)
  }
}

function testFiles(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (name === "node_modules" || name === "dist" || name === "templates") return []
    if (statSync(path).isDirectory()) return testFiles(path, pattern)
    return pattern.test(name) ? [relative(root, path)] : []
  })
}

const bin = (name: string) => join(root, "node_modules", ".bin", name)

step("lint and format", bin("biome"), ["ci", "."])
step("types", bin("tsc"), ["-p", "tsconfig.json"])
step("types (web)", bin("tsc"), ["-p", "apps/web/tsconfig.json"])
step("types (browser tests)", bin("tsc"), ["-p", "apps/web/e2e/tsconfig.json"])
step("dependency boundaries", process.execPath, ["scripts/check-boundaries.ts"])
if (!unitOnly) step("web build", "npm", ["run", "build", "--workspace", "@xionimus/web"])
step("web component tests (Vitest)", bin("vitest"), ["run", "--config", "apps/web/vitest.config.ts"])

const files = [
  ...testFiles(join(root, "packages"), /\.test\.ts$/),
  ...testFiles(join(root, "apps/cli"), /\.test\.ts$/),
  ...testFiles(join(root, "apps/web/test"), /\.test\.ts$/),
  ...testFiles(join(root, "scripts"), /\.test\.ts$/),
  ...(unitOnly ? [] : testFiles(join(root, "apps/web/e2e"), /\.e2e\.test\.ts$/)),
].sort()
step(`tests (${files.length} files)`, process.execPath, [
  "--test",
  "--test-concurrency=2",
  "--test-timeout=300000",
  "--test-reporter=spec",
  ...files,
])
