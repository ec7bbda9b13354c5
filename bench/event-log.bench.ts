// Event log throughput on SQLite (a file in a temp dir) and PostgreSQL (a schema of its own):
// appends with 1 and with 100 events per call, and a resume read of 10k events in pages of 1000.
// Run alone: `node bench/event-log.bench.ts` prints the figures as JSON.
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { newId } from "@xionimus/kit"
import type { NewEvent } from "@xionimus/protocol"
import { openStore, type Store } from "@xionimus/store"
import { createTestSchema } from "@xionimus/testing"
import type { Bench, BenchFigure } from "./lib.ts"

const singleAppends = 2_000
const batchAppends = 200
const batchSize = 100
const resumeEvents = 10_000
const pageSize = 1_000
const resumeRounds = 3

/** Shaped like a streamed text part: a small object with ~200 characters of text. */
function events(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    id: newId("evt"),
    type: "message.part.delta",
    data: { partId: "prt_bench", index, text: "lorem ipsum dolor sit amet ".repeat(8) },
  }))
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint()
  await work()
  return Number(process.hrtime.bigint() - start) / 1e9
}

async function measure(store: Store, variant: string): Promise<BenchFigure[]> {
  const log = store.events
  await log.append(newId("ses"), events(50)) // warm-up: statements prepared, connections open

  const single = newId("ses")
  const singleSeconds = await timed(async () => {
    for (let index = 0; index < singleAppends; index++) await log.append(single, events(1))
  })

  const batched = newId("ses")
  const batchSeconds = await timed(async () => {
    for (let index = 0; index < batchAppends; index++) await log.append(batched, events(batchSize))
  })

  // The best of a few rounds: the figure is what the log can do, not what the machine did meanwhile.
  let readSeconds = Number.POSITIVE_INFINITY
  for (let round = 0; round < resumeRounds; round++) {
    let read = 0
    const seconds = await timed(async () => {
      let after = 0
      while (read < resumeEvents) {
        const page = await log.read(batched, { after, limit: pageSize })
        if (page.length === 0) throw new Error("the stream ran out before 10k events")
        read += page.length
        after = page.at(-1)?.seq ?? after
      }
    })
    readSeconds = Math.min(readSeconds, seconds)
  }

  return [
    {
      name: "event append, 1 event per call",
      variant,
      value: singleAppends / singleSeconds,
      unit: "events/s",
      note: `${singleAppends} sequential calls, one transaction each`,
    },
    {
      name: "event append, 100 events per call",
      variant,
      value: (batchAppends * batchSize) / batchSeconds,
      unit: "events/s",
      note: `${batchAppends} sequential calls`,
    },
    {
      name: "resume read, 10k events after seq 0",
      variant,
      value: resumeEvents / readSeconds,
      unit: "events/s",
      note: `pages of ${pageSize}, best of ${resumeRounds}`,
    },
  ]
}

async function onSqlite(): Promise<BenchFigure[]> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-bench-"))
  const store = await openStore({ sqlitePath: join(directory, "xionimus.sqlite") })
  try {
    return await measure(store, "SQLite (node:sqlite, WAL, file)")
  } finally {
    await store.close()
    await rm(directory, { recursive: true, force: true })
  }
}

async function onPostgres(): Promise<BenchFigure[]> {
  const schema = createTestSchema()
  try {
    const [version] = await schema.query<{ server_version: string }>("show server_version")
    const store = await openStore({ databaseUrl: schema.url, schema: schema.schema })
    try {
      return await measure(store, `PostgreSQL ${version?.server_version.split(" ")[0] ?? ""} (loopback)`)
    } finally {
      await store.close()
    }
  } finally {
    await schema.drop()
  }
}

const bench: Bench = {
  title: "Event log: SQLite vs PostgreSQL",
  command: "node bench/event-log.bench.ts",
  async run() {
    return [...(await onSqlite()), ...(await onPostgres())]
  },
}

export default bench

if (import.meta.main) console.log(JSON.stringify(await bench.run(), null, 2))
