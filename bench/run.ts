// `npm run bench`: runs every bench/*.bench.ts in turn and writes docs/BENCHMARKS.md.
// `npm run bench -- http` runs the benches whose file name contains "http" and only prints them;
// `npm run bench -- web --write` also puts their sections into docs/BENCHMARKS.md (replacing the same
// titles, keeping every other section).
import { execFileSync } from "node:child_process"
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { cpus, freemem, totalmem } from "node:os"
import { join } from "node:path"
import type { Bench, BenchFigure } from "./lib.ts"

const root = new URL("..", import.meta.url).pathname
const filter = process.argv[2]
const writeSections = process.argv.includes("--write")
const files = readdirSync(join(root, "bench"))
  .filter((name) => name.endsWith(".bench.ts") && (!filter || name.includes(filter)))
  .sort()

const sections: { bench: Bench; figures: BenchFigure[] }[] = []
for (const file of files) {
  const bench = (await import(join(root, "bench", file))).default as Bench
  console.error(`▶ ${bench.title} (${file})`)
  const figures = await bench.run()
  for (const figure of figures)
    console.error(`  ${figure.name} · ${figure.variant}: ${format(figure.value)} ${figure.unit}`)
  sections.push({ bench, figures })
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2)
}

function tool(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8" }).trim().split("\n")[0] ?? "?"
  } catch {
    return "not available"
  }
}

function table(figures: BenchFigure[]): string {
  const firstOfName = new Map<string, BenchFigure>()
  const rows = figures.map((figure) => {
    const base = firstOfName.get(figure.name)
    if (!base) firstOfName.set(figure.name, figure)
    const ratio =
      base && base.value > 0 ? `${(figure.value / base.value).toFixed(2)}× of ${base.variant}` : "—"
    return `| ${figure.name} | ${figure.variant} | ${format(figure.value)} ${figure.unit} | ${ratio} | ${figure.note ?? ""} |`
  })
  return ["| measure | variant | value | ratio | note |", "|---|---|---|---|---|", ...rows].join("\n")
}

function section(bench: Bench, figures: BenchFigure[]): string[] {
  return [`## ${bench.title}`, "", `Command: \`${bench.command}\``, "", table(figures), ""]
}

if (filter && writeSections) {
  // Each section runs from its "## title" line to the next one; ours replace theirs or are appended.
  const path = join(root, "docs/BENCHMARKS.md")
  let text = readFileSync(path, "utf8")
  for (const { bench, figures } of sections) {
    const body = `${section(bench, figures).join("\n")}\n`
    const start = text.indexOf(`## ${bench.title}\n`)
    if (start === -1) text = `${text.trimEnd()}\n\n${body}`
    else {
      const next = text.indexOf("\n## ", start + 1)
      text = text.slice(0, start) + body + (next === -1 ? "" : text.slice(next + 1))
    }
  }
  writeFileSync(path, text)
  console.error("updated docs/BENCHMARKS.md")
} else if (filter) {
  console.log(
    JSON.stringify(
      sections.map(({ bench, figures }) => ({ title: bench.title, figures })),
      null,
      2,
    ),
  )
} else {
  const cpu = cpus()[0]?.model ?? "unknown CPU"
  const document = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand. Absolute numbers on these shared",
    "2-core machines are noisy: compare the ratios, which come from one run on one machine.",
    "",
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM (${Math.round(freemem() / 2 ** 30)} GiB free at start)`,
    `- node: ${process.version}, SQLite (node:sqlite) ${(await import("node:sqlite")).DatabaseSync ? tool(process.execPath, ["-e", "const {DatabaseSync}=require('node:sqlite');console.log(new DatabaseSync(':memory:').prepare('select sqlite_version() v').get().v)"]) : "?"}`,
    `- PostgreSQL: ${tool("psql", ["-h", "127.0.0.1", "-d", "test", "-Atc", "show server_version"])} (loopback); Redis: ${tool("redis-cli", ["-h", "127.0.0.1", "info", "server"]).length > 0 ? tool("redis-server", ["--version"]) : "?"}`,
    "",
    ...sections.flatMap(({ bench, figures }) => section(bench, figures)),
  ].join("\n")
  writeFileSync(join(root, "docs/BENCHMARKS.md"), document)
  console.error("wrote docs/BENCHMARKS.md")
}
