#!/usr/bin/env node
// The `xionimus` command. Plain JavaScript that any Node can parse, so that an old Node gets a clear
// message instead of a syntax error; the program itself is TypeScript run by Node's type stripping.
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const [major, minor] = process.versions.node.split(".").map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `xionimus needs Node.js 22.12 or newer (Node 24 recommended), but this is Node ${process.versions.node} ` +
      `(${process.execPath}).\n` +
      "Run `npm install` at the repository root: it brings Node 24 into node_modules/.bin, which `npx xionimus` " +
      "and the npm scripts use. Or install Node 24 from https://nodejs.org.\n",
  )
  process.exit(1)
}

if (process.features.typescript) {
  const { main } = await import("../src/main.ts")
  await main()
} else {
  // Node 22.12–22.17 strips types only behind a flag: run the same file again with it.
  const child = spawn(
    process.execPath,
    [
      "--experimental-strip-types",
      "--disable-warning=ExperimentalWarning",
      fileURLToPath(import.meta.url),
    ].concat(process.argv.slice(2)),
    { stdio: "inherit" },
  )
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal))
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
