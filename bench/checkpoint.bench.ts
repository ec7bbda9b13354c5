// Checkpoint cost on a 5,000-file project (hidden git repository beside the workspace): one record
// after a tool edits one file, a record when nothing changed, and a diff of the live workspace.
// Run alone: `node bench/checkpoint.bench.ts` prints the figures as JSON.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { checkpointGitDir, createCheckpoints } from "@xionimus/workspace"
import type { Bench, BenchFigure } from "./lib.ts"

const folders = 50
const filesPerFolder = 100
const rounds = 40

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  await work()
  return Number(process.hrtime.bigint() - start) / 1e6
}

const bench: Bench = {
  title: "Checkpoints (hidden git, 5,000-file project)",
  command: "npm run bench -- checkpoint",
  async run() {
    const directory = await mkdtemp(join(tmpdir(), "xionimus-bench-checkpoint-"))
    try {
      const root = join(directory, "workspaces")
      const workspace = join(root, "prj_bench")
      for (let folder = 0; folder < folders; folder++) {
        await mkdir(join(workspace, `src/module-${folder}`), { recursive: true })
        for (let file = 0; file < filesPerFolder; file++) {
          const body = `export const value${file} = ${file}\n`.repeat(20)
          await writeFile(join(workspace, `src/module-${folder}/file-${file}.ts`), body)
        }
      }
      const checkpoints = createCheckpoints({ workspace, gitDir: checkpointGitDir(root, "prj_bench") })
      const initial = await timed(() => checkpoints.record({ message: "initial" }))
      const edit: number[] = []
      const unchanged: number[] = []
      const diff: number[] = []
      let last = ""
      for (let round = 0; round < rounds; round++) {
        const path = join(workspace, `src/module-${round % folders}/file-${round}.ts`)
        await writeFile(path, `export const edited = ${round}\n`)
        edit.push(
          await timed(async () => {
            last = (await checkpoints.record({ message: `edit ${round}`, meta: { callId: `call_${round}` } }))
              .id
          }),
        )
        unchanged.push(await timed(() => checkpoints.record({ message: "no change" })))
        diff.push(await timed(() => checkpoints.diff(last)))
      }
      const figures: BenchFigure[] = [
        {
          name: "record after editing one file",
          variant: "p50",
          value: percentile(edit, 0.5),
          unit: "ms",
          note: "target < 200 ms",
        },
        { name: "record after editing one file", variant: "p99", value: percentile(edit, 0.99), unit: "ms" },
        {
          name: "record with nothing changed",
          variant: "p50",
          value: percentile(unchanged, 0.5),
          unit: "ms",
        },
        { name: "diff against the live workspace", variant: "p50", value: percentile(diff, 0.5), unit: "ms" },
        {
          name: "first record (5,000 files into an empty repository)",
          variant: "once",
          value: initial,
          unit: "ms",
        },
      ]
      return figures
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  },
}

export default bench

if (import.meta.main) console.log(JSON.stringify(await bench.run(), null, 2))
