// Fails on any import edge between workspace packages that ../shared/DESIGN.md §2 does not allow,
// on a package.json dependency that allows such an edge, and on node: imports in browser-safe code.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"

const root = new URL("..", import.meta.url).pathname

/** package directory → the workspace packages its src/ may import. */
const allowed: Record<string, string[]> = {
  "packages/kit": [],
  "packages/protocol": ["kit"],
  "packages/config": ["kit"],
  "packages/store": ["kit", "protocol"],
  "packages/bus": ["kit", "protocol"],
  "packages/llm": ["kit"],
  "packages/sandbox": ["kit"],
  "packages/workspace": ["kit", "sandbox"],
  "packages/tools": ["kit", "protocol", "sandbox", "workspace"],
  "packages/agent": ["kit", "protocol", "llm", "tools", "bus", "store"],
  "packages/auth": ["kit", "protocol", "store"],
  "packages/collab": ["kit", "protocol", "auth"],
  "packages/server": [
    "kit",
    "protocol",
    "config",
    "store",
    "bus",
    "llm",
    "sandbox",
    "workspace",
    "tools",
    "agent",
    "auth",
    "collab",
  ],
  "packages/sdk": ["kit", "protocol"],
  "packages/testing": ["kit", "protocol", "config", "store", "bus", "llm", "sandbox", "workspace", "tools"],
  "apps/web": ["sdk", "protocol", "kit"],
  "apps/cli": ["server", "sdk", "config", "kit"],
}
/** Code that must run in a browser: no node: built-ins. */
const browserSafe = new Set(["packages/protocol", "packages/sdk", "apps/web"])

const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|import\s*\(?\s*["']([^"']+)["']/g

function sourceFiles(dir: string): string[] {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return []
  }
  return entries.flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sourceFiles(path)
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : []
  })
}

function workspaceName(specifier: string): string | undefined {
  if (specifier.startsWith("@xionimus/")) return specifier.slice("@xionimus/".length).split("/")[0]
  if (specifier === "xionimus" || specifier.startsWith("xionimus/")) return "cli"
  return undefined
}

const problems: string[] = []
const packageDirs = ["packages", "apps"].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => `${group}/${name}`),
)

for (const dir of packageDirs) {
  const rules = allowed[dir]
  if (!rules) {
    problems.push(`${dir}: not in DESIGN.md's layout; add its allowed edges to scripts/check-boundaries.ts`)
    continue
  }
  const self = dir.split("/")[1]
  const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>
  }
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const target = workspaceName(dependency)
    if (target && !rules.includes(target))
      problems.push(`${dir}/package.json: depends on ${dependency}, which DESIGN.md does not allow`)
  }
  for (const file of sourceFiles(join(root, dir, "src"))) {
    const text = readFileSync(file, "utf8")
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? ""
      const where = relative(root, file)
      if (browserSafe.has(dir) && specifier.startsWith("node:"))
        problems.push(`${where}: imports ${specifier}, but ${dir} must stay browser-safe`)
      const target = workspaceName(specifier)
      if (target && target !== self && !rules.includes(target))
        problems.push(
          `${where}: imports ${specifier}; ${dir} may import only ${rules.join(", ") || "nothing"}`,
        )
      if (
        specifier.startsWith("../") &&
        relative(join(root, dir), join(file, "..", specifier)).startsWith("..")
      )
        problems.push(
          `${where}: imports ${specifier} across package boundaries by path; use the package name`,
        )
    }
  }
}

if (problems.length > 0) {
  console.error(
    `Dependency boundaries violated (${problems.length}):\n${problems.map((p) => `  ${p}`).join("\n")}`,
  )
  process.exit(1)
}
console.log(`Dependency boundaries hold across ${packageDirs.length} packages.`)
