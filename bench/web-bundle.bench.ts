// The web client's JavaScript on first load, from the production build (`npm run build -w @xionimus/web`
// into a temporary directory): the entry script and every chunk index.html preloads, gzipped (zlib level 9
// on each file). Every other chunk loads lazily; the editor (CodeMirror) and terminal (xterm) ones are
// listed on their own. Target (issue 7): first load <= 300 KB gzipped.
// Run alone: `node bench/web-bundle.bench.ts` prints the figures as JSON.
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import type { Bench, BenchFigure } from "./lib.ts"
import { buildWeb } from "./web-setup.ts"

const kib = (bytes: number) => bytes / 1024

async function gzipped(path: string): Promise<number> {
  return gzipSync(await readFile(path), { level: 9 }).length
}

interface ManifestChunk {
  file: string
  src?: string
  isEntry?: boolean
  isDynamicEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
}

/** What a lazily loaded chunk is for, from the source module that is imported dynamically. */
function groupOf(source: string): string {
  if (/xterm|\/terminal\//i.test(source)) return "terminal (xterm.js)"
  if (/codemirror|@lezer|\/editor\/|language-data|@replit|lang-/i.test(source))
    return "editor (CodeMirror, languages, merge view)"
  return "other lazy chunks (screens, sections)"
}

/** Each lazily loaded JS file, once, in the group of the first dynamic import (editor and terminal first). */
function lazyGroups(manifest: Record<string, ManifestChunk>, initial: Set<string>): Map<string, string[]> {
  const assigned = new Map<string, string>()
  const roots = Object.entries(manifest)
    .filter(([, chunk]) => chunk.isDynamicEntry)
    .map(([key]) => ({ key, group: groupOf(key) }))
    .sort((a, b) => Number(a.group.startsWith("other")) - Number(b.group.startsWith("other")))
  for (const { key, group } of roots) {
    const pending = [key]
    while (pending.length > 0) {
      const chunk = manifest[pending.pop()!]
      if (!chunk || initial.has(chunk.file) || assigned.has(chunk.file)) continue
      assigned.set(chunk.file, group)
      pending.push(...(chunk.imports ?? []))
    }
  }
  const groups = new Map<string, string[]>()
  for (const [file, group] of assigned) groups.set(group, [...(groups.get(group) ?? []), file])
  return groups
}

export async function measureBundle(): Promise<BenchFigure[]> {
  const dir = await buildWeb()
  const html = await readFile(join(dir, "index.html"), "utf8")
  const initial = new Set(
    [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map(
      (match) => match[1]!,
    ),
  )
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/([^"]+\.css)"/g)].map(
    (match) => match[1]!,
  )
  let firstLoad = 0
  for (const file of initial) firstLoad += await gzipped(join(dir, file))
  let styles = 0
  for (const file of css) styles += await gzipped(join(dir, file))

  const manifest = JSON.parse(await readFile(join(dir, ".vite/manifest.json"), "utf8")) as Record<
    string,
    ManifestChunk
  >
  const groups = lazyGroups(manifest, initial)
  const grouped = new Set([...groups.values()].flat())
  const lazy = new Map<string, { bytes: number; files: number }>()
  for (const [group, files] of groups) {
    let bytes = 0
    for (const file of files) bytes += await gzipped(join(dir, file))
    lazy.set(group, { bytes, files: files.length })
  }
  const unassigned = (await readdir(join(dir, "assets"))).filter(
    (name) => name.endsWith(".js") && !initial.has(`assets/${name}`) && !grouped.has(`assets/${name}`),
  )
  if (unassigned.length > 0) throw new Error(`chunks outside the manifest's graph: ${unassigned.join(", ")}`)
  return [
    {
      name: "first-load JavaScript (gzip)",
      variant: "shell: entry + preloaded chunks",
      value: kib(firstLoad),
      unit: "KiB",
      note: `${initial.size} file(s); target <= 300 KB; ${firstLoad <= 300_000 ? "met" : "NOT met"}`,
    },
    {
      name: "first-load CSS (gzip)",
      variant: "stylesheet",
      value: kib(styles),
      unit: "KiB",
      note: `${css.length} file(s)`,
    },
    ...[...lazy]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([group, { bytes, files }]) => ({
        name: "lazy JavaScript (gzip), not on first load",
        variant: group,
        value: kib(bytes),
        unit: "KiB",
        note: group.startsWith("editor")
          ? `${files} chunk(s); each language's grammar loads only when a file of it opens`
          : `${files} chunk(s), loaded when first used`,
      })),
  ]
}

const bench: Bench = {
  title: "Web client: first-load JavaScript (production build)",
  command: "npm run bench -- web-bundle",
  run: measureBundle,
}
export default bench

if (import.meta.main) console.log(JSON.stringify(await measureBundle(), null, 2))
