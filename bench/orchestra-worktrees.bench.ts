// The orchestra's parallel implementers: 8 work packages, each in its own git worktree of the project's
// checkpoint repository, doing the same fixed real work (write 20 files, run a CPU-bound child process
// over them), then merged back one by one. Wall time one after another against all 8 at once.
// Run alone: `node bench/orchestra-worktrees.bench.ts` prints the figures as JSON.
import { execFile } from "node:child_process"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { cpus, tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { checkpointGitDir, createCheckpoints, createWorktrees, orchestraRoot } from "@xionimus/workspace"
import type { Bench, BenchFigure } from "./lib.ts"

const implementers = 8
const filesPerPackage = 20
const hashRounds = 150_000
const rounds = 3
const run = promisify(execFile)

/** The "implementer": hashes its files over and over (CPU-bound) and writes the digest into the worktree. */
const work = `
const { createHash } = require("node:crypto")
const { readFileSync, readdirSync, writeFileSync } = require("node:fs")
const dir = process.argv[1]
let digest = ""
for (const name of readdirSync(dir).sort()) digest += readFileSync(dir + "/" + name, "utf8")
for (let round = 0; round < ${hashRounds}; round++) digest = createHash("sha256").update(digest).digest("hex")
writeFileSync(dir + "/DIGEST", digest + "\\n")
`

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  await action()
  return Number(process.hrtime.bigint() - start) / 1e6
}

async function project(directory: string, name: string) {
  const workspacesRoot = join(directory, "workspaces")
  const workspace = join(workspacesRoot, name)
  for (let module = 0; module < implementers; module++) {
    await mkdir(join(workspace, `src/module-${module}`), { recursive: true })
    await writeFile(join(workspace, `src/module-${module}/index.ts`), `export const module${module} = true\n`)
  }
  const gitDir = checkpointGitDir(workspacesRoot, name)
  const checkpoints = createCheckpoints({ workspace, gitDir })
  const baseCheckpoint = (await checkpoints.record({ message: "base" })).id
  const worktrees = createWorktrees({ root: orchestraRoot(workspacesRoot), workspace, gitDir, checkpoints })
  return { worktrees, baseCheckpoint }
}

/** One implementer's package: its worktree, its files, its command. */
async function implement(setup: Awaited<ReturnType<typeof project>>, runId: string, index: number) {
  const ref = { runId, packageId: `pkg_${index}` }
  const { dir } = await setup.worktrees.create({ ...ref, baseCheckpoint: setup.baseCheckpoint })
  const folder = join(dir, `src/module-${index}/generated`)
  await mkdir(folder, { recursive: true })
  for (let file = 0; file < filesPerPackage; file++) {
    await writeFile(join(folder, `file-${file}.ts`), `export const value${file} = ${index * 1000 + file}\n`)
  }
  await run(process.execPath, ["-e", work, folder], { cwd: dir })
}

async function mergeAll(setup: Awaited<ReturnType<typeof project>>, runId: string): Promise<void> {
  for (let index = 0; index < implementers; index++) {
    const ref = { runId, packageId: `pkg_${index}` }
    const result = await setup.worktrees.merge(ref)
    if (result.kind !== "clean") throw new Error(`package ${index} conflicted: ${result.paths.join(", ")}`)
    await setup.worktrees.remove(ref)
  }
}

const bench: Bench = {
  title: "Orchestra: 8 implementers on 8 worktrees",
  command: "npm run bench -- orchestra-worktrees",
  async run() {
    const directory = await mkdtemp(join(tmpdir(), "xionimus-bench-worktrees-"))
    try {
      const indexes = Array.from({ length: implementers }, (_, index) => index)
      const sequentialTimes: number[] = []
      const parallelTimes: number[] = []
      const mergeTimes: number[] = []
      // Alternating rounds (a shared machine's load drifts): the medians are compared.
      for (let round = 0; round < rounds; round++) {
        const sequential = await project(directory, `prj_sequential_${round}`)
        const parallel = await project(directory, `prj_parallel_${round}`)
        const runSequential = async () =>
          sequentialTimes.push(
            await timed(async () => {
              for (const index of indexes) await implement(sequential, `orc_sequential_${round}`, index)
            }),
          )
        const runParallel = async () =>
          parallelTimes.push(
            await timed(() =>
              Promise.all(indexes.map((index) => implement(parallel, `orc_parallel_${round}`, index))),
            ),
          )
        if (round % 2 === 0) {
          await runSequential()
          await runParallel()
        } else {
          await runParallel()
          await runSequential()
        }
        mergeTimes.push(await timed(() => mergeAll(parallel, `orc_parallel_${round}`)))
        await mergeAll(sequential, `orc_sequential_${round}`)
      }
      const one = median(sequentialTimes)
      const all = median(parallelTimes)
      const note = `${filesPerPackage} files + ${hashRounds.toLocaleString("en-US")} sha256 rounds per package; ${cpus().length} cores; median of ${rounds} alternating rounds`
      const figures: BenchFigure[] = [
        {
          name: "8 packages: worktree, files, command",
          variant: "one after another",
          value: one,
          unit: "ms",
          note,
        },
        { name: "8 packages: worktree, files, command", variant: "all 8 at once", value: all, unit: "ms" },
        {
          name: "merge back and remove 8 clean packages",
          variant: "one after another",
          value: median(mergeTimes),
          unit: "ms",
          note: "merges are serial by design",
        },
        {
          name: "speed-up of parallel implementers",
          variant: "sequential ÷ parallel wall time",
          value: one / all,
          unit: "×",
        },
      ]
      return figures
    } finally {
      // Retried: after a failure, implementers of the failed round may still be writing.
      await rm(directory, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
    }
  },
}

export default bench

if (import.meta.main) console.log(JSON.stringify(await bench.run(), null, 2))
